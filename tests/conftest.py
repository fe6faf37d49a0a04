"""The test bed: real databases, real Redis, a real worker, a real SMTP server, a real browser.

Which database: HOUSE_TEST_DB=sqlite (default) or postgres. `make test` runs the suite
once on each. The environment is set here, before anything imports `house`.

Under CI=true a missing PostgreSQL, Redis or Chromium fails the run; on a laptop the tests
that need one are skipped with a message saying what to start.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import shutil
import socket
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

ENGINE = os.environ.get("HOUSE_TEST_DB", "sqlite")
IN_CI = os.environ.get("CI", "").lower() == "true"
POSTGRES_ADMIN_DSN = os.environ.get(
    "HOUSE_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test"
)
REDIS_URL = os.environ.get("HOUSE_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
TMP = Path(tempfile.mkdtemp(prefix="house-test-"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


SMTP_PORT = free_port()
os.environ.update(
    {
        "HOUSE_ENV": "test",
        "HOUSE_VAR_DIR": str(TMP),
        "BASE_URL": "https://house.test",
        "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
        "REDIS_URL": REDIS_URL,
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(SMTP_PORT),
        "MAIL_FROM": "house@house.test",
        "ENQUEUE_TIMEOUT": "0.5",
        # argon2id at its least cost (settings allow it only under HOUSE_ENV=test); the tests
        # of hashing itself (tests/accounts/test_passwords.py) switch back to the real cost.
        "PASSWORD_HASHING": "fast",
    }
)


def _missing(what: str, how: str) -> None:
    """A service the tests need is not there: fail under CI, skip on a laptop."""
    message = f"{what} is not available ({how})"
    if IN_CI:
        pytest.fail(f"CI=true and {message}", pytrace=False)
    pytest.skip(message)


async def _postgres_admin(sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(POSTGRES_ADMIN_DSN, timeout=5)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


PG_DB = f"house_test_{os.getpid()}"
if ENGINE == "postgres":
    try:
        asyncio.run(_postgres_admin(f"DROP DATABASE IF EXISTS {PG_DB}"))
        asyncio.run(_postgres_admin(f"CREATE DATABASE {PG_DB}"))
    except Exception as exc:
        if IN_CI:
            raise SystemExit(f"CI=true and PostgreSQL is not reachable: {exc}") from exc
        raise SystemExit(f"PostgreSQL is not reachable ({exc}); run the SQLite suite only") from exc
    base = POSTGRES_ADMIN_DSN.rsplit("/", 1)[0]
    os.environ["DATABASE_URL"] = f"{base}/{PG_DB}"
elif ENGINE == "sqlite":
    os.environ["DATABASE_URL"] = f"sqlite:///{TMP / 'test.sqlite3'}"
else:
    raise SystemExit(f"HOUSE_TEST_DB must be sqlite or postgres, not {ENGINE!r}")


# httpx logs every request at INFO; the test output has no use for it.
logging.getLogger("httpx").setLevel(logging.WARNING)

# Only now may `house` be imported.
from house import registry  # noqa: E402
from house.db import close_database, open_database  # noqa: E402
from tests.cast import Cast, make_cast  # noqa: E402
from tests.client import Client  # noqa: E402


def pytest_report_header() -> list[str]:
    return [f"house: database {ENGINE} ({os.environ['DATABASE_URL']}), redis {REDIS_URL}"]


@pytest.fixture(scope="session", autouse=True)
async def database() -> AsyncIterator[None]:
    """The test schema, built by running the real migrations once per session."""
    from piccolo.apps.migrations.commands.forwards import run_forwards

    await open_database()
    registry.install()
    response = await run_forwards(app_name="house")
    assert response.success, response.message
    yield
    await close_database()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if ENGINE == "postgres":
        with contextlib.suppress(Exception):
            asyncio.run(_postgres_admin(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)"))
    shutil.rmtree(TMP, ignore_errors=True)


@pytest.fixture(scope="session")
async def app(database: None) -> AsyncIterator[object]:
    from house.app import create_app, lifespan

    application = create_app()
    # The app's own lifespan function, entered directly: Litestar's lifespan() runs in an
    # anyio task group that cannot be left from pytest's teardown task.
    async with lifespan(application):
        yield application


@pytest.fixture(scope="session")
async def cast(database: None) -> Cast:
    """The named people every access test walks (made once; tests do not change them)."""
    return await make_cast()


@pytest.fixture(scope="session")
async def demo(database: None) -> dict[str, int]:
    """The demo data, loaded once for the session (every test that reads it asks for this
    fixture, none calls load_demo first). Returns the highest id of each table the demo's
    ledgers come from, taken right after loading: later tests' job runs walk every house,
    the demo's too, and a test that compares the demo with itself reads only up to these."""
    from house.amendments.tables import Amendment
    from house.cm.tables import CmEntry
    from house.demo import load_demo
    from house.lib import clock
    from house.screens.tables import Screen

    await load_demo(clock.now())
    marks = {}
    for table in (Screen, Amendment, CmEntry):
        last = await table.select(table.id).order_by(table.id, ascending=False).first()
        marks[table._meta.tablename] = last["id"] if last else 0
    return marks


@pytest.fixture
async def client(app: object) -> AsyncIterator[Client]:
    async with Client(app) as c:
        yield c


@pytest.fixture
def frozen_clock() -> Iterator[object]:
    """Freeze house's clock at the real now; tests move it with clock.advance()."""
    from house.lib import clock

    clock.freeze(clock.now())
    yield clock
    clock.freeze(None)


@pytest.fixture
def queries() -> object:
    """`with queries() as q: ...; q.count` counts the statements sent to the database."""
    from house.db import query_counter

    @contextlib.contextmanager
    def counting() -> Iterator[object]:
        class Counted:
            count = 0

        counted = Counted()
        start = query_counter.count
        try:
            yield counted
        finally:
            counted.count = query_counter.count - start

    return counting


@pytest.fixture(scope="session")
async def redis_available() -> str:
    """The test Redis URL, after checking that Redis answers."""
    from redis.asyncio import Redis

    redis = Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        await redis.ping()
        await redis.flushdb()
    except Exception as exc:
        _missing("Redis", f"{REDIS_URL}: {type(exc).__name__}")
    finally:
        await redis.aclose()
    return REDIS_URL


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[Any]:
    """A real SMTP server (aiosmtpd) on the port the settings name; it keeps what it gets.

    `refuse_with = "550 ..."` makes it refuse recipients until set back to None."""
    from email import message_from_bytes
    from email.message import Message

    from aiosmtpd.controller import Controller

    class Mailbox:
        def __init__(self) -> None:
            self.messages: list[Message] = []
            self.refuse_with: str | None = None

        async def handle_RCPT(
            self, server: Any, session: Any, envelope: Any, address: str, options: Any
        ) -> str:
            if self.refuse_with:
                return self.refuse_with
            envelope.rcpt_tos.append(address)
            return "250 OK"

        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            self.messages.append(message_from_bytes(envelope.content))
            return "250 Message accepted"

        def to(self, address: str) -> list[Message]:
            return [m for m in self.messages if m["To"] == address]

    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=SMTP_PORT)
    controller.start()
    yield mailbox
    controller.stop()


@pytest.fixture
async def run_worker(redis_available: str, smtp_server: Any) -> Any:
    """`await run_worker()` runs a real arq worker in burst mode on the real Redis (or on
    `redis_url`, e.g. a private_redis): it starts the cron jobs due at start-up, runs
    everything queued, then stops."""
    from arq.connections import RedisSettings, create_pool
    from arq.worker import Worker
    from redis.asyncio import Redis

    from house.worker import FUNCTIONS, make_cron_jobs

    # An empty queue for each test that runs a worker: jobs that earlier tests enqueued and
    # nobody ran (every page that changes data enqueues best-effort) would otherwise all run
    # in this test's burst, and on a busy machine the burst outlasts its time limit. What
    # this test enqueues after this point is kept.
    redis = Redis.from_url(redis_available)
    try:
        await redis.flushdb()
    finally:
        await redis.aclose()

    async def run(with_cron: bool = True, redis_url: str | None = None) -> Worker:
        pool = await create_pool(RedisSettings.from_dsn(redis_url or redis_available))
        worker = Worker(
            functions=FUNCTIONS,
            cron_jobs=make_cron_jobs() if with_cron else None,
            redis_pool=pool,
            burst=True,
            poll_delay=0.05,
            handle_signals=False,
        )
        try:
            # Burst mode stops when the queue is empty; the limit only guards against a hang.
            # The suite shares one database, so a burst late in the run also sends the alert
            # emails of every earlier test (about a thousand to the many admins by then).
            await asyncio.wait_for(worker.main(), timeout=240)
        finally:
            await worker.close()
        return worker

    return run


@pytest.fixture
def private_redis() -> Iterator[Any]:
    """A redis-server of this test's own, on a free port, that the test may stop and start
    again (empty, on the same port)."""
    import subprocess
    import time

    binary = shutil.which("redis-server")
    if binary is None:
        _missing("redis-server", "apt-get install redis-server, or `make setup`")
    port = free_port()
    args = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]

    def spawn() -> subprocess.Popen[bytes]:
        proc = subprocess.Popen(
            args,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
                break
            time.sleep(0.05)
        return proc

    class Handle:
        url = f"redis://127.0.0.1:{port}/0"
        proc = spawn()

        def stop(self) -> None:
            self.proc.terminate()
            self.proc.wait(timeout=10)

        def start(self) -> None:
            self.proc = spawn()

    handle = Handle()
    yield handle
    if handle.proc.poll() is None:
        handle.proc.kill()
        handle.proc.wait(timeout=10)
