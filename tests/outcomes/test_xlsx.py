"""The exports' .xlsx writer: what openpyxl reads back (values, types, formats, header, panes, filter)."""

import zipfile
from datetime import date
from xml.etree import ElementTree

from openpyxl import load_workbook

from webapp.outcomes.xlsx import Column, Sheet, column_letter, write_xlsx


def test_column_letters():
    assert [column_letter(i) for i in (0, 25, 26, 51, 52, 701, 702)] == [
        "A",
        "Z",
        "AA",
        "AZ",
        "BA",
        "ZZ",
        "AAA",
    ]


def test_a_workbook_reads_back_with_its_types_formats_and_layout(tmp_path):
    columns = [
        Column("연도", "int", 8),
        Column("기업 & <이름>", "text", 20),
        Column("시작", "date", 12),
        Column("값", "dec", 12),
        Column("변화율(%)", "pct", 10),
    ]
    rows = [
        [2025, "  앞뒤 공백 ", date(2025, 7, 7), 1234.5, -39.0],
        [2026, "제어\x01문자\x1f와\n줄바꿈", None, 0.1 + 0.2, None],
        [None, "", date(1900, 3, 1), 10**15, 76.25],
    ]
    ticks = []
    sheets = [
        Sheet("참여 기업", columns, lambda: iter(rows), len(rows)),
        Sheet("빈 시트's", columns[:2], lambda: iter([]), 0),
    ]
    path = tmp_path / "book.xlsx"
    write_xlsx(sheets, path, lambda: ticks.append(1))
    assert len(ticks) == 3

    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():  # every part is well-formed XML
            ElementTree.fromstring(archive.read(name))

    book = load_workbook(path)
    assert book.sheetnames == ["참여 기업", "빈 시트's"]
    sheet = book["참여 기업"]
    assert [c.value for c in sheet[1]] == ["연도", "기업 & <이름>", "시작", "값", "변화율(%)"]
    assert all(c.font.b and c.fill.fgColor.rgb.endswith("DDE7F3") for c in sheet[1])
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:E4"
    assert sheet.column_dimensions["B"].width == 20
    first, second, third = (list(r) for r in sheet.iter_rows(min_row=2))
    assert [c.value for c in first][:2] == [2025, "  앞뒤 공백 "]
    assert first[2].is_date and first[2].value.date() == date(2025, 7, 7)
    assert first[2].number_format == "yyyy-mm-dd"
    assert first[3].value == 1234.5 and first[3].number_format == "#,##0.00"
    assert first[4].value == -39.0 and first[4].number_format == "0.0"
    assert second[1].value == "제어문자와\n줄바꿈"  # what XML cannot hold is dropped
    assert second[2].value is None and second[3].value == 0.3  # 16 digits: no float noise
    assert third[0].value is None and third[1].value is None
    assert third[2].value.date() == date(1900, 3, 1) and third[3].value == 10**15
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    empty = book["빈 시트's"]
    assert empty.max_row == 1 and empty.auto_filter.ref == "A1:B1"
