"""Background jobs of the outbox: send one email; sweep up whatever is due."""

from __future__ import annotations

from typing import Any

from house.lib import clock
from house.outbox import services
from house.settings import get_settings


def send_job_id(email_id: int) -> str:
    """The arq job id of sending one email: a second enqueue while one waits adds nothing."""
    return f"send_email:{email_id}"


async def enqueue_send(redis: Any, email_ids: list[int]) -> None:
    """Hand emails to a worker (from a job: `ctx["redis"]`)."""
    for email_id in email_ids:
        await redis.enqueue_job("send_email", email_id, _job_id=send_job_id(email_id))


async def send_email(ctx: dict[str, Any], email_id: int) -> str:
    """Send one queued email. A retry is the row's own (next_attempt_at), picked up by the
    sweep, so the job never raises for a mail server's trouble."""
    return await services.send_email(email_id, get_settings(), clock.now())


async def sweep_outbox(ctx: dict[str, Any]) -> int:
    """Cron, every minute: enqueue every email that is due (after an outage, a killed
    worker, or a retry's backoff). Other jobs call it too, to send what they queued now."""
    due = await services.due_emails(clock.now())
    await enqueue_send(ctx["redis"], due)
    return len(due)
