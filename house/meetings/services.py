"""House meetings: the weekly schedule from the house settings, ad hoc meetings, and the
one-screen roll call with its corrections.

The weekly meeting is not made by a job: its start is computed from the house's
`meeting_day` (ISO weekday) and `meeting_time` ("HH:MM", house time), and the row is made
when a manager first takes its roll call (unique (house, starts_at) in the database, so two
managers or a double tap make one row). Attendance is never deleted: re-saving a taken roll
call corrects rows, each change kept as an Amendment (old value, new, who, when, why).
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from piccolo.query.functions.aggregate import Count

from house.amendments.tables import Amendment
from house.audit.services import record_access
from house.db import is_unique_violation, write_transaction
from house.lib.errors import DomainError, NotFound, StaleEdit
from house.meetings.tables import Attendance, HouseMeeting
from house.residents.tables import Stay

STATUSES = tuple(str(s) for s in Attendance.Status)
DEFAULT_TIME = dt.time(19, 0)
# Ad hoc meetings may be scheduled (or recorded) at most this far from today.
AD_HOC_RANGE = dt.timedelta(days=366)
PAST_SHOWN = 52


class RollCallErrors(DomainError):
    """Messages by row (`status-<resident>`, `reason-<resident>`); nothing was stored."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("Some rows need an answer. Nothing was saved yet.")
        self.errors = errors


def zone_of(timezone: str) -> ZoneInfo:
    try:
        return ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def meeting_clock(meeting_time: str) -> dt.time:
    """The house's "HH:MM" meeting time (19:00 if the setting is unreadable)."""
    try:
        return dt.time.fromisoformat(meeting_time) if len(meeting_time) == 5 else DEFAULT_TIME
    except ValueError:
        return DEFAULT_TIME


def local_start(day: dt.date, at: dt.time, timezone: str) -> dt.datetime:
    """A house-time date and clock time as an aware UTC datetime."""
    return dt.datetime.combine(day, at, tzinfo=zone_of(timezone)).astimezone(dt.UTC)


# A roll call can be taken from an hour before the meeting (people arrive early), not for a
# meeting days ahead.
ROLL_OPENS = dt.timedelta(hours=1)


def meeting_date(starts_at: dt.datetime, timezone: str) -> dt.date:
    return starts_at.astimezone(zone_of(timezone)).date()


def weekly_start(house: dict[str, Any], week_of: dt.date) -> dt.datetime:
    """The weekly meeting's start in the ISO week that holds `week_of`."""
    monday = week_of - dt.timedelta(days=week_of.isoweekday() - 1)
    day = min(max(int(house["meeting_day"] or 7), 1), 7)
    return local_start(
        monday + dt.timedelta(days=day - 1), meeting_clock(house["meeting_time"]), house["timezone"]
    )


def weekly_slots(house: dict[str, Any], now: dt.datetime) -> list[dt.datetime]:
    """This week's weekly meeting and next week's (house time)."""
    today = now.astimezone(zone_of(house["timezone"])).date()
    return [weekly_start(house, today), weekly_start(house, today + dt.timedelta(days=7))]


async def house_meetings(house: dict[str, Any], now: dt.datetime) -> dict[str, list[Any]]:
    """Upcoming meetings (from today, house time, with this week's and next week's weekly
    meeting even before their rows exist) and the latest past ones, each with its counts
    of present/late/excused/absent. Three queries however many meetings and residents."""
    zone = zone_of(house["timezone"])
    today_start = dt.datetime.combine(now.astimezone(zone).date(), dt.time(), tzinfo=zone)
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
        m["roll_open"] = m["starts_at"] - ROLL_OPENS <= now
    past.sort(key=lambda m: m["starts_at"], reverse=True)
    ids = [m["id"] for m in (*upcoming, *past) if m["id"] is not None]
    counts: dict[int, dict[str, int]] = {}
    if ids:
        for row in (
            await Attendance.select(
                Attendance.meeting, Attendance.status, Count(Attendance.id, alias="n")
            )
            .where(Attendance.meeting.is_in(ids))
            .group_by(Attendance.meeting, Attendance.status)
        ):
            counts.setdefault(row["meeting"], {})[row["status"]] = int(row["n"])
    for m in (*upcoming, *past):
        m["counts"] = {s: counts.get(m["id"], {}).get(s, 0) for s in STATUSES}
    return {"upcoming": upcoming, "past": past}


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
    today = now.astimezone(zone_of(house["timezone"])).date()
    if day < today - AD_HOC_RANGE:
        raise DomainError("Choose a date within the last year.", field="date")
    if day > today + AD_HOC_RANGE:
        raise DomainError("Choose a date within the next year.", field="date")
    starts_at = local_start(day, at, house["timezone"])
    try:
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
    except Exception as exc:
        if is_unique_violation(exc):
            raise DomainError(
                "This house already has a meeting at that time. Open it from the list.",
                field="time",
            ) from None
        raise
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


async def roll_call(meeting: dict[str, Any]) -> list[dict[str, Any]]:
    """Everyone on the meeting's roll, by preferred name: each resident whose stay in the
    house was active on the meeting's date (admitted on or before it, not exited before
    it), plus anyone already recorded. Two queries however many residents."""
    day = meeting_date(meeting["starts_at"], meeting["timezone"])
    stays = (
        await Stay.select(
            Stay.id,
            Stay.resident,
            Stay.status,
            Stay.resident.preferred_name.as_alias("name"),
        )
        .where(
            Stay.house == meeting["house"],
            Stay.admitted_on.is_not_null(),
            Stay.admitted_on <= day,
            Stay.exited_on.is_null() | (Stay.exited_on >= day),
        )
        .order_by(Stay.id)
    )
    recorded = await Attendance.select(
        Attendance.id,
        Attendance.resident,
        Attendance.stay,
        Attendance.status,
        Attendance.resident.preferred_name.as_alias("name"),
    ).where(Attendance.meeting == meeting["id"])
    roll: dict[int, dict[str, Any]] = {}
    for stay in stays:  # a later stay (a readmission) wins over an earlier one
        roll[stay["resident"]] = {
            "resident": stay["resident"],
            "stay": stay["id"],
            "name": stay["name"],
            "status": None,
            "attendance": None,
        }
    for row in recorded:
        roll[row["resident"]] = {
            "resident": row["resident"],
            "stay": row["stay"],
            "name": row["name"],
            "status": row["status"],
            "attendance": row["id"],
        }
    return sorted(roll.values(), key=lambda r: (r["name"].casefold(), r["resident"]))


def tally(roll: list[dict[str, Any]]) -> dict[str, int]:
    return {s: sum(1 for r in roll if r["status"] == s) for s in STATUSES}


def _same_as_stored(
    meeting: dict[str, Any], roll: list[dict[str, Any]], statuses: dict[int, str], minutes: str
) -> bool:
    return meeting["minutes"] == minutes and all(
        r["status"] == statuses.get(r["resident"]) for r in roll
    )


async def take_roll(
    *,
    actor_id: int,
    meeting_id: int,
    statuses: dict[int, str],
    reasons: dict[int, str],
    minutes: str,
    version: int,
    now: dt.datetime,
) -> str:
    """Save a whole roll call in one transaction. Returns "saved" (first time), "corrected",
    or "unchanged" (nothing differs from what is stored: e.g. the same form sent twice).

    1. Every resident on the roll needs a status, and nobody else may be in the post
       (another house's resident, someone who had left): otherwise nothing is stored.
    2. A changed row of a taken roll call needs a reason.
    3. The meeting's version is claimed with a conditional UPDATE: a second identical post
       finds the version moved on and what it sent already stored ("unchanged"); a
       different one is a stale edit.
    4. New rows are inserted (unique per meeting and resident), changed rows updated with
       an Amendment each, the minutes and who took the roll saved, and an audit row written.
    """
    async with write_transaction():
        meeting = await get_meeting(meeting_id)
        if meeting is None:
            raise NotFound()
        if now < meeting["starts_at"] - ROLL_OPENS:
            raise DomainError("The roll call opens an hour before the meeting starts.")
        roll = await roll_call(meeting)
        on_roll = {r["resident"]: r for r in roll}
        strangers = set(statuses) - set(on_roll)
        if strangers:
            raise DomainError(
                "Someone in this form is not on this meeting's roll (another house, or they "
                "had left). Reload the page and take the roll call again. Nothing was saved."
            )
        if meeting["version"] != version:
            if _same_as_stored(meeting, roll, statuses, minutes):
                return "unchanged"
            raise StaleEdit(
                "Someone else saved this roll call while you had it open. This is what is "
                "saved now: check it and save again."
            )
        errors: dict[str, str] = {}
        for r in roll:
            status = statuses.get(r["resident"])
            if status is None:
                errors[f"status-{r['resident']}"] = (
                    f"Choose present, late, excused or absent for {r['name']}."
                )
            elif (
                r["status"] is not None and status != r["status"] and not reasons.get(r["resident"])
            ):
                errors[f"reason-{r['resident']}"] = (
                    f"Say why you are changing {r['name']} from {r['status']} to {status}."
                )
        if errors:
            raise RollCallErrors(errors)
        if meeting["roll_taken_at"] is not None and _same_as_stored(
            meeting, roll, statuses, minutes
        ):
            return "unchanged"
        claimed = (
            await HouseMeeting.update(
                {
                    HouseMeeting.version: version + 1,
                    HouseMeeting.minutes: minutes,
                    HouseMeeting.roll_taken_at: meeting["roll_taken_at"] or now,
                    HouseMeeting.roll_taken_by: meeting["roll_taken_by"] or actor_id,
                }
            )
            .where(HouseMeeting.id == meeting_id, HouseMeeting.version == version)
            .returning(HouseMeeting.id)
        )
        if not claimed:
            # A concurrent save got there first (it held the row until it committed).
            fresh = await get_meeting(meeting_id)
            if fresh is not None and _same_as_stored(
                fresh, await roll_call(fresh), statuses, minutes
            ):
                return "unchanged"
            raise StaleEdit("Someone else saved this roll call a moment ago. Check it again.")
        new_rows = [
            Attendance(
                meeting=meeting_id,
                resident=r["resident"],
                stay=r["stay"],
                status=statuses[r["resident"]],
                recorded_by=actor_id,
                recorded_at=now,
            )
            for r in roll
            if r["attendance"] is None
        ]
        if new_rows:
            await Attendance.insert(*new_rows)
        amendments = []
        for r in roll:
            status = statuses[r["resident"]]
            if r["attendance"] is None or status == r["status"]:
                continue
            await Attendance.update(
                {
                    Attendance.status: status,
                    Attendance.recorded_by: actor_id,
                    Attendance.recorded_at: now,
                }
            ).where(Attendance.id == r["attendance"])
            amendments.append(
                Amendment(
                    table_name="attendance",
                    record_id=r["attendance"],
                    field="status",
                    old_value=r["status"],
                    new_value=status,
                    reason=reasons[r["resident"]],
                    actor=actor_id,
                    at=now,
                )
            )
        correcting = meeting["roll_taken_at"] is not None
        if correcting and minutes != meeting["minutes"]:
            amendments.append(
                Amendment(
                    table_name="house_meeting",
                    record_id=meeting_id,
                    field="minutes",
                    old_value=meeting["minutes"],
                    new_value=minutes,
                    reason="Minutes edited after the roll call was taken.",
                    actor=actor_id,
                    at=now,
                )
            )
        if amendments:
            await Amendment.insert(*amendments)
        await record_access(
            actor_id=actor_id,
            action="roll_call_corrected" if correcting else "roll_call_taken",
            at=now,
            record=f"house_meeting:{meeting_id}",
            detail=f"{len(roll)} residents",
        )
    return "corrected" if correcting else "saved"


async def attendance_amendments(meeting_id: int) -> list[dict[str, Any]]:
    """The corrections of a meeting's roll call and minutes, newest first (one query)."""
    rows: list[dict[str, Any]] = (
        await Amendment.select(
            *Amendment.all_columns(), Amendment.actor.name.as_alias("actor_name")
        )
        .where(
            (
                (Amendment.table_name == "attendance")
                & Amendment.record_id.is_in(
                    Attendance.select(Attendance.id).where(Attendance.meeting == meeting_id)
                )
            )
            | ((Amendment.table_name == "house_meeting") & (Amendment.record_id == meeting_id))
        )
        .order_by(Amendment.at, ascending=False)
        .order_by(Amendment.id, ascending=False)
    )
    names = {
        row["id"]: row["name"]
        for row in await Attendance.select(
            Attendance.id, Attendance.resident.preferred_name.as_alias("name")
        ).where(Attendance.meeting == meeting_id)
    }
    for row in rows:
        row["who"] = names.get(row["record_id"], "") if row["table_name"] == "attendance" else ""
    return rows


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
