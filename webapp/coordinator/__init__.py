"""The coordinator's pages: dashboard, companies and mentors, import, matching runs."""

from flask import Blueprint

from webapp.models import Role
from webapp.security import require_role

bp = Blueprint("coordinator", __name__, url_prefix="/coordinator")
bp.before_request(require_role(Role.coordinator))

from webapp.coordinator import dashboard, imports, logins, records, runs, schedule  # noqa: E402,F401  (routes)
