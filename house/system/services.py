"""Facts about the running system: database, Redis, workers."""

from __future__ import annotations

import datetime as dt
import os
import socket
from dataclasses import dataclass

from piccolo.query.functions.aggregate import Max

from house.db import raw, write_transaction
from house.system.tables import WorkerHeartbeat

# A worker that has not beaten for this long is shown as not running.
WORKER_STALE_AFTER = dt.timedelta(minutes=3)


@dataclass(frozen=True)
class SystemStatus:
    database_engine: str
    database_ok: bool
    redis_ok: bool
    jobs_queued: int | None
    worker_last_seen: dt.datetime | None
    now: dt.datetime

    @property
    def worker_ok(self) -> bool:
        return (
            self.worker_last_seen is not None
            and self.now - self.worker_last_seen < WORKER_STALE_AFTER
        )

    @property
    def http_status(self) -> int:
        """What /health answers (GET and HEAD alike): 503 when the database does not."""
        return 200 if self.database_ok else 503

    def as_json(self) -> dict[str, object]:
        return {
            "database": {"engine": self.database_engine, "ok": self.database_ok},
            "redis": {"ok": self.redis_ok, "jobs_queued": self.jobs_queued},
            "worker": {
                "ok": self.worker_ok,
                "last_seen": self.worker_last_seen.isoformat() if self.worker_last_seen else None,
            },
        }


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


async def record_heartbeat(worker: str, now: dt.datetime) -> None:
    """Store that `worker` is alive at `now` (one row per worker, updated in place)."""
    async with write_transaction():
        updated = (
            await WorkerHeartbeat.update({WorkerHeartbeat.seen_at: now})
            .where(WorkerHeartbeat.worker == worker)
            .returning(WorkerHeartbeat.id)
        )
        if not updated:
            await WorkerHeartbeat.insert(WorkerHeartbeat(worker=worker, seen_at=now))


async def database_status() -> tuple[bool, dt.datetime | None]:
    """(database answers, the newest worker heartbeat)."""
    try:
        await raw("SELECT 1")
        row = await WorkerHeartbeat.select(Max(WorkerHeartbeat.seen_at, alias="last")).first()
    except Exception:
        return False, None
    last = row["last"] if row else None
    if isinstance(last, str):  # aggregates over timestamps are text on SQLite
        last = dt.datetime.fromisoformat(last)
    if last is not None and last.tzinfo is None:
        last = last.replace(tzinfo=dt.UTC)
    return True, last
