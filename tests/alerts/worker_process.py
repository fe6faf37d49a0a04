"""One real arq worker in its own process, for the multi-worker tests:
`python -m tests.alerts.worker_process REDIS_URL [claim:N | accepted:N]`.

The database, SMTP and base URL come from the environment the test process set. With a
kill point the process SIGKILLs itself, like a crashed machine, at its Nth
- `claim`: right after the claim commits, before anything reaches the mail server;
- `accepted`: right after the mail server accepted the message, before "sent" is written.
Without one it runs until the test kills it (at a random moment) or stops it."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from typing import Any

from arq.connections import RedisSettings, create_pool
from arq.worker import Worker

from house import registry
from house.db import close_database, open_database
from house.outbox import services as outbox
from house.outbox import smtp
from house.worker import FUNCTIONS


def _die(after: int) -> Any:
    seen = 0

    def count() -> None:
        nonlocal seen
        seen += 1
        if seen >= after:
            os.kill(os.getpid(), signal.SIGKILL)

    return count


def _die_after_claims(claims: int) -> None:
    real_claim, tick = outbox.claim, _die(claims)

    async def claim(email_id: int, now: Any) -> Any:
        row = await real_claim(email_id, now)
        if row is not None:
            tick()
        return row

    outbox.claim = claim  # type: ignore[assignment]


def _die_after_accepted(messages: int) -> None:
    real_deliver, tick = smtp.deliver, _die(messages)

    def deliver(*args: Any, **kwargs: Any) -> None:
        real_deliver(*args, **kwargs)  # returns once the server said 250
        tick()

    smtp.deliver = deliver  # type: ignore[assignment]


async def main(redis_url: str, max_jobs: int) -> None:
    await open_database()
    registry.install()
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
    # A victim with a kill point runs one job at a time, so the kill lands at that point of
    # that job and not at some other point of another job running beside it.
    max_jobs = 5
    if len(sys.argv) > 2:
        point, count = sys.argv[2].split(":")
        {"claim": _die_after_claims, "accepted": _die_after_accepted}[point](int(count))
        max_jobs = 1
    asyncio.run(main(sys.argv[1], max_jobs))
