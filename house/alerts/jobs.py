"""arq jobs of this part; house/worker.py registers FUNCTIONS and CRONS."""

from __future__ import annotations

from typing import Any

from arq import cron
from arq.worker import Function, func

from house.alerts import services
from house.lib import clock
from house.outbox import jobs as outbox_jobs


async def sweep_alerts(ctx: dict[str, Any]) -> int:
    """Cron, every minute: every time-based rule and the events left unprocessed. Safe to
    run twice (each alert's key is unique). Returns how many alerts were raised."""
    raised = await services.sweep(clock.now())
    if raised:
        await outbox_jobs.sweep_outbox(ctx)  # their emails now, not at the next minute
    return raised


async def process_alert_events(ctx: dict[str, Any]) -> int:
    """Enqueued (best effort) by the web app after a change that wrote an AlertEvent."""
    raised = await services.process_events(clock.now())
    if raised:
        await outbox_jobs.sweep_outbox(ctx)
    return raised


FUNCTIONS: list[Function] = [
    func(sweep_alerts, max_tries=1, timeout=120),
    func(process_alert_events, max_tries=1, timeout=60),
]


def crons() -> list[Any]:
    """Fresh cron entries (arq keeps each one's next run time on the object)."""
    return [cron(sweep_alerts, minute=None, second=40, run_at_startup=True, timeout=120)]
