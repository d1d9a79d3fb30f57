"""Reads the spreadsheets coordinators keep: .xlsx, or CSV in UTF-8, UTF-8 with BOM or CP949.

Reading is bounded whatever the file declares: the upload size (MAX_UPLOAD_BYTES), the
uncompressed size of an .xlsx's parts (checked from the zip directory before anything is
unpacked; Python's zip reader never inflates a member beyond its declared size), rows, columns
and characters per cell. openpyxl's read-only mode streams the sheet but trusts the sheet's
declared dimension, which pads every row to the declared width and drops rows beyond the
declared height; the dimension is discarded and the rows counted as they come. XML is parsed
through defusedxml (installed beside openpyxl, which then uses it): no entity expansion.
A file beyond a limit is refused with a message naming the limit.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _

MAX_ROWS = 10_000  # data rows; the program has ~200 applicants and ~30 mentors a year
MAX_COLUMNS = 100
MAX_CELL_CHARS = 2_000
MAX_SHEET_XML_BYTES = 32 * 1024 * 1024  # uncompressed worksheet XML (parsed as a stream)
MAX_PART_BYTES = 8 * 1024 * 1024  # any other part (shared strings, styles: parsed whole)


class UnreadableFile(ValueError):
    """The file is not a spreadsheet we can read, or is beyond a limit; the message says why."""


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, list[str]]]  # (spreadsheet row number, cells); the header is row 1


def decode_csv_bytes(data: bytes) -> str:
    """UTF-8 (with or without BOM) when it decodes, else CP949, the encoding Korean Excel saves."""
    for encoding in ("utf-8-sig", "cp949"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(_("The file is neither UTF-8 nor CP949 text; save it as CSV (UTF-8) or .xlsx."))


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _check_xlsx_parts(data: bytes) -> None:
    """Refuse a zip whose parts would unpack beyond the limits (a zip bomb), before opening it."""
    try:
        parts = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError) as exc:
        raise _not_xlsx(exc) from exc
    for part in parts:
        is_sheet = part.filename.startswith("xl/worksheets/")
        limit = MAX_SHEET_XML_BYTES if is_sheet else MAX_PART_BYTES
        if part.file_size > limit:
            raise UnreadableFile(
                _(
                    "The workbook's part %(part)s unpacks to %(size)d MB, more than the %(limit)d MB "
                    "allowed; save only the data as a new .xlsx or CSV.",
                    part=part.filename,
                    size=part.file_size // 2**20,
                    limit=limit // 2**20,
                )
            )


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, list[str]]]:
    """The non-blank rows of the first sheet with their row numbers."""
    import openpyxl

    _check_xlsx_parts(data)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl and the XML parser raise many kinds for a corrupt file
        raise _not_xlsx(exc) from exc
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # the declared size is not trusted: rows are counted as read
        blank = None
        for number, row in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1):
            # openpyxl fills gaps between rows with one shared all-None tuple: skipped by identity,
            # so a cell a million rows down costs a million cheap steps, not a million row scans
            if row is blank:
                continue
            if row.count(None) == len(row):
                blank = row
                continue
            yield number, _without_trailing_blanks([_cell_text(v) for v in row])
    except Exception as exc:
        raise _not_xlsx(exc) from exc
    finally:
        workbook.close()


def _without_trailing_blanks(cells: list[str]) -> list[str]:
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _not_xlsx(exc: Exception) -> UnreadableFile:
    return UnreadableFile(_("Not a readable .xlsx workbook (%(error)s).", error=exc.__class__.__name__))


def _csv_rows(data: bytes) -> Iterator[tuple[int, list[str]]]:
    text = decode_csv_bytes(data)
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    # newline="": rows end at CR, LF or CRLF, as written by any spreadsheet on any system
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        for number, row in enumerate(reader, start=1):
            yield number, [cell.strip() for cell in row[:MAX_COLUMNS]]
    except csv.Error as exc:
        raise UnreadableFile(
            _("Line %(line)d of the CSV cannot be read (%(error)s).", line=reader.line_num, error=str(exc))
        ) from exc


def _bounded(raw: Iterable[tuple[int, list[str]]]) -> list[tuple[int, list[str]]]:
    """The non-empty rows with their spreadsheet row numbers, refusing more than MAX_ROWS data
    rows or a cell longer than MAX_CELL_CHARS."""
    numbered: list[tuple[int, list[str]]] = []
    for number, row in raw:
        if not any(row):
            continue
        if len(numbered) > MAX_ROWS:  # the header and MAX_ROWS data rows are allowed
            raise UnreadableFile(
                _("The file has more than %(limit)d data rows; split it into smaller files.", limit=MAX_ROWS)
            )
        for cell in row:
            if len(cell) > MAX_CELL_CHARS:
                raise UnreadableFile(
                    _(
                        "Row %(row)d holds a cell longer than %(limit)d characters.",
                        row=number,
                        limit=MAX_CELL_CHARS,
                    )
                )
        numbered.append((number, row))
    return numbered


def read_table(filename: str, data: bytes) -> Table:
    if not data.strip():
        raise UnreadableFile(_("The file is empty."))
    is_xlsx = filename.lower().endswith(".xlsx") or data[:2] == b"PK"
    numbered = _bounded(_xlsx_rows(data) if is_xlsx else _csv_rows(data))
    if not numbered:
        raise UnreadableFile(_("The file has no header row."))
    (_row, headers), *rows = numbered
    width = len(headers)
    return Table(
        headers=[h.strip() for h in headers],
        rows=[(n, (row + [""] * width)[:width]) for n, row in rows],
    )
