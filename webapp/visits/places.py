"""Where a visit happens: a map link for a company's address (Kakao Map, which needs no key
and opens the app on phones; the search falls back to the coordinates' place)."""

from __future__ import annotations

from urllib.parse import quote

from webapp.directory.models import Company

KAKAO_MAP = "https://map.kakao.com/link/map/{name},{lat},{lon}"
KAKAO_SEARCH = "https://map.kakao.com/link/search/{query}"


def map_url(company: Company) -> str:
    """A Kakao Map link: the company's address searched, else a pin at its coordinates."""
    if company.address:
        return KAKAO_SEARCH.format(query=quote(company.address))
    return KAKAO_MAP.format(name=quote(company.name.replace(",", " ")), lat=company.lat, lon=company.lon)
