"""Dates and times as a house sees them: the one place that turns a stored UTC instant into
a house's calendar (and back).

A house's timezone is a setting someone typed; an unknown name falls back to UTC rather than
failing a page or a sweep.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

UTC = ZoneInfo("UTC")
# ISO weekday numbers (as a form sends them) and their names.
DAY_NAMES = {
    "1": "Monday",
    "2": "Tuesday",
    "3": "Wednesday",
    "4": "Thursday",
    "5": "Friday",
    "6": "Saturday",
    "7": "Sunday",
}


def zone(name: str | None) -> ZoneInfo:
    """The house's zone, or UTC for an empty or unknown name."""
    if not name:
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def local(now: dt.datetime, timezone: str | None) -> dt.datetime:
    """`now` on the house's wall clock."""
    return now.astimezone(zone(timezone))


def house_today(now: dt.datetime, timezone: str | None) -> dt.date:
    """The calendar date at `now` in the house's timezone (UTC if the zone is unknown)."""
    return local(now, timezone).date()


def day_start(day: dt.date, timezone: str | None) -> dt.datetime:
    """Midnight starting `day` in the house's timezone, as UTC."""
    return dt.datetime.combine(day, dt.time(0), tzinfo=zone(timezone)).astimezone(dt.UTC)


def day_bounds(day: dt.date, timezone: str | None) -> tuple[dt.datetime, dt.datetime]:
    """The UTC instants at which a house's calendar day starts and the next one starts
    (23 or 25 hours apart across a DST change)."""
    return day_start(day, timezone), day_start(day + dt.timedelta(days=1), timezone)


def at_local(day: dt.date, time: dt.time, timezone: str | None) -> dt.datetime:
    """A wall-clock time of a house's day, as UTC."""
    return dt.datetime.combine(day, time, tzinfo=zone(timezone)).astimezone(dt.UTC)


def week_start(day: dt.date) -> dt.date:
    """The Monday of the week `day` is in (house weeks run Monday to Sunday)."""
    return day - dt.timedelta(days=day.weekday())


def week_days(monday: dt.date) -> list[dt.date]:
    return [monday + dt.timedelta(days=i) for i in range(7)]


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


def _count(n: int, unit: str) -> str:
    return f"{n} {unit}" if n == 1 else f"{n} {unit}s"


def wait_words(seconds: int) -> str:
    """A wait in words, rounded up so the person never comes back too early: "1 second",
    "45 seconds", "2 minutes", "1 hour 5 minutes"."""
    seconds = max(1, seconds)
    if seconds < 60:
        return _count(seconds, "second")
    minutes = -(-seconds // 60)
    if minutes < 60:
        return _count(minutes, "minute")
    hours, minutes = divmod(minutes, 60)
    return _count(hours, "hour") + (f" {_count(minutes, 'minute')}" if minutes else "")
