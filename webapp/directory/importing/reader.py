"""Reads the spreadsheets coordinators keep: .xlsx, or CSV in UTF-8, UTF-8 with BOM or CP949."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime


class UnreadableFile(ValueError):
    """The file is not a spreadsheet we can read; the message says why."""


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
    raise UnreadableFile("the file is neither UTF-8 nor CP949 text; save it as CSV (UTF-8) or .xlsx")


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


def _read_xlsx(data: bytes) -> list[list[str]]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a corrupt file
        raise UnreadableFile(f"not a readable .xlsx workbook ({exc.__class__.__name__})") from exc
    sheet = workbook.worksheets[0]
    rows = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    return rows


def _read_csv(data: bytes) -> list[list[str]]:
    text = decode_csv_bytes(data)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), dialect)]


def read_table(filename: str, data: bytes) -> Table:
    if not data.strip():
        raise UnreadableFile("the file is empty")
    is_xlsx = filename.lower().endswith(".xlsx") or data[:2] == b"PK"
    raw = _read_xlsx(data) if is_xlsx else _read_csv(data)
    numbered = [(n, row) for n, row in enumerate(raw, start=1) if any(cell for cell in row)]
    if not numbered:
        raise UnreadableFile("the file has no header row")
    (_, headers), *rows = numbered
    width = len(headers)
    return Table(
        headers=[h.strip() for h in headers],
        rows=[(n, (row + [""] * width)[:width]) for n, row in rows],
    )
