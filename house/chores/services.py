"""Chores of a house, and reading rotations and assignments (making the weekly rotation is
in weeks.py, what happens to each assignment in assignments.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from house.audit.services import record_access
from house.chores.tables import Chore, ChoreAssignment, ChoreRotation
from house.db import write_transaction
from house.lib import dates
from house.lib.errors import NotFound
from house.residents.tables import Stay

Status = ChoreAssignment.Status
# A week may be made from the current week up to this far ahead.
WEEKS_AHEAD = 4
OPEN = (Status.pending, Status.sent_back)


def week_end(monday: dt.date) -> dt.date:
    return monday + dt.timedelta(days=6)


# Chores ------------------------------------------------------------------------------------


async def chores_of(house_id: int) -> list[dict[str, Any]]:
    """Every chore of a house, active ones first, by area and name."""
    rows: list[dict[str, Any]] = (
        await Chore.select()
        .where(Chore.house == house_id)
        .order_by(Chore.active, ascending=False)
        .order_by(Chore.area, Chore.name)
    )
    return rows


async def get_chore(house_id: int, chore_id: int) -> dict[str, Any] | None:
    """A chore of this house, or None (another house's chore is not found)."""
    row: dict[str, Any] | None = (
        await Chore.select().where(Chore.id == chore_id, Chore.house == house_id).first()
    )
    return row


def _chore_columns(values: dict[str, Any]) -> dict[Any, Any]:
    return {
        Chore.name: values["name"],
        Chore.area: values["area"],
        Chore.instructions: values["instructions"],
        Chore.frequency: values["frequency"],
        Chore.weekdays: values["weekdays"],
        Chore.weight: values["weight"],
    }


async def add_chore(
    *, actor_id: int, house_id: int, values: dict[str, Any], now: dt.datetime
) -> int:
    async with write_transaction():
        rows = await Chore.insert(
            Chore(house=house_id, created_at=now, active=True, **_plain(values))
        ).returning(Chore.id)
        chore_id = int(rows[0]["id"])
        await record_access(
            actor_id=actor_id, action="chore_added", at=now, record=f"chore:{chore_id}"
        )
    return chore_id


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    return {column._meta.name: value for column, value in _chore_columns(values).items()}


async def update_chore(
    *, actor_id: int, house_id: int, chore_id: int, values: dict[str, Any], now: dt.datetime
) -> None:
    """Change a chore. Assignments already made keep the weight they were made with."""
    async with write_transaction():
        changed = (
            await Chore.update(_chore_columns(values))
            .where(Chore.id == chore_id, Chore.house == house_id)
            .returning(Chore.id)
        )
        if not changed:
            raise NotFound()
        await record_access(
            actor_id=actor_id, action="chore_changed", at=now, record=f"chore:{chore_id}"
        )


async def set_chore_active(
    *, actor_id: int, house_id: int, chore_id: int, active: bool, now: dt.datetime
) -> None:
    """Deactivate (leave out of new rotations) or reactivate; chores are never deleted."""
    async with write_transaction():
        changed = (
            await Chore.update({Chore.active: active})
            .where(Chore.id == chore_id, Chore.house == house_id)
            .returning(Chore.id)
        )
        if not changed:
            raise NotFound()
        await record_access(
            actor_id=actor_id,
            action="chore_reactivated" if active else "chore_deactivated",
            at=now,
            record=f"chore:{chore_id}",
        )


# Reading ---------------------------------------------------------------------------------


async def rotation_of(house_id: int, week_start: dt.date) -> dict[str, Any] | None:
    row: dict[str, Any] | None = (
        await ChoreRotation.select(
            *ChoreRotation.all_columns(),
            ChoreRotation.generated_by.name.as_alias("generated_by_name"),
        )
        .where(ChoreRotation.house == house_id, ChoreRotation.week_start == week_start)
        .first()
    )
    return row


ROW = (
    ChoreAssignment.id,
    ChoreAssignment.rotation,
    ChoreAssignment.house,
    ChoreAssignment.chore,
    ChoreAssignment.resident,
    ChoreAssignment.stay,
    ChoreAssignment.day,
    ChoreAssignment.weight,
    ChoreAssignment.status,
    ChoreAssignment.note,
    ChoreAssignment.done_at,
    ChoreAssignment.checked_at,
    ChoreAssignment.version,
    ChoreAssignment.chore.name.as_alias("chore_name"),
    ChoreAssignment.chore.area.as_alias("area"),
    ChoreAssignment.chore.instructions.as_alias("instructions"),
    ChoreAssignment.resident.preferred_name.as_alias("name"),
    ChoreAssignment.checked_by.name.as_alias("checked_by_name"),
)


async def assignment(assignment_id: int) -> dict[str, Any] | None:
    """One assignment with its chore and resident names (the caller checks the house)."""
    row: dict[str, Any] | None = (
        await ChoreAssignment.select(*ROW).where(ChoreAssignment.id == assignment_id).first()
    )
    return row


async def day_list(house_id: int, day: dt.date) -> list[dict[str, Any]]:
    """A day's assignments in one query, by area and chore."""
    rows: list[dict[str, Any]] = (
        await ChoreAssignment.select(*ROW)
        .where(ChoreAssignment.house == house_id, ChoreAssignment.day == day)
        .order_by(ChoreAssignment.chore.area)
        .order_by(ChoreAssignment.chore.name)
        .order_by(ChoreAssignment.id)
    )
    return rows


async def week_grid(house_id: int, week_start: dt.date) -> dict[str, Any]:
    """The week's rotation (or None) and its assignments grouped by chore, day by day."""
    rotation = await rotation_of(house_id, week_start)
    rows: list[dict[str, Any]] = []
    if rotation is not None:
        rows = (
            await ChoreAssignment.select(*ROW)
            .where(ChoreAssignment.rotation == rotation["id"])
            .order_by(ChoreAssignment.chore.area)
            .order_by(ChoreAssignment.chore.name)
            .order_by(ChoreAssignment.day)
        )
    by_chore: dict[int, dict[str, Any]] = {}
    for row in rows:
        entry = by_chore.setdefault(
            row["chore"],
            {"id": row["chore"], "name": row["chore_name"], "area": row["area"], "days": {}},
        )
        entry["days"][row["day"]] = row
    return {
        "rotation": rotation,
        "rows": rows,
        "chores": list(by_chore.values()),
        "days": dates.week_days(week_start),
        "all_pending": all(r["status"] == Status.pending for r in rows),
    }


async def my_week(user_id: int, now: dt.datetime) -> dict[str, Any] | None:
    """For a signed-in resident: their house, today there, their assignments this week and
    the house's chart (chore, day, preferred name). None when they live in no house."""
    stay: dict[str, Any] | None = (
        await Stay.select(
            Stay.id,
            Stay.house,
            Stay.resident,
            Stay.house.name.as_alias("house_name"),
            Stay.house.timezone.as_alias("timezone"),
        )
        .where(Stay.resident.user == user_id, Stay.status == Stay.Status.active)
        .first()
    )
    if stay is None:
        return None
    today = dates.house_today(now, stay["timezone"])
    start = dates.week_start(today)
    rows = (
        await ChoreAssignment.select(*ROW)
        .where(
            ChoreAssignment.house == stay["house"],
            ChoreAssignment.day >= start,
            ChoreAssignment.day <= week_end(start),
        )
        .order_by(ChoreAssignment.day)
        .order_by(ChoreAssignment.chore.name)
    )
    chart: dict[dt.date, list[dict[str, Any]]] = {d: [] for d in dates.week_days(start)}
    for row in rows:
        chart[row["day"]].append(row)
    return {
        **stay,
        "today": today,
        "week_start": start,
        "mine": [r for r in rows if r["resident"] == stay["resident"]],
        "chart": chart,
    }
