"""Background jobs of chores: make the weekly rotations when due; mark chores missed."""

from __future__ import annotations

from typing import Any

from house.chores import assignments, weeks
from house.lib import clock


async def make_chore_rotations(ctx: dict[str, Any]) -> int:
    """Cron, every 15 minutes: each house's rotation for next week once its day and hour
    have come (and this week's, if the worker was down). Safe to run twice."""
    return len(await weeks.make_due_rotations(clock.now()))


async def sweep_missed_chores(ctx: dict[str, Any]) -> int:
    """Cron, every 15 minutes: chores still open after their day (house time) are missed."""
    return await assignments.sweep_missed(clock.now())
