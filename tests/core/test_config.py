"""The app's public address has one setting, PUBLIC_URL; the names earlier releases read still
work when it is not set, so a deployment that set one of them keeps its links."""

import pytest

from webapp import config
from webapp.core import links

OLD_NAMES = ("APP_BASE_URL", "PUBLIC_BASE_URL")


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in ("PUBLIC_URL", *OLD_NAMES):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_public_url_is_the_one_setting_and_wins_over_the_older_names(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("APP_BASE_URL", "https://old.example.kr")
    clean_env.setenv("PUBLIC_URL", "https://mentor.jbsf.kr")
    assert config.flask_settings()["PUBLIC_URL"] == "https://mentor.jbsf.kr"
    assert not {"APP_BASE_URL", "PUBLIC_BASE_URL"} & config.flask_settings().keys()


@pytest.mark.parametrize("name", OLD_NAMES)
def test_an_older_name_still_sets_the_address_of_the_links(clean_env: pytest.MonkeyPatch, name: str) -> None:
    clean_env.setenv(name, "https://old.example.kr/")
    clean_env.setenv("SECRET_KEY", "test")
    assert config.public_url() == "https://old.example.kr/"
    assert links.signed_url(1, "/coordinator/").startswith("https://old.example.kr/go/")


def test_without_a_setting_links_point_at_the_local_server(clean_env: pytest.MonkeyPatch) -> None:
    assert config.public_url() == "http://127.0.0.1:5000"
