"""arq jobs of alert delivery; house/worker.py registers FUNCTIONS and crons()."""

from __future__ import annotations

from typing import Any

from arq import cron
from arq.worker import Function, func

from house.alerts import deliveries, digest
from house.lib import clock
from house.settings import get_settings


async def send_alert_email(ctx: dict[str, Any], delivery_id: int) -> str:
    """Send one alert email; retries are the row's own (next_attempt_at), picked up by the
    due cron, so the job never raises for a mail server's trouble."""
    return await deliveries.send_alert_email(delivery_id, get_settings(), clock.now())


async def _enqueue_sends(redis: Any, delivery_ids: list[int]) -> None:
    for delivery_id in delivery_ids:
        # The job id dedups against a job for the same row still queued.
        await redis.enqueue_job(
            "send_alert_email", delivery_id, _job_id=f"send_alert_email:{delivery_id}"
        )


async def enqueue_due_alert_emails(ctx: dict[str, Any]) -> int:
    """Cron, every minute: enqueue every alert email that is due (after an outage, a
    killed worker, a retry's backoff or the end of quiet hours)."""
    due = await deliveries.due_email_deliveries(clock.now())
    await _enqueue_sends(ctx["redis"], due)
    return len(due)


async def send_digests(ctx: dict[str, Any]) -> int:
    """Cron, every 15 minutes: each person's daily digest once their hour has come."""
    return await digest.queue_digests(clock.now())


async def escalate_alerts(ctx: dict[str, Any]) -> int:
    """Cron, every minute: critical alerts nobody acknowledged in time go to the admins."""
    pending = await digest.escalate(clock.now())
    await _enqueue_sends(ctx["redis"], pending)
    return len(pending)


FUNCTIONS: list[Function] = [
    func(send_alert_email, max_tries=1, timeout=60),
    func(enqueue_due_alert_emails, max_tries=1, timeout=60),
    func(send_digests, max_tries=1, timeout=120),
    func(escalate_alerts, max_tries=1, timeout=60),
]


def crons() -> list[Any]:
    """Fresh cron entries (arq keeps each one's next run time on the object)."""
    return [
        cron(escalate_alerts, minute=None, second=45, run_at_startup=True, timeout=60),
        cron(enqueue_due_alert_emails, minute=None, second=50, run_at_startup=True, timeout=60),
        cron(send_digests, minute={0, 15, 30, 45}, second=55, run_at_startup=True, timeout=120),
    ]
