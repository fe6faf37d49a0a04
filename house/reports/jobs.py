"""arq jobs of the reports; house/worker.py registers FUNCTIONS and crons()."""

from __future__ import annotations

from typing import Any

from arq import cron
from arq.worker import Function, func

from house.lib import clock
from house.outbox import jobs as outbox_jobs
from house.reports import compliance


async def queue_weekly_compliance(ctx: dict[str, Any]) -> int:
    """Cron, every 15 minutes: the weekly compliance emails once Monday 07:00 has come in
    each house; their sending is enqueued at once (the outbox sweep would catch them too)."""
    queued = await compliance.queue_compliance(clock.now())
    await outbox_jobs.enqueue_send(ctx["redis"], queued)
    return len(queued)


FUNCTIONS: list[Function] = [func(queue_weekly_compliance, max_tries=1, timeout=120)]


def crons() -> list[Any]:
    """Fresh cron entries (arq keeps each one's next run time on the object)."""
    return [
        cron(
            queue_weekly_compliance,
            minute={0, 15, 30, 45},
            second=35,
            run_at_startup=True,
            timeout=120,
        )
    ]
