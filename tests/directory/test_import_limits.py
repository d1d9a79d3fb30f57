"""Spreadsheets built to hurt the reader: declared sizes that lie, zip bombs, huge cells, odd line
endings. Every one is refused with a message naming the limit, or read exactly as it holds."""

import csv
import io
import re
import zipfile

import openpyxl
import pytest
from sqlmodel import select

from webapp.directory.importing import ImportRejected, import_spreadsheet
from webapp.directory.importing.brn import check_digit
from webapp.directory.importing.reader import (
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_PART_BYTES,
    MAX_ROWS,
    MAX_SHEET_XML_BYTES,
    read_table,
)
from webapp.directory.models import Company

HEADER = ["business_reg_no", "name", "industry", "municipality"]


def brn(n: int) -> str:
    first = f"{101 + n // 9999:03d}81{n % 9999 + 1:04d}"
    return first + str(check_digit(first))


def _rows(count: int, start: int = 0) -> list[list[str]]:
    return [[brn(start + i), f"회사 {start + i}", "C29", "전주"] for i in range(count)]


def _xlsx(rows: list[list], dimension: str | None = None, extra: dict[str, bytes] | None = None) -> bytes:
    """An .xlsx holding `rows`; `dimension` rewrites the sheet's declared size (<dimension ref>),
    `extra` adds or replaces parts."""
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    out = io.BytesIO()
    extra = dict(extra or {})
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = extra.pop(item.filename, None) or source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml" and dimension:
                data = re.sub(rb'<dimension ref="[^"]*"/>', f'<dimension ref="{dimension}"/>'.encode(), data)
            target.writestr(item.filename, data)
        for name, data in extra.items():
            target.writestr(name, data)
    return out.getvalue()


def _csv(rows, newline="\r\n") -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator=newline).writerows(rows)
    return out.getvalue().encode("utf-8")


def _rejected(session, filename: str, data: bytes) -> list[str]:
    with pytest.raises(ImportRejected) as rejected:
        import_spreadsheet(session, "companies", filename, data)
    session.rollback()
    return [str(e) for e in rejected.value.errors]


def test_rows_beyond_the_declared_dimension_are_read_not_dropped(session):
    data = _xlsx([HEADER, *_rows(5)], dimension="A1:D2")
    result = import_spreadsheet(session, "companies", "c.xlsx", data)
    assert result.created == 5
    assert len(session.exec(select(Company)).all()) == 5


def test_a_declared_dimension_wider_than_the_sheet_does_not_pad_rows():
    table = read_table("c.xlsx", _xlsx([HEADER, *_rows(2)], dimension="A1:XFD1048576"))
    assert table.headers == HEADER
    assert [n for n, _ in table.rows] == [2, 3]


def test_a_sheet_holding_more_columns_than_allowed_reads_only_the_first_ones():
    wide = [[f"c{i}" for i in range(MAX_COLUMNS + 50)], ["x"] * (MAX_COLUMNS + 50)]
    table = read_table("w.xlsx", _xlsx(wide))
    assert len(table.headers) == MAX_COLUMNS


def test_a_cell_far_below_the_data_is_found_after_the_gap():
    rows = [HEADER, *_rows(1)]
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    workbook.active.cell(row=200_000, column=1, value=brn(99))
    buffer = io.BytesIO()
    workbook.save(buffer)
    table = read_table("gap.xlsx", buffer.getvalue())
    assert [n for n, _ in table.rows] == [2, 200_000]


def test_more_rows_than_allowed_is_refused_naming_the_limit(session):
    errors = _rejected(session, "big.csv", _csv([HEADER, *_rows(MAX_ROWS + 1)]))
    assert len(errors) == 1 and f"{MAX_ROWS}" in errors[0] and "rows" in errors[0]
    # exactly the limit is fine (checked by the reader alone, not a 10,000-row import)
    assert len(read_table("ok.csv", _csv([HEADER, *_rows(MAX_ROWS)])).rows) == MAX_ROWS


def test_parts_that_unpack_beyond_the_limits_are_refused_before_opening(session):
    # one huge shared string, as in the 413 KB file holding 400 MB: it compresses to almost nothing
    strings = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>'
    strings += b"x" * MAX_PART_BYTES + b"</t></si></sst>"
    data = _xlsx([HEADER, *_rows(1)], extra={"xl/sharedStrings.xml": strings})
    assert len(data) < 100_000
    errors = _rejected(session, "bomb.xlsx", data)
    assert len(errors) == 1 and "xl/sharedStrings.xml" in errors[0]
    assert f"{MAX_PART_BYTES // 2**20} MB" in errors[0]
    sheet = b"<worksheet>" + b"<row/>" * (MAX_SHEET_XML_BYTES // 6) + b"</worksheet>"
    errors = _rejected(session, "rows.xlsx", _xlsx([HEADER], extra={"xl/worksheets/sheet1.xml": sheet}))
    assert len(errors) == 1 and "xl/worksheets/sheet1.xml" in errors[0]
    assert f"{MAX_SHEET_XML_BYTES // 2**20} MB" in errors[0]


def test_xml_entity_expansion_is_refused(session):
    laughs = b"""<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">
    <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
    <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
    <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
    <row r="1"><c r="A1" t="inlineStr"><is><t>&lol3;</t></is></c></row></sheetData></worksheet>"""
    errors = _rejected(session, "laughs.xlsx", _xlsx([HEADER], extra={"xl/worksheets/sheet1.xml": laughs}))
    assert len(errors) == 1 and ".xlsx" in errors[0]


def test_a_cell_longer_than_allowed_is_refused_with_its_row(session):
    long_name = "x" * (MAX_CELL_CHARS + 1)
    for filename, data in [
        ("long.csv", _csv([HEADER, *_rows(1), [brn(7), long_name, "C29", "전주"]])),
        ("long.xlsx", _xlsx([HEADER, *_rows(1), [brn(7), long_name, "C29", "전주"]])),
    ]:
        errors = _rejected(session, filename, data)
        assert len(errors) == 1 and "Row 3" in errors[0] and f"{MAX_CELL_CHARS}" in errors[0], filename


def test_a_field_beyond_the_csv_parsers_limit_is_refused_not_a_crash(session):
    huge = "x" * 200_000
    data = ",".join(HEADER).encode() + f'\r\n"{huge}",C29,전주\r\n'.encode()
    errors = _rejected(session, "field.csv", data)
    assert len(errors) == 1 and "Line" in errors[0]


@pytest.mark.parametrize("newline", ["\r", "\n", "\r\n", "mixed"])
def test_csv_line_endings_of_every_system_are_read(session, newline):
    rows = [HEADER, *_rows(3)]
    if newline == "mixed":
        lines = [",".join(row) for row in rows]
        data = (lines[0] + "\r" + lines[1] + "\n" + lines[2] + "\r\n" + lines[3] + "\r").encode()
    else:
        data = _csv(rows, newline)
    assert import_spreadsheet(session, "companies", "c.csv", data).created == 3


def test_corrupt_xlsx_parts_are_reported_not_a_crash(session):
    good = _xlsx([HEADER, *_rows(1)])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]  # cut in the middle of the XML
            target.writestr(item, data)
    errors = _rejected(session, "cut.xlsx", out.getvalue())
    assert len(errors) == 1 and ".xlsx" in errors[0]
