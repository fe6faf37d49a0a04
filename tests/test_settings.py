"""Settings come from the environment; a bad value stops the app with the variable's name."""

from __future__ import annotations

from pathlib import Path

import pytest

from house.settings import SettingsError, load_settings


def _env(tmp_path: Path, **values: str) -> dict[str, str]:
    return {"HOUSE_VAR_DIR": str(tmp_path), **values}


def test_it_defaults_to_sqlite_under_var_with_a_generated_kept_secret(tmp_path: Path) -> None:
    first = load_settings(_env(tmp_path))
    second = load_settings(_env(tmp_path))
    assert first.database_url == f"sqlite:///{tmp_path / 'house.sqlite3'}"
    assert first.database_engine == "sqlite"
    assert len(first.secret_key) >= 32
    assert first.secret_key == second.secret_key
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    assert first.secure_cookies is False  # plain http on 127.0.0.1


@pytest.mark.parametrize(
    ("values", "variable"),
    [
        ({"HOUSE_ENV": "staging"}, "HOUSE_ENV"),
        ({"DATABASE_URL": "mysql://x/y"}, "DATABASE_URL"),
        ({"DATABASE_URL": "postgresql://127.0.0.1:5432/"}, "DATABASE_URL"),
        ({"REDIS_URL": "http://127.0.0.1"}, "REDIS_URL"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"SMTP_PORT": "eighty"}, "SMTP_PORT"),
        ({"SMTP_PORT": "70000"}, "SMTP_PORT"),
        ({"SMTP_STARTTLS": "maybe"}, "SMTP_STARTTLS"),
        ({"BASE_URL": "ftp://example.org"}, "BASE_URL"),
        ({"ENQUEUE_TIMEOUT": "NaN"}, "ENQUEUE_TIMEOUT"),
        ({"SESSION_IDLE_SECONDS": "3600"}, "SESSION_IDLE_SECONDS"),  # never past 30 minutes
        ({"SESSION_IDLE_SECONDS": "20"}, "SESSION_IDLE_SECONDS"),  # seconds: tests only
        ({"BASE_URL": "https://house.example.org", "SECURE_COOKIES": "false"}, "SECURE_COOKIES"),
        ({"HOUSE_ENV": "production", "BASE_URL": "https://h.example.org"}, "SECRET_KEY"),
        ({"HOUSE_ENV": "production"}, "SECURE_COOKIES"),
        ({"PASSWORD_HASHING": "cheap"}, "PASSWORD_HASHING"),
        ({"PASSWORD_HASHING": "fast"}, "PASSWORD_HASHING"),  # development
    ],
)
def test_it_stops_on_a_bad_value_and_names_the_variable(
    tmp_path: Path, values: dict[str, str], variable: str
) -> None:
    with pytest.raises(SettingsError, match=variable):
        load_settings(_env(tmp_path, **values))


def test_it_ends_idle_sessions_after_30_minutes_unless_told_sooner(tmp_path: Path) -> None:
    assert load_settings(_env(tmp_path)).session_idle_seconds == 1800
    shorter = load_settings(_env(tmp_path, SESSION_IDLE_SECONDS="900"))
    assert shorter.session_idle_seconds == 900
    test = load_settings(_env(tmp_path, HOUSE_ENV="test", SESSION_IDLE_SECONDS="20"))
    assert test.session_idle_seconds == 20


def test_it_turns_on_secure_cookies_for_any_real_host(tmp_path: Path) -> None:
    settings = load_settings(
        _env(
            tmp_path,
            HOUSE_ENV="production",
            SECRET_KEY="k" * 40,
            BASE_URL="https://house.example.org",
            DATABASE_URL="postgresql://house@db.internal:5432/house",
        )
    )
    assert settings.secure_cookies is True
    assert settings.is_postgres


def test_it_refuses_the_test_suites_cheap_password_hashing_in_production(
    tmp_path: Path,
) -> None:
    production = _env(
        tmp_path,
        HOUSE_ENV="production",
        SECRET_KEY="k" * 40,
        BASE_URL="https://house.example.org",
    )
    assert load_settings(production).password_hashing == "standard"
    with pytest.raises(SettingsError, match="PASSWORD_HASHING=fast is for the test suite only"):
        load_settings({**production, "PASSWORD_HASHING": "fast"})
    assert (
        load_settings(_env(tmp_path, HOUSE_ENV="test", PASSWORD_HASHING="fast")).password_hashing
        == "fast"
    )


def test_it_stops_the_command_line_with_the_message(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "HOUSE_VAR_DIR": str(tmp_path), "SMTP_PORT": "eighty"}
    result = subprocess.run(
        [sys.executable, "-c", "from house.settings import get_settings; get_settings()"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SMTP_PORT must be a whole number" in result.stderr
