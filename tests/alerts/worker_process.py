"""One real arq worker in its own process, for the multi-worker tests:
`python -m tests.alerts.worker_process REDIS_URL [DIE_AFTER_CLAIMS]`.

The database, SMTP and base URL come from the environment the test process set. With
DIE_AFTER_CLAIMS the process SIGKILLs itself right after its Nth claim commits, before the
email is sent: the claim is left behind like a crashed worker's and must go stale."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from typing import Any

from arq.connections import RedisSettings, create_pool
from arq.worker import Worker

from house.alerts import deliveries
from house.db import close_database, open_database
from house.worker import FUNCTIONS


def _die_after(claims: int) -> None:
    real_claim = deliveries.claim
    seen = 0

    async def claim(delivery_id: int, now: Any) -> Any:
        nonlocal seen
        row = await real_claim(delivery_id, now)
        if row is not None:
            seen += 1
            if seen >= claims:
                os.kill(os.getpid(), signal.SIGKILL)
        return row

    deliveries.claim = claim  # type: ignore[assignment]


async def main(redis_url: str, max_jobs: int) -> None:
    await open_database()
    pool = await create_pool(RedisSettings.from_dsn(redis_url))
    worker = Worker(
        functions=FUNCTIONS,
        redis_pool=pool,
        poll_delay=0.05,
        handle_signals=True,
        max_jobs=max_jobs,
    )
    try:
        await worker.async_run()
    finally:
        await worker.close()
        await close_database()


if __name__ == "__main__":
    # The victim runs one job at a time, so its kill lands between a claim and its send
    # (never after another job's SMTP and before that job's "sent" mark).
    if len(sys.argv) > 2:
        _die_after(int(sys.argv[2]))
    asyncio.run(main(sys.argv[1], max_jobs=1 if len(sys.argv) > 2 else 5))
