"""Background jobs of random screens: draw each house's daily list when its time has come;
mark selections not screened by the end of their day as missed."""

from __future__ import annotations

from typing import Any

from house.lib import clock
from house.screens.random import services as random_services


async def draw_random_lists(ctx: dict[str, Any]) -> int:
    """Cron, every 5 minutes: today's list for each house with random screens on, once its
    draw time has come (house time), if none is drawn yet. Safe to run twice."""
    return len(await random_services.due_draws(clock.now()))


async def sweep_missed_selections(ctx: dict[str, Any]) -> int:
    """Cron, every 5 minutes: selections still open after their day (house time) are
    missed, each with a "missed" screen. Safe to run twice."""
    return await random_services.sweep_missed(clock.now())
