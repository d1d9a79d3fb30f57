"""Command-line entry points: `flask --app webapp <group> <command>` (see README)."""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlmodel import Session, select

from webapp.accounts.models import Role
from webapp.accounts.service import AccountError, create_user
from webapp.core.clock import utcnow
from webapp.core.db import session_scope
from webapp.directory.importing import ImportRejected, import_spreadsheet
from webapp.directory.models import Company
from webapp.directory.reference_data import seed_reference_data
from webapp.matching.schedule import load_settings, previous_weekly_run
from webapp.matching.scheduled import NewCompanyDebounce, Outcome, run_weekly
from webapp.ops import migrate
from webapp.ops.backup import BackupError, backup, restore
from webapp.ops.demo import DEMO_COMPANY, DEMO_MENTOR, load_demo_data
from webapp.ops.demo_visits import pair_demo_logins
from webapp.ops.scheduler import SchedulerService
from webapp.outcomes import scheduled as outcome_jobs
from webapp.visits.planning import VisitPolicy


def _engine():
    return current_app.extensions["engine"]


db_cli = AppGroup("db", help="Create and migrate the database.")


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Apply migrations (default: all) and load the reference tables."""
    migrate.upgrade(_engine(), revision)
    if revision == "head":
        with session_scope(_engine()) as session:
            seed_reference_data(session)
    click.echo(f"Database at {_engine().url.render_as_string()} is at {revision}.")


@db_cli.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Revert migrations down to REVISION ('base' removes every table)."""
    migrate.downgrade(_engine(), revision)
    click.echo(f"Database downgraded to {revision}.")


user_cli = AppGroup("user", help="Manage user accounts.")


@user_cli.command("create")
@click.option("--email", required=True)
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--mentor-id", type=int, help="For a mentor login: the mentor it belongs to.")
@click.option("--company-id", type=int, help="For a company login: the company it belongs to.")
@click.option("--name", "display_name", default="")
def user_create(email, role, password, mentor_id, company_id, display_name) -> None:
    """Create a login for a coordinator, a mentor or a company."""
    try:
        with session_scope(_engine()) as session:
            user = create_user(
                session,
                email=email,
                password=password,
                role=role,
                mentor_id=mentor_id,
                company_id=company_id,
                display_name=display_name,
            )
            click.echo(f"Created {user.role} user {user.email} (id {user.id}).")
    except AccountError as exc:
        raise click.ClickException(str(exc)) from None


demo_cli = AppGroup("demo", help="Demo data.")


@demo_cli.command("load")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has companies.")
def demo_load(if_empty: bool) -> None:
    """Fill the database with realistic demo mentors, companies and one login per role."""
    with Session(_engine()) as session:
        if if_empty and session.exec(select(Company).limit(1)).first() is not None:
            click.echo("Database already has data; demo data not loaded.")
            return
    with session_scope(_engine()) as session:
        summary = load_demo_data(session, Path(current_app.config["MEDIA_ROOT"]))
        session.flush()
        pair_demo_logins(session, DEMO_MENTOR, DEMO_COMPANY)
    click.echo(f"Demo data: {summary.mentors} mentors, {summary.companies} companies.")
    click.echo("The demo mentor and company are paired, with a visit in flight.")
    click.echo("Demo logins (email / password / role):")
    for email, password, role in summary.logins:
        click.echo(f"  {email} / {password} / {role}")


import_cli = AppGroup("import", help="Import companies or mentors from .xlsx or CSV.")


def _import(kind: str, path: Path) -> None:
    try:
        with session_scope(_engine()) as session:
            result = import_spreadsheet(session, kind, path.name, path.read_bytes())
    except ImportRejected as exc:
        click.echo(f"{path}: rejected, nothing was imported:", err=True)
        for error in exc.errors:
            click.echo(f"  {error}", err=True)
        raise SystemExit(2) from None
    click.echo(f"{path}: {result.created} {kind} created, {result.updated} updated.")


@import_cli.command("companies")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_companies(path: Path) -> None:
    """Import companies (keyed by business registration number)."""
    _import("companies", path)


@import_cli.command("mentors")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_mentors(path: Path) -> None:
    """Import mentors (keyed by email)."""
    _import("mentors", path)


@db_cli.command("backup")
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
def db_backup(target: Path) -> None:
    """Write a consistent backup of the live database and the photos to TARGET (a .tar)."""
    try:
        backup(_engine(), target, Path(current_app.config["MEDIA_ROOT"]))
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Backup written to {target}.")


@db_cli.command("restore")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def db_restore(source: Path, yes: bool) -> None:
    """Replace the whole database and the photos with the backup SOURCE."""
    if not yes:
        click.confirm(f"Replace everything in {_engine().url.render_as_string()} with {source}?", abort=True)
    try:
        restore(_engine(), source, Path(current_app.config["MEDIA_ROOT"]))
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Database restored from {source}.")


scheduler_cli = AppGroup("scheduler", help="Automatic matching runs.")


@scheduler_cli.command("run")
@click.option(
    "--poll-seconds",
    default=30.0,
    show_default=True,
    help="How often settings and new companies are checked.",
)
@click.option(
    "--quiet-minutes",
    default=3.0,
    show_default=True,
    help="New companies wait this long without further arrivals before a run.",
)
def scheduler_run(poll_seconds: float, quiet_minutes: float) -> None:
    """Run the scheduler process (one per deployment; never inside web workers)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    debounce = NewCompanyDebounce(quiet=timedelta(minutes=quiet_minutes))
    policy = VisitPolicy.from_config(current_app.config)
    service = SchedulerService(
        _engine(),
        poll_seconds=poll_seconds,
        debounce=debounce,
        visit_policy=policy,
        app=current_app._get_current_object(),  # type: ignore[attr-defined]
    )
    outcome_jobs.register(service.scheduler, current_app._get_current_object())  # type: ignore[attr-defined]
    service.start()


@scheduler_cli.command("trigger")
@click.argument("job", type=click.Choice(["weekly", "new-companies", "surveys"]))
def scheduler_trigger(job: str) -> None:
    """Run one job now, as the scheduler would (the weekly job for its latest window)."""
    now = utcnow()
    if job == "surveys":
        counts = outcome_jobs.run_surveys(current_app._get_current_object())  # type: ignore[attr-defined]
        click.echo("Surveys: {made} made, {sent} sent, {reminded} reminded.".format(**counts))
        return
    outcome: Outcome | None
    if job == "weekly":
        with session_scope(_engine()) as session:
            due = previous_weekly_run(load_settings(session), now)
        outcome = run_weekly(_engine(), due)
    else:
        outcome = NewCompanyDebounce(quiet=timedelta(0)).check(_engine(), now)
        if outcome is None:
            click.echo("No new companies to match.")
            return
    click.echo(f"{outcome.status}: {outcome.message}")


def register(app: Flask) -> None:
    for group in (db_cli, user_cli, demo_cli, import_cli, scheduler_cli):
        app.cli.add_command(group)
