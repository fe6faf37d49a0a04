"""Contingency management: rewards for verified abstinence and attendance.

The two calls other concepts make (inside their own transaction, right after the change):
`screen_recorded` when a screen is written with its outcome (by a manager, or "missed" by
the worker), and `meeting_verified` when staff verify an outside meeting. Both must be safe
to call twice for the same record (one ledger entry per screen and per meeting: unique
indexes).
"""

from __future__ import annotations

import datetime as dt


async def screen_recorded(screen_id: int, now: dt.datetime) -> None:
    """Earn, reset or do nothing for this screen, as the house's CM schedule says."""


async def meeting_verified(meeting_id: int, now: dt.datetime) -> None:
    """Earn for a verified outside meeting when the house's CM lets meetings earn."""
