"""What the home page shows each role: the admin's counts, a resident's bed, and what waits
for staff in each of their houses (reading several concepts, which is why it is here)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from piccolo.query.functions.aggregate import Count

from house.accounts.tables import User
from house.beds.tables import BedAssignment
from house.chores.tables import ChoreAssignment
from house.lib.dates import house_today
from house.meetings.tables import OutsideMeeting
from house.screens.tables import DrawSelection
from house.violations.tables import Appeal, Violation


async def admin_counts() -> dict[str, Any]:
    """Active accounts by role, and appeals waiting for a decision."""
    rows = (
        await User.select(User.role, Count(User.id, alias="n"))
        .where(User.is_active.eq(True))
        .group_by(User.role)
    )
    pending = await Appeal.count().where(Appeal.decision == Appeal.Decision.pending)
    return {"counts": {row["role"]: row["n"] for row in rows}, "pending_appeals": pending}


async def home_of(user_id: int) -> dict[str, Any] | None:
    """Where the resident signed in as `user_id` lives now: house, room and bed, or None."""
    row: dict[str, Any] | None = (
        await BedAssignment.select(
            BedAssignment.house.name.as_alias("house_name"),
            BedAssignment.house.address.as_alias("house_address"),
            BedAssignment.house.curfew.as_alias("curfew"),
            BedAssignment.bed.label.as_alias("bed_label"),
            BedAssignment.bed.room.label.as_alias("room_label"),  # type: ignore[union-attr]
            BedAssignment.stay.admitted_on.as_alias("admitted_on"),
        )
        .where(
            BedAssignment.stay.resident.user == user_id,  # type: ignore[union-attr]
            BedAssignment.end_on.is_null(),
        )
        .first()
    )
    return row


async def round_counts(houses: list[dict[str, Any]], now: dt.datetime) -> dict[int, dict[str, int]]:
    """What waits for staff in each house (the manager's daily round), in four queries
    whatever the number of houses: chores of today (house time) not yet checked, meeting
    slips waiting to be verified, open violations, residents drawn for a screen today and
    not screened yet. `houses` are rows with id and timezone."""
    ids = [h["id"] for h in houses]
    counts: dict[int, dict[str, int]] = {i: {"chores": 0, "slips": 0, "violations": 0} for i in ids}
    if not ids:
        return counts
    today = {h["id"]: house_today(now, h["timezone"]) for h in houses}
    for house_id, n in (await _chores_today(today)).items():
        counts[house_id]["chores"] = n
    for house_id, n in (await _slips_waiting(ids)).items():
        counts[house_id]["slips"] = n
    for house_id, n in (await _open_violations(ids)).items():
        counts[house_id]["violations"] = n
    for house_id, n in (await _drawn_today(today)).items():
        counts[house_id]["screens"] = n
    return counts


async def _chores_today(today: dict[int, dt.date]) -> dict[int, int]:
    """Chores of each house's today that are not verified, missed or excused yet."""
    rows = (
        await ChoreAssignment.select(
            ChoreAssignment.house, ChoreAssignment.day, Count(ChoreAssignment.id, alias="n")
        )
        .where(
            ChoreAssignment.house.is_in(list(today)),
            ChoreAssignment.day.is_in(sorted(set(today.values()))),
            ChoreAssignment.status.is_in(
                [
                    ChoreAssignment.Status.pending,
                    ChoreAssignment.Status.done,
                    ChoreAssignment.Status.sent_back,
                ]
            ),
        )
        .group_by(ChoreAssignment.house, ChoreAssignment.day)
    )
    return {row["house"]: row["n"] for row in rows if today[row["house"]] == row["day"]}


async def _slips_waiting(ids: list[int]) -> dict[int, int]:
    """Outside-meeting slips waiting to be verified, by house."""
    rows = (
        await OutsideMeeting.select(OutsideMeeting.house, Count(OutsideMeeting.id, alias="n"))
        .where(
            OutsideMeeting.house.is_in(ids),
            OutsideMeeting.status == OutsideMeeting.Status.pending,
        )
        .group_by(OutsideMeeting.house)
    )
    return {row["house"]: row["n"] for row in rows}


async def _open_violations(ids: list[int]) -> dict[int, int]:
    rows = (
        await Violation.select(Violation.house, Count(Violation.id, alias="n"))
        .where(Violation.house.is_in(ids), Violation.status == Violation.Status.open)
        .group_by(Violation.house)
    )
    return {row["house"]: row["n"] for row in rows}


async def _drawn_today(today: dict[int, dt.date]) -> dict[int, int]:
    """Residents drawn for a screen on each house's today and not screened yet."""
    rows = (
        await DrawSelection.select(
            DrawSelection.house, DrawSelection.day, Count(DrawSelection.id, alias="n")
        )
        .where(
            DrawSelection.house.is_in(list(today)),
            DrawSelection.day.is_in(sorted(set(today.values()))),
            DrawSelection.status == DrawSelection.Status.selected,
        )
        .group_by(DrawSelection.house, DrawSelection.day)
    )
    return {row["house"]: row["n"] for row in rows if today[row["house"]] == row["day"]}
