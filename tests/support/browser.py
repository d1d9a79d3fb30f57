"""Helpers of the browser tests."""

from __future__ import annotations


def sign_in(page, base: str, email: str, password: str) -> None:
    """Sign in through the form, then switch the pages to English."""
    page.goto(f"{base}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.click("nav.lang a[lang=en]")
