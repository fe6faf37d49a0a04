"""Dates as a house sees them."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def house_today(now: dt.datetime, timezone: str) -> dt.date:
    """The calendar date at `now` in the house's timezone (UTC if the zone is unknown)."""
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return now.astimezone(zone).date()


def parse_date(raw: str) -> dt.date | None:
    """An ISO date (YYYY-MM-DD) from a form, or None if it is not one (Feb 30, 1900-ish...)."""
    raw = raw.strip()
    if len(raw) != 10:
        return None
    try:
        value = dt.date.fromisoformat(raw)
    except ValueError:
        return None
    return value if value.year >= 1900 else None
