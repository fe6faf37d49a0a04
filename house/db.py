"""The database engine, opened safely for SQLite and PostgreSQL alike.

SQLite: WAL, a 10 s busy timeout, foreign keys on (Piccolo sets that per connection), and
every write in an IMMEDIATE transaction behind one in-process lock, so concurrent writers
queue instead of failing with "database is locked". PostgreSQL: a pool started in the
app's and the worker's lifespan.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from contextlib import asynccontextmanager, contextmanager
from typing import Any

from piccolo.engine.base import Engine
from piccolo.engine.finder import engine_finder
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType

from house.lib.errors import DomainError
from house.settings import Settings, get_settings


class QueryCounter:
    """Counts statements sent to the database; tests assert queries per request with it."""

    def __init__(self) -> None:
        self.count = 0


query_counter = QueryCounter()


class CountingSQLiteEngine(SQLiteEngine):
    async def run_querystring(self, querystring: Any, in_pool: bool = False) -> Any:
        query_counter.count += 1
        return await super().run_querystring(querystring, in_pool=in_pool)

    async def run_ddl(self, ddl: str, in_pool: bool = False) -> Any:
        query_counter.count += 1
        return await super().run_ddl(ddl, in_pool=in_pool)


class CountingPostgresEngine(PostgresEngine):
    async def run_querystring(self, querystring: Any, in_pool: bool = True) -> Any:
        query_counter.count += 1
        return await super().run_querystring(querystring, in_pool=in_pool)

    async def run_ddl(self, ddl: str, in_pool: bool = True) -> Any:
        query_counter.count += 1
        return await super().run_ddl(ddl, in_pool=in_pool)


def make_engine(settings: Settings | None = None) -> Engine[Any]:
    """The engine named by DATABASE_URL (piccolo_conf.py calls this)."""
    settings = settings or get_settings()
    if settings.is_postgres:
        return CountingPostgresEngine(config={"dsn": settings.database_url})
    path = settings.sqlite_path
    path.parent.mkdir(parents=True, exist_ok=True)
    return CountingSQLiteEngine(path=str(path), timeout=10.0)


def engine() -> Engine[Any]:
    db = engine_finder()
    if db is None:
        raise RuntimeError("piccolo_conf.py defines no DB")
    return db


def is_sqlite() -> bool:
    return isinstance(engine(), SQLiteEngine)


async def open_database() -> None:
    """Start what the engine needs: WAL mode for SQLite, the pool for PostgreSQL."""
    db = engine()
    if isinstance(db, SQLiteEngine):
        # journal_mode is stored in the file, so once per start is enough.
        with sqlite3.connect(db.path, timeout=10.0) as conn:
            conn.execute("PRAGMA journal_mode=WAL")
    else:
        assert isinstance(db, PostgresEngine)  # noqa: S101 - the only other engine
        if db.pool is None:  # the app and the tests may both open it
            await db.start_connection_pool(min_size=1, max_size=10)


async def close_database() -> None:
    db = engine()
    if isinstance(db, PostgresEngine) and db.pool is not None:
        await db.close_connection_pool()


_sqlite_write_lock: asyncio.Lock | None = None


def _write_lock() -> asyncio.Lock:
    global _sqlite_write_lock
    if _sqlite_write_lock is None:
        _sqlite_write_lock = asyncio.Lock()
    return _sqlite_write_lock


@asynccontextmanager
async def write_transaction() -> AsyncIterator[None]:
    """One write transaction; nested calls join the outer one.

    On SQLite the transaction is IMMEDIATE (it takes the write lock at BEGIN, so it never
    fails half-way with "database is locked") and writers of this process queue on a lock.
    """
    db = engine()
    if db.transaction_exists():
        yield
        return
    if isinstance(db, SQLiteEngine):
        async with _write_lock(), db.transaction(transaction_type=TransactionType.immediate):
            yield
    else:
        async with db.transaction():
            yield


async def raw(sql: str, *args: Any) -> list[dict[str, Any]]:
    """A raw statement with positional `{}` placeholders, through the engine."""
    result: list[dict[str, Any]] = await engine().run_querystring(_querystring(sql, args))
    return result


def _querystring(sql: str, args: Sequence[Any]) -> Any:
    from piccolo.querystring import QueryString

    return QueryString(sql, *args)


Statements = Sequence[str] | Mapping[str, Sequence[str]]


def ddl_migration(
    migration_id: str, description: str, forwards: Statements, backwards: Statements
) -> Any:
    """A Piccolo migration of raw statements, run in order: one list for both engines, or
    {"sqlite": [...], "postgres": [...]} where they differ. Returns its MigrationManager."""
    from piccolo.apps.migrations.auto.migration_manager import MigrationManager

    manager = MigrationManager(migration_id=migration_id, app_name="house", description=description)

    def run(statements: Statements) -> Any:
        async def go() -> None:
            db = engine()
            if isinstance(statements, Mapping):
                chosen = statements["sqlite" if isinstance(db, SQLiteEngine) else "postgres"]
            else:
                chosen = statements
            for statement in chosen:
                await db.run_ddl(statement)

        return go

    manager.add_raw(run(forwards))
    manager.add_raw_backwards(run(backwards))
    return manager


def is_unique_violation(exc: BaseException) -> bool:
    """True for a unique-constraint failure on either engine."""
    if isinstance(exc, sqlite3.IntegrityError):
        return "UNIQUE constraint failed" in str(exc)
    try:
        import asyncpg
    except ImportError:  # pragma: no cover - asyncpg is a dependency
        return False
    return isinstance(exc, asyncpg.UniqueViolationError)


@contextmanager
def refuse_duplicates(message: str, field: str | None = None) -> Iterator[None]:
    """A unique-constraint failure inside the block is the person's answer, not a crash:
    `DomainError(message, field)` (a name already used, a second tap that lost the race)."""
    try:
        yield
    except Exception as exc:
        if is_unique_violation(exc):
            raise DomainError(message, field) from None
        raise
