"""URLs of the pages: where to go after signing in or switching language, and pagers."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import request, url_for


def safe_next(target: str | None, default: str) -> str:
    """Only a path on this site, so `?next=` cannot send people elsewhere.

    Browsers drop tabs and line breaks inside a URL and read a backslash as a slash, so
    `/\\t/evil.example` would become `//evil.example`, another site: any control character,
    whitespace or backslash refuses the target, as does anything with a scheme or a host.
    """
    if not target or not target.startswith("/") or target.startswith("//"):
        return default
    if "\\" in target or any(not char.isprintable() or char.isspace() for char in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target


def url_with(**changes) -> str:
    """This page's URL with some query arguments changed (pagers keep the filters)."""
    args = {**request.args.to_dict(), **changes}
    assert request.endpoint is not None  # a pager is only drawn on a routed page
    return url_for(request.endpoint, **(request.view_args or {}), **args)
