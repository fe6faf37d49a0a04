"""The `house` command: Litestar's CLI with the commands an operator needs added.

house run              serve the web app (Litestar's own command)
house worker           run a background worker
house migrate          apply database migrations
house create-admin     create the first admin of a new install
house demo             load the demo data (not in production)
house backup FILE      online backup (SQLite backup API, or pg_dump -Fc)
house restore FILE     restore a backup into the configured database
house mail-sink        development: a local mail server that logs every email to a file
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from litestar.plugins import CLIPluginProtocol

T = TypeVar("T")


def _run(make: Callable[[], Awaitable[T]]) -> T:
    """Run one coroutine with the database opened and closed around it."""
    from house import registry
    from house.db import close_database, open_database

    async def main() -> T:
        await open_database()
        registry.install()
        try:
            return await make()
        finally:
            await close_database()

    return asyncio.run(main())


@click.command("migrate")
def migrate() -> None:
    """Apply every migration that has not run yet."""
    from piccolo.apps.migrations.commands.forwards import run_forwards

    async def go() -> None:
        response = await run_forwards(app_name="house")
        if not response.success:
            raise click.ClickException(response.message or "migrations failed")

    _run(go)
    click.echo("Migrations are up to date.")


@click.command("create-admin")
@click.option("--email", required=True, help="The admin's email (their login).")
@click.option("--name", required=True, help="The admin's full name.")
@click.password_option(help="At least 12 characters; asked for if not given.")
def create_admin(email: str, name: str, password: str) -> None:
    """Create an admin account (the first one of a new install)."""
    from house.accounts import services
    from house.lib import clock
    from house.lib.errors import DomainError
    from house.lib.text import is_email, normalise_email

    if not is_email(normalise_email(email)):
        raise click.BadParameter("not an email address", param_hint="--email")
    try:
        _run(
            lambda: services.create_admin(
                email=email, name=name.strip()[:120], password=password, now=clock.now()
            )
        )
    except DomainError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"Admin {normalise_email(email)} created. Sign in at the web app.")


@click.command("demo")
def demo() -> None:
    """Load the demo data once and print the demo logins."""
    from house.demo import DEMO_PASSWORD, load_demo
    from house.lib import clock
    from house.settings import get_settings

    if get_settings().env == "production":
        raise click.ClickException("demo data is never loaded when HOUSE_ENV=production")
    logins = _run(lambda: load_demo(clock.now()))
    click.echo(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    for email, role in logins:
        click.echo(f"  {role:<13} {email}")


@click.command("mail-sink")
@click.option("--port", default=8025, show_default=True)
@click.option("--log", "log", type=click.Path(path_type=Path), default=Path("var/mail.log"))
def mail_sink(port: int, log: Path) -> None:
    """Development only: a local mail server on 127.0.0.1 that appends every email to a
    log file (what `make run` uses when SMTP_HOST is not set)."""
    try:
        from house.outbox.mail_sink import serve
    except ImportError as exc:  # pragma: no cover - aiosmtpd comes with the dev extra
        raise click.ClickException("the mail sink needs: pip install -e '.[dev]'") from exc
    click.echo(f"Mail sink on 127.0.0.1:{port}; emails are appended to {log}")
    serve("127.0.0.1", port, log)


@click.command("worker")
@click.option("--burst", is_flag=True, help="Run the queued jobs, then stop.")
def worker(burst: bool) -> None:
    """Run a background worker (jobs and the cron schedule)."""
    from arq.worker import run_worker

    from house.worker import WorkerSettings

    run_worker(WorkerSettings, burst=burst)  # type: ignore[arg-type]


@click.command("backup")
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
def backup(target: Path) -> None:
    """Write an online backup of the database to TARGET."""
    from house.settings import get_settings

    settings = get_settings()
    if settings.is_postgres:
        _pg_tool("pg_dump", "-Fc", "--no-owner", "-f", str(target), settings.database_url)
    else:
        # SQLite's online backup API copies a consistent snapshot while the app runs.
        with (
            sqlite3.connect(settings.sqlite_path) as source,
            sqlite3.connect(target) as destination,
        ):
            source.backup(destination)
    click.echo(f"Backup written to {target}.")


@click.command("restore")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask before replacing the data.")
def restore(source: Path, yes: bool) -> None:
    """Replace the database's contents with a backup (stop the app and workers first)."""
    from house.settings import get_settings

    settings = get_settings()
    if not yes:
        click.confirm(f"Replace all data in the {settings.database_engine} database?", abort=True)
    if settings.is_postgres:
        _pg_tool(
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "-d",
            settings.database_url,
            str(source),
        )
    else:
        with sqlite3.connect(source) as backup_db, sqlite3.connect(settings.sqlite_path) as live:
            backup_db.backup(live)
    click.echo(f"Restored from {source}.")


def _pg_tool(name: str, *args: str) -> None:
    binary = shutil.which(name)
    if binary is None:
        raise click.ClickException(
            f"{name} is not installed (Debian: apt-get install postgresql-client)"
        )
    result = subprocess.run([binary, *args], check=False)  # noqa: S603 - fixed binary, our args
    if result.returncode != 0:
        raise click.ClickException(f"{name} failed with exit code {result.returncode}")


COMMANDS = [migrate, create_admin, demo, worker, backup, restore, mail_sink]


class HouseCLIPlugin(CLIPluginProtocol):
    def on_cli_init(self, cli: click.Group) -> None:
        for command in COMMANDS:
            cli.add_command(command)


def main() -> Any:
    os.environ.setdefault("LITESTAR_APP", "house.app:create_app")
    from litestar.cli.main import litestar_group

    return litestar_group()
