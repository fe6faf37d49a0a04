"""Dates and times as people read them: the one set of formats, and the Jinja filters that
every template (pages and emails) uses. A template never formats a date itself
(tests/web/test_date_filters.py fails on `strftime`, `isoformat` or a raw date).

| filter | shows | e.g. |
|---|---|---|
| `date` | a calendar date | 3 Mar 2026 |
| `day` | a day of the house's calendar | Tue 3 Mar (Tue 3 Mar 2025 in another year) |
| `relday` | a day near now, by name, else as `day` | today, yesterday, tomorrow, Tue 3 Mar |
| `time` | a time of day, 24-hour | 19:04 |
| `datetime` | a moment: its day (as `relday`) and time | today at 19:04, Tue 3 Mar at 07:30 |
| `iso` | a date for a link or a form field, not for reading | 2026-03-03 |

A stored moment (UTC) is shown in the house's timezone: `value|datetime(house.timezone)`.
Without a timezone (pages about no house: people, the system page) the operator's
DEFAULT_TIMEZONE is used. `relday` and `datetime` name days relative to today in that zone.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from jinja2 import Environment

from house.lib import clock
from house.lib.dates import house_today, local
from house.settings import get_settings

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
NEAR = {0: "today", -1: "yesterday", 1: "tomorrow"}


def date_words(day: dt.date) -> str:
    """ "3 Mar 2026"."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def day_words(day: dt.date, today: dt.date) -> str:
    """ "Tue 3 Mar", with the year when it is not `today`'s."""
    words = f"{DAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]}"
    return words if day.year == today.year else f"{words} {day.year}"


def relday_words(day: dt.date, today: dt.date) -> str:
    """ "today", "yesterday", "tomorrow", else as `day_words`."""
    return NEAR.get((day - today).days) or day_words(day, today)


def time_words(moment: dt.datetime, timezone: str) -> str:
    """ "19:04" on the house's clock."""
    return f"{local(moment, timezone):%H:%M}"


def moment_words(
    moment: dt.datetime, timezone: str, now: dt.datetime, *, relative: bool = True
) -> str:
    """ "today at 19:04", "Tue 3 Mar at 07:30" on the house's clock (with `relative` off,
    for text read later, such as an email: always the day's name and date)."""
    day, today = local(moment, timezone).date(), house_today(now, timezone)
    words = relday_words(day, today) if relative else day_words(day, today)
    return f"{words} at {time_words(moment, timezone)}"


def _zone(timezone: str | None) -> str:
    return timezone or get_settings().default_timezone


def _day_of(value: dt.date, timezone: str | None) -> dt.date:
    """A date as it is; a moment as its date in the zone."""
    if isinstance(value, dt.datetime):
        return local(value, _zone(timezone)).date()
    return value


def date_filter(value: dt.date | None, timezone: str | None = None) -> str:
    return "" if value is None else date_words(_day_of(value, timezone))


def day_filter(value: dt.date | None, timezone: str | None = None) -> str:
    if value is None:
        return ""
    return day_words(_day_of(value, timezone), house_today(clock.now(), _zone(timezone)))


def relday_filter(value: dt.date | None, timezone: str | None = None) -> str:
    if value is None:
        return ""
    return relday_words(_day_of(value, timezone), house_today(clock.now(), _zone(timezone)))


def time_filter(value: dt.datetime | None, timezone: str | None = None) -> str:
    return "" if value is None else time_words(value, _zone(timezone))


def when_words(value: dt.datetime | None, timezone: str | None = None) -> str:
    """The `datetime` filter, also for messages written in code ("changed this house
    today at 19:04")."""
    return "" if value is None else moment_words(value, _zone(timezone), clock.now())


def iso_filter(value: dt.date | None) -> str:
    """The machine form of a date (links, form values)."""
    return "" if value is None else value.isoformat()


FILTERS: dict[str, Any] = {
    "date": date_filter,
    "day": day_filter,
    "relday": relday_filter,
    "time": time_filter,
    "datetime": when_words,
    "iso": iso_filter,
}


def refuse_raw_dates(value: Any) -> Any:
    """Jinja's `finalize` outside production: a date or time printed without one of the
    filters above is a mistake to catch (every test that renders the page fails), not to
    show in ISO."""
    if isinstance(value, dt.date | dt.time):
        raise TypeError(f"a template printed {value!r} without a date filter")
    return value


def install(env: Environment) -> None:
    """Give a Jinja environment the filters (and, outside production, the raw-date check)."""
    env.filters.update(FILTERS)
    if get_settings().env != "production":
        env.finalize = refuse_raw_dates
