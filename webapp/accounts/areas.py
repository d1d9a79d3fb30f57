"""The signed-in areas by role. The coordinator's pages live in their domains' packages
(directory, matching, accounts) and are added to this one blueprint, so their endpoints keep
the `coordinator.` prefix and every page under /coordinator/ is for coordinators only."""

from flask import Blueprint

from webapp.accounts.models import Role
from webapp.accounts.security import require_role

coordinator_bp = Blueprint("coordinator", __name__, url_prefix="/coordinator")
coordinator_bp.before_request(require_role(Role.coordinator))
