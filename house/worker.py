"""arq worker settings: every job and cron in one list.

Run with `arq house.worker.WorkerSettings` (or `house worker`).
"""

from __future__ import annotations

from typing import Any, ClassVar

from arq import cron
from arq.connections import RedisSettings
from arq.worker import Function, func

from house import registry
from house.alerts import delivery_jobs
from house.alerts import jobs as alert_jobs
from house.chores import jobs as chore_jobs
from house.db import close_database, open_database
from house.outbox import jobs as outbox_jobs
from house.reports import jobs as report_jobs
from house.screens import jobs as screen_jobs
from house.settings import get_settings
from house.system import jobs as system_jobs


async def startup(ctx: dict[str, Any]) -> None:
    await open_database()
    registry.install()


async def shutdown(ctx: dict[str, Any]) -> None:
    await close_database()


FUNCTIONS: list[Function] = [
    func(system_jobs.record_heartbeat, max_tries=1, timeout=30),
    func(system_jobs.forget_kept_forms, max_tries=1, timeout=30),
    func(outbox_jobs.send_email, max_tries=1, timeout=60),
    func(outbox_jobs.sweep_outbox, max_tries=1, timeout=60),
    func(chore_jobs.make_chore_rotations, max_tries=1, timeout=300),
    func(chore_jobs.sweep_missed_chores, max_tries=1, timeout=120),
    func(screen_jobs.draw_random_lists, max_tries=1, timeout=120),
    func(screen_jobs.sweep_missed_selections, max_tries=1, timeout=120),
    *alert_jobs.FUNCTIONS,
    *delivery_jobs.FUNCTIONS,
    *report_jobs.FUNCTIONS,
]
QUARTER_HOURS = {0, 15, 30, 45}
EVERY_FIVE_MINUTES = set(range(0, 60, 5))


def make_cron_jobs() -> list[Any]:
    """Fresh cron entries (arq keeps each one's next run time on the object)."""
    return [
        cron(system_jobs.record_heartbeat, minute=None, second=0, run_at_startup=True, timeout=30),
        cron(outbox_jobs.sweep_outbox, minute=None, second=30, run_at_startup=True, timeout=60),
        cron(system_jobs.forget_kept_forms, minute=EVERY_FIVE_MINUTES, second=25, timeout=30),
        cron(
            chore_jobs.sweep_missed_chores,
            minute=QUARTER_HOURS,
            second=5,
            run_at_startup=True,
            timeout=120,
        ),
        cron(
            chore_jobs.make_chore_rotations,
            minute=QUARTER_HOURS,
            second=10,
            run_at_startup=True,
            timeout=300,
        ),
        cron(
            screen_jobs.sweep_missed_selections,
            minute=EVERY_FIVE_MINUTES,
            second=15,
            run_at_startup=True,
            timeout=120,
        ),
        cron(
            screen_jobs.draw_random_lists,
            minute=EVERY_FIVE_MINUTES,
            second=20,
            run_at_startup=True,
            timeout=120,
        ),
        *alert_jobs.crons(),
        *delivery_jobs.crons(),
        *report_jobs.crons(),
    ]


class WorkerSettings:
    functions: ClassVar[list[Function]] = FUNCTIONS
    cron_jobs: ClassVar[list[Any]] = make_cron_jobs()
    redis_settings: ClassVar[RedisSettings] = RedisSettings.from_dsn(get_settings().redis_url)
    on_startup = startup
    on_shutdown = shutdown
    max_jobs = 10
