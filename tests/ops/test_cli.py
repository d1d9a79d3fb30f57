from pathlib import Path

from sqlmodel import Session, func, select

from webapp.accounts.models import User
from webapp.accounts.passwords import verify_password
from webapp.directory.models import Company, Mentor
from webapp.outcomes import demo as demo_outcomes

SAMPLES = Path(__file__).resolve().parents[2] / "webapp" / "samples"


def _count(app, model):
    with Session(app.extensions["engine"]) as session:
        return session.exec(select(func.count()).select_from(model)).one()


def test_db_upgrade_on_an_empty_database(tmp_path):
    from webapp import create_app

    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'new.sqlite3'}", "SECRET_KEY": "x"})
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert _count(app, Company) == 0
    result = app.test_cli_runner().invoke(args=["db", "downgrade", "base"])
    assert result.exit_code == 0, result.output


def test_demo_load_prints_logins_and_if_empty_skips(app, runner):
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    assert "coordinator@demo.jbsf.kr / coordinator-2026 / coordinator" in result.output
    result = runner.invoke(args=["demo", "load", "--if-empty"])
    assert "already has data" in result.output
    assert _count(app, Company) == 300 + demo_outcomes.COMPANIES  # the directory's and the 2025 cohort's


def test_user_create_validates(app, runner):
    ok = runner.invoke(
        args=[
            "user",
            "create",
            "--email",
            "Boss@Example.kr",
            "--role",
            "coordinator",
            "--password",
            "s3cret-pass",
        ]
    )
    assert ok.exit_code == 0, ok.output
    with Session(app.extensions["engine"]) as session:
        user = session.exec(select(User)).one()
        assert user.email == "boss@example.kr" and verify_password(user.password_hash, "s3cret-pass")
    again = runner.invoke(
        args=[
            "user",
            "create",
            "--email",
            "boss@example.kr",
            "--role",
            "coordinator",
            "--password",
            "s3cret-pass",
        ]
    )
    assert again.exit_code != 0 and "already exists" in again.output
    weak = runner.invoke(
        args=["user", "create", "--email", "x@example.kr", "--role", "coordinator", "--password", "short"]
    )
    assert weak.exit_code != 0 and "at least 8" in weak.output
    unlinked = runner.invoke(
        args=["user", "create", "--email", "m@example.kr", "--role", "mentor", "--password", "s3cret-pass"]
    )
    assert unlinked.exit_code != 0 and "linked to an existing mentor" in unlinked.output


def test_import_commands(app, runner, tmp_path):
    ok = runner.invoke(args=["import", "companies", str(SAMPLES / "companies.xlsx")])
    assert ok.exit_code == 0 and "4 companies created, 0 updated" in ok.output
    ok = runner.invoke(args=["import", "mentors", str(SAMPLES / "mentors.csv")])
    assert ok.exit_code == 0 and "3 mentors created" in ok.output
    bad = tmp_path / "bad.csv"
    bad.write_text("email,name,municipality,industries\nz@x.kr,Z,Atlantis,C29\n", encoding="utf-8")
    result = runner.invoke(args=["import", "mentors", str(bad)])
    assert result.exit_code == 2
    assert "row 2, municipality: 'Atlantis' is not one of the 14 cities" in result.output
    assert _count(app, Mentor) == 3
