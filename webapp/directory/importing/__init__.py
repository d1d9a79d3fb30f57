"""Import of companies and mentors from coordinators' spreadsheets (.xlsx or CSV).

The whole file is validated before anything is written: any bad row rejects the file with a
list of row-numbered errors. Rows are keyed (companies by business registration number,
mentors by email), so importing the same file again updates instead of duplicating.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from flask_babel import gettext as _
from sqlmodel import Session

from webapp.directory.importing import companies, mentors
from webapp.directory.importing.columns import bind_headers, parse_row
from webapp.directory.importing.problems import Problem
from webapp.directory.importing.reader import UnreadableFile, read_table

IMPORTERS = {"companies": companies, "mentors": mentors}
MAX_ERRORS_LISTED = 200


class ImportRejected(ValueError):
    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s); nothing was imported")
        self.errors = problems


@dataclass
class ImportResult:
    kind: str
    created: int
    updated: int


def import_spreadsheet(session: Session, kind: str, filename: str, data: bytes) -> ImportResult:
    """Validate the whole file, then upsert every row; raises ImportRejected with all problems,
    each naming its column as the file's header spells it.

    The caller owns the transaction: on ImportRejected nothing has been written.
    """
    importer = IMPORTERS[kind]
    try:
        table = read_table(filename, data)
    except UnreadableFile as exc:
        raise ImportRejected([Problem(str(exc))]) from None
    positions, problems = bind_headers(table, importer.COLUMNS)
    if problems:
        raise ImportRejected(problems)
    if not table.rows:
        raise ImportRejected([Problem(_("The file has a header but no data rows."))])
    rows = []
    for number, cells in table.rows:
        values, row_problems = parse_row(number, cells, importer.COLUMNS, positions)
        problems.extend(row_problems)
        rows.append((number, values))
    problems.extend(importer.resolve(session, rows))
    if problems:
        problems = [
            _as_headed(p, table.headers, positions) for p in sorted(problems, key=lambda p: p.row or 0)
        ]
        if len(problems) > MAX_ERRORS_LISTED:
            more = Problem(_("... and %(count)s more problems", count=len(problems) - MAX_ERRORS_LISTED))
            problems = [*problems[:MAX_ERRORS_LISTED], more]
        raise ImportRejected(problems)
    created, updated = importer.apply(session, rows)
    session.flush()
    return ImportResult(kind=kind, created=created, updated=updated)


def _as_headed(problem: Problem, headers: list[str], positions: dict[str, int]) -> Problem:
    """The problem naming its column as the file's header spells it ("위도/경도" for lat/lon)."""
    if problem.column is None:
        return problem
    names = problem.column.split("/")
    if not all(name in positions for name in names):
        return problem
    return replace(problem, header="/".join(headers[positions[name]] for name in names))
