"""The job queue as the web app sees it: best effort, never in the way of a request.

Redis down must not break a page or lose a write: writes are in the database first, an
enqueue that fails or takes longer than ENQUEUE_TIMEOUT is dropped, and the worker's sweeps
re-derive the work from the database when Redis is back.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from arq.connections import ArqRedis, RedisSettings, create_pool

from house.settings import Settings

log = logging.getLogger("house.queue")
QUEUE_KEY = "arq:queue"


def redis_settings(settings: Settings) -> RedisSettings:
    rs = RedisSettings.from_dsn(settings.redis_url)
    rs.conn_timeout = max(1, round(settings.enqueue_timeout))
    rs.conn_retries = 0
    return rs


class Queue:
    """A lazily opened arq pool with short timeouts, shared by one web process."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._pool: ArqRedis | None = None

    async def _get_pool(self) -> ArqRedis:
        if self._pool is None:
            rs = redis_settings(self.settings)
            self._pool = await asyncio.wait_for(
                create_pool(rs, retry=0), timeout=self.settings.enqueue_timeout
            )
        return self._pool

    async def enqueue(self, function: str, *args: Any, **kwargs: Any) -> bool:
        """Queue a job if Redis answers in time; False (logged) otherwise."""
        try:
            pool = await self._get_pool()
            job = await asyncio.wait_for(
                pool.enqueue_job(function, *args, **kwargs), timeout=self.settings.enqueue_timeout
            )
        except Exception as exc:  # redis-py errors, OSError, timeouts: all mean "not now"
            log.warning("enqueue of %s skipped: %s", function, type(exc).__name__)
            await self.reset()
            return False
        return job is not None

    async def status(self) -> tuple[bool, int | None]:
        """(Redis answers, jobs waiting) within the enqueue timeout."""
        try:
            pool = await self._get_pool()
            queued = await asyncio.wait_for(
                pool.zcard(QUEUE_KEY), timeout=self.settings.enqueue_timeout
            )
        except Exception:
            await self.reset()
            return False, None
        return True, int(queued)

    async def reset(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            # Closing a broken pool may fail too; it is being dropped either way.
            with contextlib.suppress(Exception):
                await pool.aclose()

    async def close(self) -> None:
        await self.reset()
