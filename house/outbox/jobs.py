"""Background jobs of the outbox: send one email; sweep up whatever is due."""

from __future__ import annotations

from typing import Any

from arq import Retry

from house.lib import clock
from house.outbox import services
from house.settings import get_settings


async def send_email(ctx: dict[str, Any], email_id: int) -> str:
    """Send one queued email; a temporary failure is retried by arq with backoff."""
    try:
        return await services.send_email(email_id, get_settings(), clock.now())
    except services.TemporaryFailure:
        attempt = int(ctx.get("job_try", 1))
        raise Retry(defer=services.retry_delay(attempt)) from None


async def sweep_outbox(ctx: dict[str, Any]) -> int:
    """Cron, every minute: enqueue every email that is due (after an outage, or a retry)."""
    due = await services.due_emails(clock.now())
    for email_id in due:
        # The job id dedups against a job for the same email still queued.
        await ctx["redis"].enqueue_job("send_email", email_id, _job_id=f"send_email:{email_id}")
    return len(due)
