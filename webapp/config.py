"""Settings from the environment: every environment variable the app reads is read here (the
README lists them). Everything else is configured through the Flask config (create_app's
test_config) or has a fixed default in its module."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

INSTANCE_DIR = Path(__file__).resolve().parent.parent / "instance"
DEFAULT_SQLITE_PATH = INSTANCE_DIR / "mentoring.sqlite3"
DEFAULT_LOGIN_RATE_LIMIT = "10 per minute"
DEFAULT_RATELIMIT_STORAGE_URI = "memory://"
MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # spreadsheets for import


def database_url(explicit: str | None = None) -> str:
    """DATABASE_URL, else the SQLite file under instance/."""
    return explicit or os.environ.get("DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE_PATH}"


def public_url() -> str:
    """PUBLIC_URL: the app's address as people reach it, for the links in emails and calendar
    entries made outside a request (the scheduler). APP_BASE_URL and PUBLIC_BASE_URL, the names
    earlier releases read, are still honoured when PUBLIC_URL is not set."""
    env = os.environ
    return (
        env.get("PUBLIC_URL")
        or env.get("APP_BASE_URL")
        or env.get("PUBLIC_BASE_URL")
        or "http://127.0.0.1:5000"
    )


def secret_key(instance_path: str) -> str:
    """SECRET_KEY from the environment, else one generated once and kept in instance/."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def translation_directories() -> list[Path]:
    """The shared catalog and every domain package's own (webapp/<package>/translations)."""
    root = Path(__file__).parent
    return [
        root / "translations",
        *sorted(root.glob("*/translations")),
        *sorted(root.glob("*/*/translations")),
    ]


def flask_settings() -> dict[str, Any]:
    """The app's Flask config before test_config: defaults and what the environment sets."""
    env = os.environ
    return {
        "DATABASE_URL": database_url(),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": env.get("SESSION_COOKIE_SECURE") == "1",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "MAX_CONTENT_LENGTH": MAX_UPLOAD_BYTES,
        "BABEL_DEFAULT_LOCALE": "ko",
        "BABEL_TRANSLATION_DIRECTORIES": ";".join(str(d) for d in translation_directories()),
        # Uploaded photos: one folder shared by every web worker (a shared volume), in backups.
        "MEDIA_ROOT": env.get("MEDIA_ROOT") or str(INSTANCE_DIR / "media"),
        # Spreadsheet exports made in the background (shared by the web workers like MEDIA_ROOT).
        "EXPORT_ROOT": env.get("EXPORT_ROOT") or str(INSTANCE_DIR / "exports"),
        "PUBLIC_URL": public_url(),
        "LOGIN_RATE_LIMIT": env.get("LOGIN_RATE_LIMIT", DEFAULT_LOGIN_RATE_LIMIT),
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI", DEFAULT_RATELIMIT_STORAGE_URI),
        "RATELIMIT_HEADERS_ENABLED": True,
        # Programs: the public application form's limit per address (bots).
        "APPLY_RATE_LIMIT": env.get("APPLY_RATE_LIMIT", "5 per hour; 20 per day"),
    }


@dataclass(frozen=True)
class SmtpConfig:
    """Where notification emails go (SMTP_HOST, SMTP_PORT, SMTP_FROM, SMTP_USER, SMTP_PASSWORD,
    SMTP_STARTTLS=1); the default is the local debugging server `make run` starts on port 8025."""

    host: str = "127.0.0.1"
    port: int = 8025
    sender: str = "mentoring@jbsf.kr"
    user: str = ""
    password: str = ""
    starttls: bool = False
    timeout: float = 10.0

    @classmethod
    def from_env(cls) -> SmtpConfig:
        env = os.environ
        return cls(
            host=env.get("SMTP_HOST", cls.host),
            port=int(env.get("SMTP_PORT", cls.port)),
            sender=env.get("SMTP_FROM", cls.sender),
            user=env.get("SMTP_USER", ""),
            password=env.get("SMTP_PASSWORD", ""),
            starttls=env.get("SMTP_STARTTLS") == "1",
        )
