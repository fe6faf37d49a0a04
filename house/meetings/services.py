"""House meetings: the weekly schedule from the house settings, ad hoc meetings, a house's
list of meetings and a resident's own attendance (the roll call itself is in roll.py).

The weekly meeting is not made by a job: its start is computed from the house's
`meeting_day` (ISO weekday) and `meeting_time` ("HH:MM", house time), and the row is made
when a manager first takes its roll call (unique (house, starts_at) in the database, so two
managers or a double tap make one row).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from piccolo.query.functions.aggregate import Count

from house.audit.services import record_access
from house.db import is_unique_violation, refuse_duplicates, write_transaction
from house.lib.dates import at_local, day_start, house_today, week_start
from house.lib.errors import DomainError
from house.meetings.tables import Attendance, HouseMeeting
from house.residents.tables import Stay

STATUSES = tuple(str(s) for s in Attendance.Status)
DEFAULT_TIME = dt.time(19, 0)
# Ad hoc meetings may be scheduled (or recorded) at most this far from today.
AD_HOC_RANGE = dt.timedelta(days=366)
PAST_SHOWN = 52


def meeting_clock(meeting_time: str) -> dt.time:
    """The house's "HH:MM" meeting time (19:00 if the setting is unreadable)."""
    try:
        return dt.time.fromisoformat(meeting_time) if len(meeting_time) == 5 else DEFAULT_TIME
    except ValueError:
        return DEFAULT_TIME


def roll_opens_on(meeting: dict[str, Any], timezone: str | None) -> dt.date:
    """The day a meeting's roll call opens: the meeting's own day, house time."""
    return house_today(meeting["starts_at"], timezone)


def roll_open(meeting: dict[str, Any], timezone: str | None, now: dt.datetime) -> bool:
    """A roll call can be taken at any time on the meeting's day (house time: people come
    early, a manager takes it after) and for any past meeting, never for a day ahead."""
    return now >= day_start(roll_opens_on(meeting, timezone), timezone)


def weekly_start(house: dict[str, Any], week_of: dt.date) -> dt.datetime:
    """The weekly meeting's start in the ISO week that holds `week_of`."""
    day = min(max(int(house["meeting_day"] or 7), 1), 7)
    return at_local(
        week_start(week_of) + dt.timedelta(days=day - 1),
        meeting_clock(house["meeting_time"]),
        house["timezone"],
    )


def weekly_slots(house: dict[str, Any], now: dt.datetime) -> list[dt.datetime]:
    """This week's weekly meeting and next week's (house time)."""
    today = house_today(now, house["timezone"])
    return [weekly_start(house, today), weekly_start(house, today + dt.timedelta(days=7))]


async def house_meetings(house: dict[str, Any], now: dt.datetime) -> dict[str, list[Any]]:
    """Upcoming meetings (from today, house time, with this week's and next week's weekly
    meeting even before their rows exist) and the latest past ones, each with its counts
    of present/late/excused/absent. Three queries however many meetings and residents."""
    today_start = day_start(house_today(now, house["timezone"]), house["timezone"])
    columns = (
        HouseMeeting.id,
        HouseMeeting.kind,
        HouseMeeting.title,
        HouseMeeting.starts_at,
        HouseMeeting.roll_taken_at,
    )
    upcoming = (
        await HouseMeeting.select(*columns)
        .where(HouseMeeting.house == house["id"], HouseMeeting.starts_at >= today_start)
        .order_by(HouseMeeting.starts_at)
    )
    past = (
        await HouseMeeting.select(*columns)
        .where(HouseMeeting.house == house["id"], HouseMeeting.starts_at < today_start)
        .order_by(HouseMeeting.starts_at, ascending=False)
        .limit(PAST_SHOWN)
    )
    stored = {m["starts_at"] for m in upcoming} | {m["starts_at"] for m in past}
    for slot in weekly_slots(house, now):
        if slot not in stored:
            virtual = {
                "id": None,
                "kind": HouseMeeting.Kind.weekly,
                "title": "House meeting",
                "starts_at": slot,
                "roll_taken_at": None,
            }
            if slot >= today_start:
                upcoming.append(virtual)
            else:
                past.insert(0, virtual)
    upcoming.sort(key=lambda m: m["starts_at"])
    for m in (*upcoming, *past):
        m["roll_open"] = roll_open(m, house["timezone"], now)
        m["roll_opens_on"] = roll_opens_on(m, house["timezone"])
    past.sort(key=lambda m: m["starts_at"], reverse=True)
    counts = await _counts([m["id"] for m in (*upcoming, *past) if m["id"] is not None])
    for m in (*upcoming, *past):
        m["counts"] = {s: counts.get(m["id"], {}).get(s, 0) for s in STATUSES}
    return {"upcoming": upcoming, "past": past}


async def _counts(meeting_ids: list[int]) -> dict[int, dict[str, int]]:
    """How many residents had each status, by meeting (one query)."""
    counts: dict[int, dict[str, int]] = {}
    if not meeting_ids:
        return counts
    for row in (
        await Attendance.select(
            Attendance.meeting, Attendance.status, Count(Attendance.id, alias="n")
        )
        .where(Attendance.meeting.is_in(meeting_ids))
        .group_by(Attendance.meeting, Attendance.status)
    ):
        counts.setdefault(row["meeting"], {})[row["status"]] = int(row["n"])
    return counts


def tally(roll: list[dict[str, Any]]) -> dict[str, int]:
    return {s: sum(1 for r in roll if r["status"] == s) for s in STATUSES}


async def open_weekly(
    *, actor_id: int, house: dict[str, Any], starts_at: dt.datetime, now: dt.datetime
) -> int:
    """The weekly meeting row at `starts_at` (one of this week's or next week's slots),
    made now if it does not exist. A second call, or a concurrent one, gets the same row."""
    if starts_at not in weekly_slots(house, now):
        raise DomainError("That meeting is not on this house's weekly schedule. Reload the page.")
    existing = await _meeting_at(house["id"], starts_at)
    if existing is not None:
        return existing
    try:
        async with write_transaction():
            rows = await HouseMeeting.insert(
                HouseMeeting(
                    house=house["id"],
                    kind=HouseMeeting.Kind.weekly,
                    starts_at=starts_at,
                    title="House meeting",
                    created_at=now,
                )
            ).returning(HouseMeeting.id)
            await record_access(
                actor_id=actor_id,
                action="meeting_opened",
                at=now,
                record=f"house_meeting:{rows[0]['id']}",
                detail=f"house:{house['id']} weekly",
            )
    except Exception as exc:
        if not is_unique_violation(exc):
            raise
        # Another manager (or the same double tap) made it a moment ago: use theirs.
        existing = await _meeting_at(house["id"], starts_at)
        if existing is None:  # pragma: no cover - the row that collided must exist
            raise
        return existing
    return int(rows[0]["id"])


async def _meeting_at(house_id: int, starts_at: dt.datetime) -> int | None:
    row = (
        await HouseMeeting.select(HouseMeeting.id)
        .where(HouseMeeting.house == house_id, HouseMeeting.starts_at == starts_at)
        .first()
    )
    return int(row["id"]) if row else None


async def schedule_ad_hoc(
    *,
    actor_id: int,
    house: dict[str, Any],
    title: str,
    day: dt.date,
    at: dt.time,
    now: dt.datetime,
) -> int:
    """Schedule (or record) an extra meeting, within a year of today, house time."""
    today = house_today(now, house["timezone"])
    if day < today - AD_HOC_RANGE:
        raise DomainError("Choose a date within the last year.", field="date")
    if day > today + AD_HOC_RANGE:
        raise DomainError("Choose a date within the next year.", field="date")
    starts_at = at_local(day, at, house["timezone"])
    with refuse_duplicates(
        "This house already has a meeting at that time. Open it from the list.", field="time"
    ):
        async with write_transaction():
            rows = await HouseMeeting.insert(
                HouseMeeting(
                    house=house["id"],
                    kind=HouseMeeting.Kind.ad_hoc,
                    starts_at=starts_at,
                    title=title,
                    created_at=now,
                )
            ).returning(HouseMeeting.id)
            await record_access(
                actor_id=actor_id,
                action="meeting_scheduled",
                at=now,
                record=f"house_meeting:{rows[0]['id']}",
                detail=f"house:{house['id']} ad hoc",
            )
    return int(rows[0]["id"])


async def get_meeting(meeting_id: int) -> dict[str, Any] | None:
    """A meeting with its house's name and timezone, and who took the roll call."""
    meeting: dict[str, Any] | None = (
        await HouseMeeting.select(
            *HouseMeeting.all_columns(),
            HouseMeeting.house.name.as_alias("house_name"),
            HouseMeeting.house.timezone.as_alias("timezone"),
            HouseMeeting.roll_taken_by.name.as_alias("taken_by_name"),
        )
        .where(HouseMeeting.id == meeting_id)
        .first()
    )
    return meeting


async def my_attendance(user_id: int, now: dt.datetime) -> dict[str, Any]:
    """A signed-in resident's own house-meeting attendance (never anyone else's), newest
    first, and their house's next weekly meeting if they live in one now."""
    rows = (
        await Attendance.select(
            Attendance.id,
            Attendance.status,
            Attendance.meeting.title.as_alias("title"),
            Attendance.meeting.starts_at.as_alias("starts_at"),
            Attendance.meeting._.house._.name.as_alias("house_name"),
            Attendance.meeting._.house._.timezone.as_alias("timezone"),
        )
        .where(Attendance.resident.user == user_id)
        .order_by(Attendance.meeting.starts_at, ascending=False)
        .limit(100)
    )
    stay = (
        await Stay.select(
            Stay.house.id.as_alias("id"),
            Stay.house.name.as_alias("name"),
            Stay.house.timezone.as_alias("timezone"),
            Stay.house.meeting_day.as_alias("meeting_day"),
            Stay.house.meeting_time.as_alias("meeting_time"),
        )
        .where(Stay.resident.user == user_id, Stay.status == Stay.Status.active)
        .first()
    )
    next_meeting = None
    if stay is not None:
        next_meeting = min(s for s in weekly_slots(stay, now) if s >= now)
    return {"rows": rows, "house": stay, "next_meeting": next_meeting, "counts": tally(rows)}
