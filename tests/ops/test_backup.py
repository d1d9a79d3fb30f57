"""Backup and restore round trip, through the command line, on both databases."""

from sqlmodel import Session, delete, func, select, update

from webapp.directory.models import Company, Mentor, MentorIndustry
from webapp.outcomes import demo as demo_outcomes

BACKENDS = ("sqlite", "postgres")


def _counts(app):
    with Session(app.extensions["engine"]) as session:
        counts = [session.exec(select(func.count()).select_from(m)).one() for m in (Company, MentorIndustry)]
        return [*counts, session.exec(select(func.sum(Mentor.capacity))).one()]


def test_backup_restore_round_trip(app, runner, tmp_path):
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    before = _counts(app)
    target = tmp_path / "backups" / "mentoring.backup"
    result = runner.invoke(args=["db", "backup", str(target)])
    assert result.exit_code == 0, result.output
    assert target.stat().st_size > 10_000

    with Session(app.extensions["engine"]) as session:  # a bad day: data lost after the backup
        session.exec(delete(MentorIndustry))
        session.exec(update(Mentor).values(capacity=0))
        session.commit()
    assert _counts(app)[1:] == [0, 0]

    result = runner.invoke(args=["db", "restore", str(target), "--yes"])
    assert result.exit_code == 0, result.output
    assert _counts(app) == before and before[0] == 300 + demo_outcomes.COMPANIES and before[1] > 60


def test_restore_refuses_a_file_that_is_not_a_backup(app, runner, tmp_path):
    runner.invoke(args=["demo", "load"])
    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"this is not a backup" * 100)
    result = runner.invoke(args=["db", "restore", str(junk), "--yes"])
    assert result.exit_code != 0
    assert _counts(app)[0] == 300 + demo_outcomes.COMPANIES
