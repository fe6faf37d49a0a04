"""The one-screen roll call of a house meeting, and its corrections.

Attendance is never deleted: re-saving a taken roll call corrects rows, each change kept as
an Amendment (old value, new, who, when, why). The meeting's `version` guards the whole
roll: a save claims it with a conditional UPDATE, so two managers (or a double tap) never
both write.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from house.amendments.services import record_amendments
from house.amendments.tables import Amendment
from house.audit.services import record_access
from house.db import write_transaction
from house.lib.dates import house_today
from house.lib.datewords import day_words
from house.lib.errors import DomainError, NotFound, StaleEdit
from house.meetings.services import get_meeting, roll_open, roll_opens_on
from house.meetings.tables import Attendance, HouseMeeting
from house.residents.tables import Stay


class RollCallErrors(DomainError):
    """Messages by row (`status-<resident>`, `reason-<resident>`); nothing was stored."""

    MESSAGE = "Some rows need an answer. Nothing was saved yet."

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(self.MESSAGE)
        self.errors = errors


async def roll_call(meeting: dict[str, Any]) -> list[dict[str, Any]]:
    """Everyone on the meeting's roll, by preferred name: each resident whose stay in the
    house was active on the meeting's date (admitted on or before it, not exited on or
    before it: the exit day is their first day away), plus anyone already recorded. Two
    queries however many residents."""
    day = house_today(meeting["starts_at"], meeting["timezone"])
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
            Stay.exited_on.is_null() | (Stay.exited_on > day),
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
        roll[stay["resident"]] = _entry(stay["resident"], stay["id"], stay["name"], None, None)
    for row in recorded:
        roll[row["resident"]] = _entry(
            row["resident"], row["stay"], row["name"], row["status"], row["id"]
        )
    return sorted(roll.values(), key=lambda r: (r["name"].casefold(), r["resident"]))


def _entry(
    resident: int, stay: int, name: str, status: str | None, attendance: int | None
) -> dict[str, Any]:
    return {
        "resident": resident,
        "stay": stay,
        "name": name,
        "status": status,
        "attendance": attendance,
    }


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
        roll = await roll_call(meeting)
        _check_roll(meeting, roll, statuses, now)
        if meeting["version"] != version:
            if _same_as_stored(meeting, roll, statuses, minutes):
                return "unchanged"
            raise StaleEdit(
                "Someone else saved this roll call while you had it open. This is what is "
                "saved now: check it and save again."
            )
        _check_rows(roll, statuses, reasons)
        correcting = meeting["roll_taken_at"] is not None
        if correcting and _same_as_stored(meeting, roll, statuses, minutes):
            return "unchanged"
        if not await _claim(meeting, version, minutes, actor_id=actor_id, now=now):
            # A concurrent save got there first (it held the row until it committed).
            fresh = await get_meeting(meeting_id)
            if fresh is not None and _same_as_stored(
                fresh, await roll_call(fresh), statuses, minutes
            ):
                return "unchanged"
            raise StaleEdit("Someone else saved this roll call a moment ago. Check it again.")
        await _save_rows(meeting, roll, statuses, reasons, minutes, actor_id=actor_id, now=now)
        await record_access(
            actor_id=actor_id,
            action="roll_call_corrected" if correcting else "roll_call_taken",
            at=now,
            record=f"house_meeting:{meeting_id}",
            detail=f"{len(roll)} residents",
        )
    return "corrected" if correcting else "saved"


def _check_roll(
    meeting: dict[str, Any], roll: list[dict[str, Any]], statuses: dict[int, str], now: dt.datetime
) -> None:
    """Step 1: the roll call is open, and everyone in the post is on the roll."""
    if not roll_open(meeting, meeting["timezone"], now):
        opens_on = roll_opens_on(meeting, meeting["timezone"])
        raise DomainError(
            "The roll call opens on the day of the meeting "
            f"({day_words(opens_on, house_today(now, meeting['timezone']))}): "
            "nothing was saved."
        )
    if set(statuses) - {r["resident"] for r in roll}:
        raise DomainError(
            "Someone in this form is not on this meeting's roll (another house, or they "
            "had left). Reload the page and take the roll call again. Nothing was saved."
        )


def _check_rows(
    roll: list[dict[str, Any]], statuses: dict[int, str], reasons: dict[int, str]
) -> None:
    """Steps 1 and 2: a status for everyone, a reason for every changed row."""
    errors: dict[str, str] = {}
    for r in roll:
        status = statuses.get(r["resident"])
        if status is None:
            errors[f"status-{r['resident']}"] = (
                f"Choose present, late, excused or absent for {r['name']}."
            )
        elif r["status"] is not None and status != r["status"] and not reasons.get(r["resident"]):
            errors[f"reason-{r['resident']}"] = (
                f"Say why you are changing {r['name']} from {r['status']} to {status}."
            )
    if errors:
        raise RollCallErrors(errors)


async def _claim(
    meeting: dict[str, Any], version: int, minutes: str, *, actor_id: int, now: dt.datetime
) -> bool:
    """Step 3: move the meeting's version on (and save the minutes and who took the roll),
    only if it is still the version the form was made from."""
    claimed = (
        await HouseMeeting.update(
            {
                HouseMeeting.version: version + 1,
                HouseMeeting.minutes: minutes,
                HouseMeeting.roll_taken_at: meeting["roll_taken_at"] or now,
                HouseMeeting.roll_taken_by: meeting["roll_taken_by"] or actor_id,
            }
        )
        .where(HouseMeeting.id == meeting["id"], HouseMeeting.version == version)
        .returning(HouseMeeting.id)
    )
    return bool(claimed)


async def _save_rows(
    meeting: dict[str, Any],
    roll: list[dict[str, Any]],
    statuses: dict[int, str],
    reasons: dict[int, str],
    minutes: str,
    *,
    actor_id: int,
    now: dt.datetime,
) -> None:
    """Step 4: insert the new rows, update the changed ones, and keep every change.

    Not through amendments.amend: attendance rows carry no version of their own, and the
    meeting's version, claimed in step 3, already guards the whole roll (minutes included),
    so each change keeps its Amendment rows with record_amendments."""
    new_rows = [
        Attendance(
            meeting=meeting["id"],
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
    for r in roll:
        status = statuses[r["resident"]]
        if r["attendance"] is not None and status != r["status"]:
            await _correct_row(r, status, reasons[r["resident"]], actor_id=actor_id, now=now)
    if meeting["roll_taken_at"] is not None:
        await record_amendments(
            table_name="house_meeting",
            record_id=meeting["id"],
            before=meeting,
            changed={"minutes": minutes} if minutes != meeting["minutes"] else {},
            reason="Minutes edited after the roll call was taken.",
            actor_id=actor_id,
            now=now,
        )


async def _correct_row(
    row: dict[str, Any], status: str, reason: str, *, actor_id: int, now: dt.datetime
) -> None:
    """One recorded row whose status changed, with its Amendment row."""
    await Attendance.update(
        {
            Attendance.status: status,
            Attendance.recorded_by: actor_id,
            Attendance.recorded_at: now,
        }
    ).where(Attendance.id == row["attendance"])
    await record_amendments(
        table_name="attendance",
        record_id=row["attendance"],
        before=row,
        changed={"status": status},
        reason=reason,
        actor_id=actor_id,
        now=now,
    )


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
