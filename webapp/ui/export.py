"""Spreadsheet exports shared by every list: .xlsx (openpyxl) and CSV (UTF-8 with BOM, which
Korean Excel opens without garbling Hangul).

A list describes its columns once (header in the page's language, how to read a value from a
row, the cell format) and `export_response` writes either format. Text cells that a spreadsheet
would run as a formula (starting with = + - @, or a tab or carriage return that hides one) get
a leading apostrophe: exported data stays data (no formula injection, OWASP "CSV injection").
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask import Response, abort
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from webapp.core.clock import local_time

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMATS = {"int": "#,##0", "km": "#,##0.0", "date": "yyyy-mm-dd", "datetime": "yyyy-mm-dd hh:mm", "text": "@"}
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], Any]
    kind: str = "text"  # a key of FORMATS
    width: int = 14


def neutralise(value: Any) -> Any:
    """A text that starts like a formula, made inert; other values unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _cell(value: Any) -> Any:
    """Stored times are UTC; sheets show Asia/Seoul wall time (spreadsheets have no zones)."""
    if isinstance(value, datetime):
        return local_time(value).replace(tzinfo=None, microsecond=0)
    return neutralise(value)


def _text(value: Any) -> str:
    value = _cell(value)
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def to_csv(columns: list[Column], rows: Iterable[Any]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([neutralise(c.header) for c in columns])
    for row in rows:
        writer.writerow([_text(c.value(row)) for c in columns])
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(columns: list[Column], rows: Iterable[Any], title: str) -> bytes:
    book = Workbook(write_only=False)
    sheet = book.active
    sheet.title = title[:31]
    sheet.append([c.header for c in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_cell(c.value(row)) for c in columns])
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            cell.number_format = FORMATS[column.kind]
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export_response(fmt: str, name: str, title: str, columns: list[Column], rows: Iterable[Any]) -> Response:
    """The list as a download: fmt "xlsx" or "csv" (anything else is 404); `name` is the file's
    ASCII stem, `title` the sheet's name."""
    if fmt == "xlsx":
        body, mimetype = to_xlsx(columns, rows, title), XLSX_TYPE
    elif fmt == "csv":
        body, mimetype = to_csv(columns, rows), "text/csv; charset=utf-8"
    else:
        abort(404)
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
