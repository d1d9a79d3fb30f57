"""Why a file (or a form, checked as a one-row file) is refused, in the reader's language.

A problem knows its row and its column; the import shows the column as the file's header spells
it (사업자등록번호, 시군), the forms and the API use the column's name as their field's.
Messages are made with gettext when the problem is found: in the page's language in a request,
in English on the command line.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _


@dataclass(frozen=True)
class Problem:
    message: str
    row: int | None = None
    column: str | None = None  # the column's name ("business_reg_no", "lat/lon")
    header: str | None = None  # as the file spells it ("사업자등록번호")

    def __str__(self) -> str:
        where = self.header or self.column
        if self.row is not None and where:
            return _("row %(row)s, %(field)s: %(message)s", row=self.row, field=where, message=self.message)
        if self.row is not None:
            return _("row %(row)s: %(message)s", row=self.row, message=self.message)
        if where:
            return _("column %(column)s: %(message)s", column=where, message=self.message)
        return self.message
