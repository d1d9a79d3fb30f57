"""The password policy: visible characters count, and there is a maximum."""

import pytest

from webapp.accounts.passwords import MAX_PASSWORD_LENGTH, password_problem


@pytest.mark.parametrize(
    "password",
    [
        " " * 8 + "1",
        "\u200b" * 8 + "1",  # zero-width spaces
        "\u3000" * 8 + "1",  # ideographic spaces
        "\t\n\r" * 3 + "1",
        "a1" + "\u200d" * 10,  # joiners do not make it long enough
        "a" * (MAX_PASSWORD_LENGTH - 1) + "1!",
        "abcdefgh",
        "12345678",
    ],
)
def test_weak_or_endless_passwords_are_refused(password):
    assert password_problem(password) is not None


@pytest.mark.parametrize(
    "password", ["pass-word-1", "비밀번호는길어요2026", "a b c d e f 1 2", "x" * 127 + "1"]
)
def test_ordinary_passwords_pass(password):
    assert password_problem(password) is None


def test_the_account_page_refuses_a_password_of_spaces(clients):
    new = " " * 8 + "1"
    page = clients["mentor_a"].post(
        "/account/password", data={"current": "pass-word-1", "new": new, "again": new}
    )
    assert page.status_code == 400
