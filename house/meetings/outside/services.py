"""Outside recovery meetings: a resident logs one (with a slip photo or the chair's name and
phone), staff verify or reject it, and the week adds up what counts.

Only verified meetings count toward the house's weekly requirement. A log is never deleted
or edited once reviewed: verifying or rejecting is a conditional UPDATE from pending, so a
double tap or two managers at once act exactly once.

Logging with a photo:
1. `keep_photo` writes the cleaned photo first (temp name, then rename).
2. `log_meeting` writes the row naming it, and its audit row, in one transaction (it joins
   the caller's: the view's one-time form token, so a repeated form makes no second row).
3. `drop_unlogged_photo` then removes the file unless a row names it (an error, a repeated
   form, or a transaction that rolled back after the change ran).
"""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

from piccolo.query.functions.aggregate import Count

from house.audit.services import record_access
from house.db import write_transaction
from house.events.services import emit, record_event
from house.lib.dates import day_start, house_today, parse_date, week_start
from house.lib.errors import DomainError
from house.meetings.outside import uploads
from house.meetings.tables import OutsideMeeting
from house.residents.tables import Stay

FELLOWSHIPS = {
    OutsideMeeting.Fellowship.aa: "AA",
    OutsideMeeting.Fellowship.na: "NA",
    OutsideMeeting.Fellowship.ca: "CA",
    OutsideMeeting.Fellowship.smart: "SMART Recovery",
    OutsideMeeting.Fellowship.refuge: "Refuge Recovery",
    OutsideMeeting.Fellowship.celebrate: "Celebrate Recovery",
    OutsideMeeting.Fellowship.other: "Other",
}
FORMATS = {
    OutsideMeeting.Format.in_person: "In person",
    OutsideMeeting.Format.online: "Online",
}
# What the logging form offers: (value, label), in the form's order.
FELLOWSHIP_OPTIONS = [(str(value), label) for value, label in FELLOWSHIPS.items()]
FORMAT_OPTIONS = [(str(value), label) for value, label in FORMATS.items()]
VERIFIED = OutsideMeeting.Status.verified
REJECTED = OutsideMeeting.Status.rejected


def week_bounds(monday: dt.date, timezone: str) -> tuple[dt.datetime, dt.datetime]:
    """Monday 00:00 to the next Monday 00:00 in the house's timezone, as UTC."""
    return day_start(monday, timezone), day_start(monday + dt.timedelta(days=7), timezone)


async def my_stay(user_id: int) -> dict[str, Any] | None:
    """The signed-in resident's active stay with what logging needs from the house."""
    stay: dict[str, Any] | None = (
        await Stay.select(
            Stay.id,
            Stay.house,
            Stay.resident,
            Stay.admitted_on,
            Stay.house.name.as_alias("house_name"),
            Stay.house.timezone.as_alias("timezone"),
            Stay.house.outside_meetings_required.as_alias("required"),
        )
        .where(Stay.resident.user == user_id, Stay.status == Stay.Status.active)
        .first()
    )
    return stay


_LIST_COLUMNS = (
    OutsideMeeting.id,
    OutsideMeeting.house,
    OutsideMeeting.resident,
    OutsideMeeting.held_at,
    OutsideMeeting.name,
    OutsideMeeting.fellowship,
    OutsideMeeting.format,
    OutsideMeeting.location,
    OutsideMeeting.chair_name,
    OutsideMeeting.chair_phone,
    OutsideMeeting.photo,
    OutsideMeeting.status,
    OutsideMeeting.reject_reason,
    OutsideMeeting.logged_at,
    OutsideMeeting.reviewed_at,
)


def _named(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for row in rows:
        row["fellowship_label"] = FELLOWSHIPS.get(row["fellowship"], row["fellowship"])
        row["format_label"] = FORMATS.get(row["format"], row["format"])
    return rows


async def my_meetings(user_id: int, limit: int = 100) -> list[dict[str, Any]]:
    """Everything the resident logged, newest first (with each house's timezone)."""
    rows = (
        await OutsideMeeting.select(
            *_LIST_COLUMNS, OutsideMeeting.house.timezone.as_alias("timezone")
        )
        .where(OutsideMeeting.logged_by == user_id)
        .order_by(OutsideMeeting.held_at, ascending=False)
        .limit(limit)
    )
    return _named(rows)


async def keep_photo(photo: uploads.CleanPhoto | None) -> tuple[str, str]:
    """Step 1: write a cleaned photo before its row. Returns (file name, content type), or
    ("", "") without a photo."""
    if photo is None:
        return "", ""
    return await asyncio.to_thread(uploads.store, photo), photo.content_type


async def log_meeting(
    *,
    user_id: int,
    stay: dict[str, Any],
    values: dict[str, Any],
    photo: tuple[str, str] = ("", ""),
    now: dt.datetime,
) -> str:
    """Step 2: log a meeting for the resident's active stay, with the photo `keep_photo`
    stored (if any). Returns the page to show."""
    async with write_transaction():
        rows = await OutsideMeeting.insert(
            OutsideMeeting(
                house=stay["house"],
                stay=stay["id"],
                resident=stay["resident"],
                held_at=values["held_at"],
                name=values["name"],
                fellowship=values["fellowship"],
                format=values["format"],
                location=values["location"],
                chair_name=values["chair_name"],
                chair_phone=values["chair_phone"],
                photo=photo[0],
                photo_type=photo[1],
                logged_by=user_id,
                logged_at=now,
            )
        ).returning(OutsideMeeting.id)
        meeting_id = int(rows[0]["id"])
        await record_access(
            actor_id=user_id,
            action="outside_meeting_logged",
            at=now,
            subject_id=user_id,
            record=f"outside_meeting:{meeting_id}",
            detail=f"resident:{stay['resident']}",
        )
    return f"/meetings/outside#outside-{meeting_id}"


async def drop_unlogged_photo(name: str) -> None:
    """Step 3: remove a kept photo that no log names (its row was not written)."""
    if name and not await OutsideMeeting.exists().where(OutsideMeeting.photo == name):
        await asyncio.to_thread(uploads.remove, name)


async def queue(house_id: int, reviewed_limit: int = 30) -> dict[str, list[dict[str, Any]]]:
    """A house's logs to review (pending, oldest first) and the latest reviewed ones."""
    columns = (
        *_LIST_COLUMNS,
        OutsideMeeting.resident.preferred_name.as_alias("resident_name"),
        OutsideMeeting.reviewed_by.name.as_alias("reviewed_by_name"),
    )
    pending = (
        await OutsideMeeting.select(*columns)
        .where(
            OutsideMeeting.house == house_id,
            OutsideMeeting.status == OutsideMeeting.Status.pending,
        )
        .order_by(OutsideMeeting.held_at)
        .order_by(OutsideMeeting.id)
    )
    reviewed = (
        await OutsideMeeting.select(*columns)
        .where(
            OutsideMeeting.house == house_id,
            OutsideMeeting.status != OutsideMeeting.Status.pending,
        )
        .order_by(OutsideMeeting.reviewed_at, ascending=False)
        .limit(reviewed_limit)
    )
    return {"pending": _named(pending), "reviewed": _named(reviewed)}


async def waiting_count(house_id: int) -> int:
    """How many of a house's logs wait to be checked (the queue's count, one query)."""
    return int(
        await OutsideMeeting.count().where(
            OutsideMeeting.house == house_id,
            OutsideMeeting.status == OutsideMeeting.Status.pending,
        )
    )


async def meeting_row(meeting_id: int) -> dict[str, Any] | None:
    """One log as the queue shows it."""
    row: dict[str, Any] | None = (
        await OutsideMeeting.select(
            *_LIST_COLUMNS,
            OutsideMeeting.logged_by,
            OutsideMeeting.resident.user.as_alias("resident_user"),
            OutsideMeeting.resident.preferred_name.as_alias("resident_name"),
            OutsideMeeting.reviewed_by.name.as_alias("reviewed_by_name"),
            OutsideMeeting.house.timezone.as_alias("timezone"),
            OutsideMeeting.photo_type,
        )
        .where(OutsideMeeting.id == meeting_id)
        .first()
    )
    return _named([row])[0] if row else None


async def review(
    *,
    actor_id: int,
    meeting_id: int,
    verdict: str,
    reason: str,
    now: dt.datetime,
    request_id: str = "",
) -> None:
    """Verify or reject a pending log (once: the UPDATE only matches a pending row).

    Raises DomainError if someone else reviewed it first.
    """
    if verdict not in (OutsideMeeting.Status.verified, OutsideMeeting.Status.rejected):
        raise DomainError("Choose verify or reject.")
    async with write_transaction():
        changed = (
            await OutsideMeeting.update(
                {
                    OutsideMeeting.status: verdict,
                    OutsideMeeting.reject_reason: reason
                    if verdict == OutsideMeeting.Status.rejected
                    else "",
                    OutsideMeeting.reviewed_by: actor_id,
                    OutsideMeeting.reviewed_at: now,
                }
            )
            .where(
                OutsideMeeting.id == meeting_id,
                OutsideMeeting.status == OutsideMeeting.Status.pending,
            )
            .returning(
                OutsideMeeting.id,
                OutsideMeeting.house,
                OutsideMeeting.resident,
                OutsideMeeting.logged_by,
            )
        )
        if not changed:
            raise DomainError("This meeting was already reviewed.")
        if verdict == OutsideMeeting.Status.verified:
            await emit("meeting_verified", meeting_id, now)
        else:  # the resident is told why (house.meetings.alerts.slip_rejected)
            record = f"outside_meeting:{meeting_id}"
            await record_event("outside_meeting", record, changed[0]["house"], now)
        await record_access(
            actor_id=actor_id,
            action=f"outside_meeting_{verdict}",
            at=now,
            subject_id=changed[0]["logged_by"],
            record=f"outside_meeting:{meeting_id}",
            detail=f"resident:{changed[0]['resident']}",
            request_id=request_id,
        )


async def record_photo_view(
    *, actor_id: int, meeting: dict[str, Any], now: dt.datetime, request_id: str = ""
) -> None:
    await record_access(
        actor_id=actor_id,
        action="outside_meeting_photo_viewed",
        at=now,
        subject_id=meeting["logged_by"],
        record=f"outside_meeting:{meeting['id']}",
        detail=f"resident:{meeting['resident']}",
        request_id=request_id,
    )


def _counts(rows: list[dict[str, Any]]) -> dict[int, dict[str, int]]:
    counts: dict[int, dict[str, int]] = {}
    for row in rows:
        mine = counts.setdefault(
            row["resident"], {"logged": 0, "pending": 0, "verified": 0, "rejected": 0}
        )
        mine[row["status"]] = int(row["n"])
        mine["logged"] += int(row["n"])
    return counts


def chosen_week(raw: str | None, now: dt.datetime, timezone: str) -> dt.date:
    """The Monday of `?week=YYYY-MM-DD` (any day of that week), or of this week."""
    today = house_today(now, timezone)
    day = parse_date(raw) if raw else None
    if day is None or not 2000 <= day.year <= today.year + 1:
        day = today
    return week_start(day)


async def my_week(stay: dict[str, Any], user_id: int, monday: dt.date) -> dict[str, Any]:
    """The resident's week: required vs logged vs verified, with the logs."""
    start, end = week_bounds(monday, stay["timezone"])
    rows = _named(
        await OutsideMeeting.select(*_LIST_COLUMNS)
        .where(
            OutsideMeeting.logged_by == user_id,
            OutsideMeeting.house == stay["house"],
            OutsideMeeting.held_at >= start,
            OutsideMeeting.held_at < end,
        )
        .order_by(OutsideMeeting.held_at)
    )
    counts = {"logged": len(rows), "pending": 0, "verified": 0, "rejected": 0}
    for row in rows:
        counts[row["status"]] += 1
    return {
        "monday": monday,
        "sunday": monday + dt.timedelta(days=6),
        "previous": monday - dt.timedelta(days=7),
        "next": monday + dt.timedelta(days=7),
        "required": stay["required"],
        "counts": counts,
        "meetings": rows,
    }


async def house_week(house: dict[str, Any], monday: dt.date) -> dict[str, Any]:
    """Every current resident of a house with the week's counts (two queries, any size)."""
    start, end = week_bounds(monday, house["timezone"])
    residents = (
        await Stay.select(Stay.resident, Stay.resident.preferred_name.as_alias("name"))
        .where(Stay.house == house["id"], Stay.status == Stay.Status.active)
        .order_by(Stay.resident.preferred_name)
    )
    counted = _counts(
        await OutsideMeeting.select(
            OutsideMeeting.resident, OutsideMeeting.status, Count(OutsideMeeting.id, alias="n")
        )
        .where(
            OutsideMeeting.house == house["id"],
            OutsideMeeting.held_at >= start,
            OutsideMeeting.held_at < end,
        )
        .group_by(OutsideMeeting.resident, OutsideMeeting.status)
    )
    required = int(house["outside_meetings_required"])
    empty = {"logged": 0, "pending": 0, "verified": 0, "rejected": 0}
    for row in residents:
        row |= counted.get(row["resident"], empty)
        row["behind"] = row["verified"] < required
    return {
        "monday": monday,
        "sunday": monday + dt.timedelta(days=6),
        "previous": monday - dt.timedelta(days=7),
        "next": monday + dt.timedelta(days=7),
        "required": required,
        "residents": residents,
        "behind": sum(1 for r in residents if r["behind"]),
    }
