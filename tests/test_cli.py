"""The `house` command: first admin, backup and restore, on the configured engine."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from house.accounts.tables import User
from house.settings import get_settings
from tests.conftest import ENGINE, POSTGRES_ADMIN_DSN, _postgres_admin
from tests.factories import unique


def house_cmd(*args: str, env: dict[str, str] | None = None, stdin: str = "") -> str:
    result = subprocess.run(
        [sys.executable, "-m", "house", *args],
        env={**os.environ, **(env or {})},
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


async def test_it_creates_the_first_admin_who_can_sign_in(client: object) -> None:
    email = f"{unique('first')}@house.test"
    out = house_cmd(
        "create-admin",
        "--email",
        email,
        "--name",
        "First Admin",
        stdin="a long admin password\na long admin password\n",
    )
    assert "created" in out
    row = await User.select(User.role, User.password_hash).where(User.email == email).first()
    assert row is not None
    assert row["role"] == "admin"
    assert row["password_hash"].startswith("$argon2id$")


def test_it_refuses_a_weak_first_admin_password() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "house",
            "create-admin",
            "--email",
            "weak@house.test",
            "--name",
            "Weak",
            "--password",
            "password",
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode != 0
    assert "at least 12 characters" in result.stderr + result.stdout


async def test_it_backs_up_and_restores_into_an_empty_database(tmp_path: Path) -> None:
    marker = f"{unique('backup')}@house.test"
    house_cmd(
        "create-admin",
        "--email",
        marker,
        "--name",
        "Kept In Backup",
        "--password",
        "a long admin password",
    )
    backup = tmp_path / "house.backup"
    house_cmd("backup", str(backup))
    assert backup.stat().st_size > 0

    if ENGINE == "postgres":
        restored_db = f"house_restore_{os.getpid()}"
        await _postgres_admin(f"DROP DATABASE IF EXISTS {restored_db}")
        await _postgres_admin(f"CREATE DATABASE {restored_db}")
        target = POSTGRES_ADMIN_DSN.rsplit("/", 1)[0] + f"/{restored_db}"
    else:
        target = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    try:
        house_cmd("restore", "--yes", str(backup), env={"DATABASE_URL": target})
        check = (
            "import asyncio\n"
            "from house.db import open_database, close_database\n"
            "from house.accounts.tables import User\n"
            "async def main():\n"
            "    await open_database()\n"
            f"    print(await User.exists().where(User.email == {marker!r}))\n"
            "    await close_database()\n"
            "asyncio.run(main())\n"
        )
        result = subprocess.run(
            [sys.executable, "-c", check],
            env={**os.environ, "DATABASE_URL": target},
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )
        assert result.stdout.strip().endswith("True")
    finally:
        if ENGINE == "postgres":
            await _postgres_admin(f"DROP DATABASE IF EXISTS {restored_db} WITH (FORCE)")
    assert get_settings().database_url != target
