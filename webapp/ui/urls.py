"""URLs of the pages: where to go after signing in or switching language, and pagers."""

from __future__ import annotations

from flask import request, url_for


def safe_next(target: str | None, default: str) -> str:
    """Only same-site paths, so `?next=` cannot send people elsewhere."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return default


def url_with(**changes) -> str:
    """This page's URL with some query arguments changed (pagers keep the filters)."""
    args = {**request.args.to_dict(), **changes}
    assert request.endpoint is not None  # a pager is only drawn on a routed page
    return url_for(request.endpoint, **(request.view_args or {}), **args)
