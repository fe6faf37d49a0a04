"""arq jobs of alert delivery; house/worker.py registers FUNCTIONS and crons(). The
emails themselves are sent by the outbox's jobs."""

from __future__ import annotations

from typing import Any

from arq import cron
from arq.worker import Function, func

from house.alerts import deliveries, digest
from house.lib import clock
from house.outbox import jobs as outbox_jobs


async def release_held_alert_emails(ctx: dict[str, Any]) -> int:
    """Cron, every minute: emails held for quiet hours that have ended go to the outbox,
    and are sent at once."""
    queued = await deliveries.release_held(clock.now())
    await outbox_jobs.enqueue_send(ctx["redis"], queued)
    return len(queued)


async def send_digests(ctx: dict[str, Any]) -> int:
    """Cron, every 15 minutes: each person's daily digest once their hour has come."""
    return await digest.queue_digests(clock.now())


async def escalate_alerts(ctx: dict[str, Any]) -> int:
    """Cron, every minute: critical alerts nobody acknowledged in time go to the admins."""
    queued = await digest.escalate(clock.now())
    await outbox_jobs.enqueue_send(ctx["redis"], queued)
    return len(queued)


FUNCTIONS: list[Function] = [
    func(release_held_alert_emails, max_tries=1, timeout=60),
    func(send_digests, max_tries=1, timeout=120),
    func(escalate_alerts, max_tries=1, timeout=60),
]


def crons() -> list[Any]:
    """Fresh cron entries (arq keeps each one's next run time on the object)."""
    return [
        cron(escalate_alerts, minute=None, second=45, run_at_startup=True, timeout=60),
        cron(release_held_alert_emails, minute=None, second=50, run_at_startup=True, timeout=60),
        cron(send_digests, minute={0, 15, 30, 45}, second=55, run_at_startup=True, timeout=120),
    ]
