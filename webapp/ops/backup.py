"""Backups of the database: SQLite's online backup API, pg_dump/pg_restore for PostgreSQL.

A backup of a live SQLite database is consistent (the backup API copies pages under a read
transaction, so the web server and scheduler may keep writing). Restoring replaces the whole
database with the backup's content.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import sqlalchemy as sa


class BackupError(RuntimeError):
    """A backup or restore could not be made; the message says why."""


def _sqlite_path(url: sa.URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(url.database)


def _pg_args(url: sa.URL) -> tuple[list[str], dict[str, str]]:
    args = ["-h", url.host or "127.0.0.1", "-p", str(url.port or 5432), "-U", url.username or "postgres"]
    env = {"PGPASSWORD": url.password} if url.password else {}
    return args, env


def _database(url: sa.URL) -> str:
    if not url.database:
        raise BackupError("the database URL names no database")
    return url.database


def _run(command: list[str], env: dict[str, str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (Debian package postgresql-client)")
    result = subprocess.run(command, env={**os.environ, **env}, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


def backup(engine: sa.Engine, target: Path) -> Path:
    """Write a backup of the database behind `engine` to `target` (a file)."""
    url = engine.url
    target.parent.mkdir(parents=True, exist_ok=True)
    if url.get_backend_name() == "sqlite":
        source = sqlite3.connect(_sqlite_path(url))
        destination = sqlite3.connect(target)
        try:
            source.backup(destination)
        finally:
            destination.close()
            source.close()
        return target
    args, env = _pg_args(url)
    _run(["pg_dump", *args, "--format=custom", "--file", str(target), _database(url)], env)
    return target


def restore(engine: sa.Engine, source: Path) -> None:
    """Replace the database behind `engine` with the content of the backup `source`."""
    if not source.is_file():
        raise BackupError(f"{source} is not a backup file")
    url = engine.url
    engine.dispose()
    if url.get_backend_name() == "sqlite":
        try:
            backup_db = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
            backup_db.execute("SELECT count(*) FROM alembic_version").fetchone()
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{source} is not an SQLite backup of this application ({exc})") from None
        live = sqlite3.connect(_sqlite_path(url))
        try:
            backup_db.backup(live)
        finally:
            live.close()
            backup_db.close()
        return
    args, env = _pg_args(url)
    _run(
        [
            "pg_restore",
            *args,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--dbname",
            _database(url),
            str(source),
        ],
        env,
    )
