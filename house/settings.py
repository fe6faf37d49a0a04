"""Settings, all from the environment, checked once at start.

A bad value stops the process with a message that names the variable. Tests set the
environment before importing anything from `house` that reads settings.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

ROOT = Path(__file__).resolve().parent.parent
ENVIRONMENTS = ("development", "production", "test")
PASSWORD_HASHINGS = ("standard", "fast")
LOCAL_HOSTS = ("localhost", "127.0.0.1", "[::1]", "::1")


class SettingsError(Exception):
    """A setting is missing or malformed; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    env: str
    var_dir: Path
    database_url: str
    redis_url: str
    secret_key: str
    base_url: str
    secure_cookies: bool
    smtp_host: str
    smtp_port: int
    smtp_username: str
    smtp_password: str
    smtp_starttls: bool
    mail_from: str
    enqueue_timeout: float
    # Meeting-slip photos: outside the web root (never under static/), served by a route.
    upload_dir: Path
    # Sessions end after this many seconds without a request (30 minutes; never longer).
    session_idle_seconds: int
    # A new house's timezone; its region comes first in the timezone list.
    default_timezone: str
    # "standard" (argon2id's real cost) everywhere but the test suite; see accounts/passwords.py.
    password_hashing: str

    @property
    def is_postgres(self) -> bool:
        return self.database_url.startswith(("postgres://", "postgresql://"))

    @property
    def sqlite_path(self) -> Path:
        if self.is_postgres:
            raise SettingsError("DATABASE_URL is not a SQLite URL")
        return Path(self.database_url.removeprefix("sqlite:///"))

    @property
    def database_engine(self) -> str:
        return "postgresql" if self.is_postgres else "sqlite"


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise SettingsError(f"{name} must be true or false, not {raw!r}")


def _int(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = env.get(name) or str(default)
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, not {raw!r}") from None
    if not low <= value <= high:
        raise SettingsError(f"{name} must be between {low} and {high}, not {value}")
    return value


def _float(env: Mapping[str, str], name: str, default: float, low: float, high: float) -> float:
    raw = env.get(name) or str(default)
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number, not {raw!r}") from None
    if not low <= value <= high:
        raise SettingsError(f"{name} must be between {low} and {high}, not {value}")
    return value


def _database_url(env: Mapping[str, str], var_dir: Path) -> str:
    raw = env.get("DATABASE_URL") or f"sqlite:///{var_dir / 'house.sqlite3'}"
    if raw.startswith(("postgres://", "postgresql://")):
        parts = urlsplit(raw)
        if not parts.hostname and "host=" not in parts.query:
            raise SettingsError("DATABASE_URL names no PostgreSQL host")
        if not parts.path.strip("/"):
            raise SettingsError("DATABASE_URL names no PostgreSQL database")
        return raw
    if raw.startswith("sqlite:///") and len(raw) > len("sqlite:///"):
        return raw
    raise SettingsError(
        f"DATABASE_URL must start with sqlite:/// or postgresql://, not {raw.split(':')[0]!r}"
    )


def _redis_url(env: Mapping[str, str]) -> str:
    raw = env.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    if not raw.startswith(("redis://", "rediss://", "unix://")):
        raise SettingsError("REDIS_URL must start with redis://, rediss:// or unix://")
    return raw


def _secret_key(env: Mapping[str, str], environment: str, var_dir: Path) -> str:
    key = env.get("SECRET_KEY", "")
    if key:
        if len(key) < 32:
            raise SettingsError("SECRET_KEY must be at least 32 characters")
        return key
    if environment == "production":
        raise SettingsError("SECRET_KEY is required when HOUSE_ENV=production")
    # A local run keeps one generated key so sessions survive a restart.
    path = var_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key


def _base_url(env: Mapping[str, str]) -> str:
    raw = (env.get("BASE_URL") or "http://127.0.0.1:8000").rstrip("/")
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SettingsError(f"BASE_URL must be an http(s) URL with a host, not {raw!r}")
    return raw


def _upload_dir(env: Mapping[str, str], var_dir: Path) -> Path:
    raw = env.get("HOUSE_UPLOAD_DIR")
    path = Path(raw).resolve() if raw else var_dir / "uploads"
    static = (ROOT / "static").resolve()
    if path == static or static in path.parents:
        raise SettingsError("HOUSE_UPLOAD_DIR must not be under static/ (it would be public)")
    return path


def _timezone(env: Mapping[str, str]) -> str:
    """A place's zone ("America/Chicago"); house.lib.zones maps an alias ("US/Central") to
    the name the timezone lists show."""
    raw = env.get("DEFAULT_TIMEZONE") or "America/New_York"
    try:
        ZoneInfo(raw)
    except (ZoneInfoNotFoundError, ValueError):
        raw = ""
    if "/" not in raw or raw.startswith("Etc/"):
        raise SettingsError(
            "DEFAULT_TIMEZONE must be a place's timezone like America/Chicago, not "
            f"{env.get('DEFAULT_TIMEZONE')!r}"
        )
    return raw


def _password_hashing(env: Mapping[str, str], environment: str) -> str:
    raw = env.get("PASSWORD_HASHING") or "standard"
    if raw not in PASSWORD_HASHINGS:
        raise SettingsError(f"PASSWORD_HASHING must be standard or fast, not {raw!r}")
    # Cheap hashes would make stolen password hashes cheap to crack: only the test suite,
    # whose passwords are all made up, may have them.
    if raw == "fast" and environment != "test":
        raise SettingsError("PASSWORD_HASHING=fast is for the test suite only (HOUSE_ENV=test)")
    return raw


def load_settings(env: Mapping[str, str]) -> Settings:
    """Build settings from an environment mapping; raise SettingsError on a bad value."""
    environment = env.get("HOUSE_ENV") or "development"
    if environment not in ENVIRONMENTS:
        raise SettingsError(f"HOUSE_ENV must be one of {', '.join(ENVIRONMENTS)}")
    var_dir = Path(env.get("HOUSE_VAR_DIR") or ROOT / "var").resolve()
    base_url = _base_url(env)
    parts = urlsplit(base_url)
    # Browsers refuse Secure (and so __Host-) cookies over plain http, which a laptop uses;
    # only a plain-http localhost URL may turn them off.
    plain_local = parts.scheme == "http" and parts.hostname in LOCAL_HOSTS
    secure = _bool(env, "SECURE_COOKIES", not plain_local)
    if not secure and not plain_local:
        raise SettingsError("SECURE_COOKIES may be off only for a plain-http localhost BASE_URL")
    if environment == "production" and not secure:
        raise SettingsError("SECURE_COOKIES must be on when HOUSE_ENV=production")
    return Settings(
        env=environment,
        var_dir=var_dir,
        database_url=_database_url(env, var_dir),
        redis_url=_redis_url(env),
        secret_key=_secret_key(env, environment, var_dir),
        base_url=base_url,
        secure_cookies=secure,
        smtp_host=env.get("SMTP_HOST") or "127.0.0.1",
        smtp_port=_int(env, "SMTP_PORT", 25, 1, 65535),
        smtp_username=env.get("SMTP_USERNAME", ""),
        smtp_password=env.get("SMTP_PASSWORD", ""),
        smtp_starttls=_bool(env, "SMTP_STARTTLS", False),
        mail_from=env.get("MAIL_FROM") or "house@localhost",
        enqueue_timeout=_float(env, "ENQUEUE_TIMEOUT", 0.5, 0.05, 10.0),
        upload_dir=_upload_dir(env, var_dir),
        # Tests may shorten the idle limit to seconds (to watch the warning come and go).
        session_idle_seconds=_int(
            env, "SESSION_IDLE_SECONDS", 1800, 10 if environment == "test" else 300, 1800
        ),
        default_timezone=_timezone(env),
        password_hashing=_password_hashing(env, environment),
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings(os.environ)
