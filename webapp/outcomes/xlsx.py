"""The exports' .xlsx writer: each sheet's XML is streamed into the zip row by row, a few string
operations per cell.

openpyxl (which reads the imports and the tests' read-back) spends ~25 µs of pure-Python XML
serialization per cell without lxml, which the app does not install (it would change how every
.xlsx is parsed): over the province's 125,000 cells that was 3.3 s of CPU, against ~0.2 s here.
The parts written are the ones openpyxl writes for the same workbook, less the optional theme and
document properties: inline strings, numbers, dates as serial numbers with a date format, a bold
shaded header row, frozen below the header, column widths and an auto-filter.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, Any
from xml.sax.saxutils import escape, quoteattr

FORMATS = {"dec": "#,##0.00", "pct": "0.0", "date": "yyyy-mm-dd"}  # other kinds: General
STYLE = {kind: 2 + i for i, kind in enumerate(FORMATS)}  # cellXfs: 0 plain, 1 header, then FORMATS
EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 is 1900-01-01 (Excel's leap-year quirk before March 1900)
NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # characters XML 1.0 cannot hold
ROWS_PER_WRITE = 500

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
CONTENT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
PACKAGE_CONTENT = "application/vnd.openxmlformats-package"
FONT = '<sz val="11"/><name val="Calibri"/><family val="2"/>'
STYLES = (
    f'<styleSheet xmlns="{MAIN}">'
    f'<numFmts count="{len(FORMATS)}">'
    + "".join(
        f'<numFmt numFmtId="{164 + i}" formatCode="{code}"/>' for i, code in enumerate(FORMATS.values())
    )
    + f'</numFmts><fonts count="2"><font>{FONT}</font><font><b/>{FONT}</font></fonts>'
    '<fills count="3"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFDDE7F3"/></patternFill></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    f'<cellXfs count="{2 + len(FORMATS)}"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1"/>'
    + "".join(
        f'<xf numFmtId="{164 + i}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        for i in range(len(FORMATS))
    )
    + '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


@dataclass(frozen=True)
class Column:
    header: Any  # text (lazy text is rendered when written)
    kind: str  # int | dec | pct | date | text
    width: int


@dataclass(frozen=True)
class Sheet:
    name: Any
    columns: Sequence[Column]
    rows: Callable[[], Iterator[list[Any]]]  # each value text, a number (not a bool), a date or None
    count: int


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _text(ref: str, value: str, style: str) -> str:
    value = NOT_IN_XML.sub("", value)
    if not value:
        return ""
    space = ' xml:space="preserve"' if value != value.strip() else ""
    return f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>{escape(value)}</t></is></c>'


def _cell(ref: str, value: Any, style: str) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return _text(ref, value, style)
    if isinstance(value, date):
        value = (value - EXCEL_EPOCH).days
    number = f"{value:.16g}" if isinstance(value, float) else str(value)  # as openpyxl: no float noise
    return f'<c r="{ref}"{style}><v>{number}</v></c>'


def _range(columns: int, last_row: int, absolute: bool = False) -> str:
    """A1:<last column><last row>, or $A$1:$N$301."""
    dollar = "$" if absolute else ""
    return f"{dollar}A{dollar}1:{dollar}{column_letter(columns - 1)}{dollar}{last_row}"


def _write_sheet(part: IO[bytes], sheet: Sheet, tick: Callable[[], None]) -> int:
    """The sheet's XML, streamed in chunks of rows; returns its last row's number."""
    letters = [column_letter(i) for i in range(len(sheet.columns))]
    styles = [f' s="{STYLE[c.kind]}"' if c.kind in STYLE else "" for c in sheet.columns]
    widths = "".join(
        f'<col min="{i}" max="{i}" width="{c.width}" customWidth="1"/>'
        for i, c in enumerate(sheet.columns, 1)
    )
    header = "".join(
        _text(f"{x}1", str(c.header), ' s="1"') for x, c in zip(letters, sheet.columns, strict=True)
    )
    part.write(
        f'{DECLARATION}<worksheet xmlns="{MAIN}"><sheetViews><sheetView workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
        f'<sheetFormatPr defaultRowHeight="15"/><cols>{widths}</cols>'
        f'<sheetData><row r="1">{header}</row>'.encode()
    )
    number, chunk = 1, []
    for row in sheet.rows():
        number += 1
        cells = "".join(_cell(f"{x}{number}", v, s) for x, v, s in zip(letters, row, styles, strict=True))
        chunk.append(f'<row r="{number}">{cells}</row>')
        tick()
        if len(chunk) == ROWS_PER_WRITE:
            part.write("".join(chunk).encode())
            chunk = []
    part.write(
        f'{"".join(chunk)}</sheetData><autoFilter ref="{_range(len(letters), number)}"/><pageMargins '
        'left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/></worksheet>'.encode()
    )
    return number


def write_xlsx(sheets: Sequence[Sheet], target: Path, tick: Callable[[], None]) -> None:
    """The workbook of `sheets` at `target`; `tick()` after each data row."""
    numbers = range(1, len(sheets) + 1)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        parts = "".join(
            f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{CONTENT}.worksheet+xml"/>'
            for n in numbers
        )
        archive.writestr(
            "[Content_Types].xml",
            f'{DECLARATION}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            f'<Default Extension="rels" ContentType="{PACKAGE_CONTENT}.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{CONTENT}.sheet.main+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{CONTENT}.styles+xml"/>{parts}</Types>',
        )
        archive.writestr(
            "_rels/.rels",
            f'{DECLARATION}<Relationships xmlns="{PACKAGE_RELS}"><Relationship Id="rId1" '
            f'Type="{RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        relations = "".join(
            f'<Relationship Id="rId{n}" Type="{RELS}/worksheet" Target="worksheets/sheet{n}.xml"/>'
            for n in numbers
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'{DECLARATION}<Relationships xmlns="{PACKAGE_RELS}">{relations}<Relationship '
            f'Id="rId{len(sheets) + 1}" Type="{RELS}/styles" Target="styles.xml"/></Relationships>',
        )
        archive.writestr("xl/styles.xml", DECLARATION + STYLES)
        entries, filters = [], []
        for n, sheet in zip(numbers, sheets, strict=True):
            with archive.open(f"xl/worksheets/sheet{n}.xml", "w") as part:
                last_row = _write_sheet(part, sheet, tick)
            name = str(sheet.name)
            entries.append(f'<sheet name={quoteattr(name)} sheetId="{n}" r:id="rId{n}"/>')
            quoted = "'" + name.replace("'", "''") + "'"  # a sheet's name in a formula
            filters.append(
                f'<definedName name="_xlnm._FilterDatabase" localSheetId="{n - 1}" hidden="1">'
                f"{escape(quoted)}!{_range(len(sheet.columns), last_row, absolute=True)}</definedName>"
            )
        archive.writestr(
            "xl/workbook.xml",
            f'{DECLARATION}<workbook xmlns="{MAIN}" xmlns:r="{RELS}"><bookViews><workbookView activeTab="0"/>'
            f"</bookViews><sheets>{''.join(entries)}</sheets><definedNames>{''.join(filters)}</definedNames>"
            "</workbook>",
        )
