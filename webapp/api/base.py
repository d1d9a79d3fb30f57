"""The API's blueprint under /api/v1: bearer-token authentication (see the account page),
the caller (`principal`), role checks and query arguments. The endpoints are in the other
modules of webapp.api, one per domain; create_app imports them.

Cookies are never looked at here, which is why the API is exempt from CSRF protection.
"""

from flask import Blueprint, Response, abort, g, jsonify, request

from webapp.accounts.models import Role
from webapp.accounts.security import Principal, load_by_token
from webapp.core.ids import MAX_ID, parse_id
from webapp.core.request_db import db

bp = Blueprint("api", __name__, url_prefix="/api/v1")
PUBLIC_ENDPOINTS = {"api.openapi"}
MAX_PER_PAGE = 100


@bp.before_request
def _authenticate():
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    principal = load_by_token(db(), token.strip()) if scheme.lower() == "bearer" and token.strip() else None
    if principal is None:
        abort(401, "a valid bearer token is required (create one on your account page)")
    g.principal = principal
    return None


@bp.after_request
def _www_authenticate(response):
    if response.status_code == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def principal() -> Principal:
    return g.principal


def int_arg(name: str, default: int, high: int = MAX_ID) -> int:
    """A positive whole-number query argument; anything else is a 400."""
    text = request.args.get(name)
    if text is None:
        return default
    number = parse_id(text)
    if number is None or number > high:
        abort(400, f"{name} must be a whole number from 1 to {high}")
    return number


def require(*roles: Role) -> None:
    if principal().role not in roles:
        abort(403, f"only a {' or '.join(roles)} may do this")


def json_object() -> dict:
    """The request's JSON object ({} without a body); any other body ends the request with 400."""
    body = request.get_json(silent=True) if request.data else {}
    if not isinstance(body, dict):
        abort(400, "the body must be a JSON object")
    return body


def invalid(fields: dict, message: str = "nothing was started or saved") -> Response:
    """The 422 answer to bad input: a message per field (`fields`), and what was not done."""
    response = jsonify(error="invalid", message=message, fields=fields)
    response.status_code = 422
    return response
