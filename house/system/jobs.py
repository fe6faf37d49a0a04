"""Background jobs of the system concept."""

from __future__ import annotations

from typing import Any

from house.lib import clock
from house.system.services import record_heartbeat as store_heartbeat
from house.system.services import worker_name
from house.web import kept


async def record_heartbeat(ctx: dict[str, Any]) -> str:
    """Cron, every minute: this worker is alive."""
    name = worker_name()
    await store_heartbeat(name, clock.now())
    return name


async def forget_kept_forms(ctx: dict[str, Any]) -> None:
    """Cron, every five minutes: forms kept after a sign-out and not claimed in time are
    deleted (house/web/kept.py; they could no longer be given back anyway)."""
    await kept.delete_expired(clock.now())
