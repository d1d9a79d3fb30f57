"""Backups of the database and the photos: SQLite's online backup API, pg_dump/pg_restore for
PostgreSQL, and the media folder (MEDIA_ROOT), together in one .tar.

A backup of a live SQLite database is consistent (the backup API copies pages under a read
transaction, so the web server and scheduler may keep writing). Restoring replaces the whole
database with the backup's content, and the media folder with the backup's photos. A backup made
before photos existed (the bare database file) still restores.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
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


MEDIA_MEMBER = "media"


def _database_member(url: sa.URL) -> str:
    return "database.sqlite3" if url.get_backend_name() == "sqlite" else "database.pgdump"


def backup(engine: sa.Engine, target: Path, media_root: Path | None = None) -> Path:
    """Write a backup to `target`: a .tar of the database and, when given, the media folder."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as work:
        dump = backup_database(engine, Path(work) / _database_member(engine.url))
        partial = Path(work) / "backup.tar"
        with tarfile.open(partial, "w") as archive:
            archive.add(dump, arcname=dump.name)
            if media_root is not None and media_root.is_dir():
                archive.add(media_root, arcname=MEDIA_MEMBER)
        os.replace(partial, target)
    return target


def backup_database(engine: sa.Engine, target: Path) -> Path:
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


def restore(engine: sa.Engine, source: Path, media_root: Path | None = None) -> None:
    """Replace the database (and, when given, the media folder) with the backup `source`."""
    if not source.is_file():
        raise BackupError(f"{source} is not a backup file")
    if not tarfile.is_tarfile(source):
        restore_database(engine, source)  # a bare database backup
        return
    with tempfile.TemporaryDirectory() as work, tarfile.open(source) as archive:
        member = _database_member(engine.url)
        try:
            archive.extract(member, work, filter="data")
        except KeyError:
            raise BackupError(f"{source} holds no {member} (a backup of another kind of database?)") from None
        media = [m for m in archive.getmembers() if m.name.split("/")[0] == MEDIA_MEMBER]
        archive.extractall(work, members=media, filter="data")
        restore_database(engine, Path(work) / member)
        if media_root is not None:
            _replace_folder(media_root, Path(work) / MEDIA_MEMBER)


def _replace_folder(live: Path, restored: Path) -> None:
    """Swap the restored folder in place of the live one (an empty one if the backup had none)."""
    live.parent.mkdir(parents=True, exist_ok=True)
    incoming = Path(tempfile.mkdtemp(dir=live.parent, prefix=f".{live.name}-restoring-"))
    if restored.is_dir():
        shutil.copytree(restored, incoming, dirs_exist_ok=True)
    old = live.with_name(f".{live.name}-replaced")
    shutil.rmtree(old, ignore_errors=True)
    if live.exists():
        live.rename(old)
    incoming.rename(live)
    shutil.rmtree(old, ignore_errors=True)


def restore_database(engine: sa.Engine, source: Path) -> None:
    """Replace the database behind `engine` with the content of the database backup `source`."""
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
