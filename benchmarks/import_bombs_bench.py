"""Memory and time of reading hostile and large spreadsheets (the import's reader, issue #13).

Builds each file, then reads it in a fresh process and prints the process's peak memory growth
(ru_maxrss after minus before) and the time taken, and how the reader answered. The upload limit
(MAX_UPLOAD_BYTES, 10 MB) lets every one of these files in; the reader must stay under 256 MB of
growth for each.

    .venv/bin/python benchmarks/import_bombs_bench.py
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parents[1]
SST = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'

MEASURE = """
import json, resource, sys, time
from webapp.directory.importing.reader import UnreadableFile, read_table
data = open(sys.argv[1], "rb").read()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
try:
    table = read_table(sys.argv[1], data)
    answer = f"read: {len(table.rows)} rows x {len(table.headers)} columns"
except UnreadableFile as exc:
    answer = f"refused: {exc}"
seconds = time.perf_counter() - start
growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
print(json.dumps({"answer": answer, "seconds": seconds, "growth_mb": growth / 1024}))
"""


def _workbook(rows: list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _rewrite(data: bytes, path: Path, parts: dict[str, bytes], extra: dict | None = None) -> None:
    """Copy the .xlsx `data` to `path` with some parts replaced and `extra` parts (callables
    writing a stream) added."""
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            target.writestr(item.filename, parts.get(item.filename) or source.read(item.filename))
        for name, write in (extra or {}).items():
            with target.open(name, "w", force_zip64=True) as out:
                write(out)


def declared_dimension_bomb(path: Path) -> None:
    """5 KB declaring 1,048,576 rows x 16,384 columns, with a cell in the far corner."""
    data = _workbook([["business_reg_no", "name"], ["402-81-12341", "a"]])
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheet = z.read("xl/worksheets/sheet1.xml")
    sheet = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', sheet)
    sheet = sheet.replace(
        b"</sheetData>",
        b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>',
    )
    _rewrite(data, path, {"xl/worksheets/sheet1.xml": sheet})


def huge_shared_string(path: Path) -> None:
    """About 400 KB holding one 400 MB shared string, referred to by cell A2."""
    data = _workbook([["name"], ["short"]])
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").replace(
            b'<c r="A2" t="inlineStr"><is><t>short</t></is></c>', b'<c r="A2" t="s"><v>0</v></c>'
        )
        rels = z.read("xl/_rels/workbook.xml.rels").replace(
            b"</Relationships>",
            b'<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            b'sharedStrings" Target="sharedStrings.xml" Id="rId9" /></Relationships>',
        )
        types = z.read("[Content_Types].xml").replace(
            b"</Types>",
            b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml" /></Types>',
        )

    def strings(out) -> None:
        out.write(SST + b"<si><t>")
        chunk = b"x" * (1 << 20)
        for _ in range(400):
            out.write(chunk)
        out.write(b"</t></si></sst>")

    parts = {
        "xl/worksheets/sheet1.xml": sheet,
        "xl/_rels/workbook.xml.rels": rels,
        "[Content_Types].xml": types,
    }
    _rewrite(data, path, parts, extra={"xl/sharedStrings.xml": strings})


def many_tiny_cells_csv(path: Path) -> None:
    """10 MB of one-character cells: 5 million cells."""
    line = ",".join("x" * 1 for _ in range(100)) + "\n"
    path.write_text(line * (10 * 1024 * 1024 // len(line)))


def largest_allowed_file(path: Path) -> None:
    """10,000 rows x 15 columns of ordinary company data (CSV)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([f"column {i}" for i in range(15)])
    for n in range(10_000):
        writer.writerow(
            [f"{n}", "(주)한빛정밀", "C25", "전주시", "전북특별자치도 전주시 덕진구 팔복로 100", *["35"] * 10]
        )
    path.write_text(out.getvalue(), encoding="utf-8")


def main() -> None:
    cases = [
        ("declared 1,048,576 x 16,384 (.xlsx)", "bomb-dimension.xlsx", declared_dimension_bomb),
        ("one 400 MB shared string (.xlsx)", "bomb-string.xlsx", huge_shared_string),
        ("5 million one-character cells (.csv)", "tiny-cells.csv", many_tiny_cells_csv),
        ("10,000 rows x 15 columns (.csv)", "largest.csv", largest_allowed_file),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        for label, name, build in cases:
            path = Path(tmp) / name
            build(path)
            run = subprocess.run(
                [sys.executable, "-c", MEASURE, str(path)],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            )
            result = json.loads(run.stdout.strip().splitlines()[-1])
            size_kb = path.stat().st_size / 1024
            print(
                f"{label:40} file {size_kb:9.0f} KB  growth {result['growth_mb']:6.1f} MB  "
                f"{result['seconds']:6.2f} s  {result['answer'][:90]}"
            )


if __name__ == "__main__":
    main()
