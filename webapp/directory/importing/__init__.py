"""Import of companies and mentors from coordinators' spreadsheets (.xlsx or CSV).

The whole file is validated before anything is written: any bad row rejects the file with a
list of row-numbered errors. Rows are keyed (companies by business registration number,
mentors by email), so importing the same file again updates instead of duplicating.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from webapp.directory.importing import companies, mentors
from webapp.directory.importing.columns import bind_headers, parse_row
from webapp.directory.importing.reader import UnreadableFile, read_table

IMPORTERS = {"companies": companies, "mentors": mentors}
MAX_ERRORS_LISTED = 200


class ImportRejected(ValueError):
    def __init__(self, errors: list[str]):
        super().__init__(f"{len(errors)} problem(s); nothing was imported")
        self.errors = errors


@dataclass
class ImportResult:
    kind: str
    created: int
    updated: int


def import_spreadsheet(session: Session, kind: str, filename: str, data: bytes) -> ImportResult:
    """Validate the whole file, then upsert every row; raises ImportRejected with all problems.

    The caller owns the transaction: on ImportRejected nothing has been written.
    """
    importer = IMPORTERS[kind]
    try:
        table = read_table(filename, data)
    except UnreadableFile as exc:
        raise ImportRejected([f"file: {exc}"]) from None
    positions, errors = bind_headers(table, importer.COLUMNS)
    if errors:
        raise ImportRejected(errors)
    if not table.rows:
        raise ImportRejected(["file: the file has a header but no data rows"])
    rows = []
    for number, cells in table.rows:
        values, row_errors = parse_row(number, cells, importer.COLUMNS, positions)
        errors.extend(row_errors)
        rows.append((number, values))
    errors.extend(importer.resolve(session, rows))
    if errors:
        errors.sort(key=_row_number)
        if len(errors) > MAX_ERRORS_LISTED:
            errors = [*errors[:MAX_ERRORS_LISTED], f"... and {len(errors) - MAX_ERRORS_LISTED} more problems"]
        raise ImportRejected(errors)
    created, updated = importer.apply(session, rows)
    session.flush()
    return ImportResult(kind=kind, created=created, updated=updated)


def _row_number(error: str) -> int:
    head = error.split(",", 1)[0]
    return int(head[4:]) if head.startswith("row ") and head[4:].isdigit() else 0
