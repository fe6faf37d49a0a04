"""Chores of a house, reading rotations, and what happens to each assignment (making the
weekly rotation is in weeks.py).

An assignment moves pending -> done (the resident) -> verified (a manager's one tap), or
back to sent_back (a manager, with a note; the resident does it again), missed (the sweep,
after its day ends in the house's timezone) or excused (a manager, with a reason). Every
change is one conditional UPDATE whose WHERE names the statuses it may come from, so two
taps or two managers never apply twice; it bumps `version` and writes an audit row.
Verified, missed and excused rows are never deleted.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from house.amendments.services import record_amendments
from house.audit.services import record_access
from house.chores import rotation as algo
from house.chores.tables import Chore, ChoreAssignment, ChoreRotation
from house.db import write_transaction
from house.houses.tables import House
from house.lib.dates import house_today
from house.lib.errors import DomainError, NotFound
from house.residents.tables import Stay

Status = ChoreAssignment.Status
# A week may be made from the current week up to this far ahead.
WEEKS_AHEAD = 4
OPEN = (Status.pending, Status.sent_back)


class Stale(DomainError):
    """The assignment was changed by someone else first (or by the same person, twice)."""


def week_end(week_start: dt.date) -> dt.date:
    return week_start + dt.timedelta(days=6)


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


async def get_chore(house_id: int, chore_id: int) -> dict[str, Any]:
    """A chore of this house, or NotFound (another house's chore is not found)."""
    row: dict[str, Any] | None = (
        await Chore.select().where(Chore.id == chore_id, Chore.house == house_id).first()
    )
    if row is None:
        raise NotFound()
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


# The rotation ------------------------------------------------------------------------------


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


_ROW = (
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
        await ChoreAssignment.select(*_ROW).where(ChoreAssignment.id == assignment_id).first()
    )
    return row


async def day_list(house_id: int, day: dt.date) -> list[dict[str, Any]]:
    """A day's assignments in one query, by area and chore."""
    rows: list[dict[str, Any]] = (
        await ChoreAssignment.select(*_ROW)
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
            await ChoreAssignment.select(*_ROW)
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
        "days": algo.week_days(week_start),
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
    today = house_today(now, stay["timezone"])
    start = algo.week_start_of(today)
    rows = (
        await ChoreAssignment.select(*_ROW)
        .where(
            ChoreAssignment.house == stay["house"],
            ChoreAssignment.day >= start,
            ChoreAssignment.day <= week_end(start),
        )
        .order_by(ChoreAssignment.day)
        .order_by(ChoreAssignment.chore.name)
    )
    chart: dict[dt.date, list[dict[str, Any]]] = {d: [] for d in algo.week_days(start)}
    for row in rows:
        chart[row["day"]].append(row)
    return {
        **stay,
        "today": today,
        "week_start": start,
        "mine": [r for r in rows if r["resident"] == stay["resident"]],
        "chart": chart,
    }


# Transitions -------------------------------------------------------------------------------


async def _move(
    row: dict[str, Any],
    *,
    came_from: tuple[str, ...],
    changes: dict[Any, Any],
    actor_id: int,
    action: str,
    now: dt.datetime,
    message: str,
) -> None:
    """The one conditional UPDATE every transition goes through, with its audit row."""
    async with write_transaction():
        changed = (
            await ChoreAssignment.update(
                {**changes, ChoreAssignment.version: ChoreAssignment.version + 1}
            )
            .where(ChoreAssignment.id == row["id"], ChoreAssignment.status.is_in(list(came_from)))
            .returning(ChoreAssignment.id)
        )
        if not changed:
            raise Stale(message)
        await record_access(
            actor_id=actor_id, action=action, at=now, record=f"chore_assignment:{row['id']}"
        )


async def mark_done(*, user_id: int, assignment_id: int, now: dt.datetime) -> dict[str, Any]:
    """A resident says their own chore is done: on its day or later the same week."""
    row = (
        await ChoreAssignment.select(*_ROW, ChoreAssignment.house.timezone.as_alias("timezone"))
        .where(ChoreAssignment.id == assignment_id, ChoreAssignment.resident.user == user_id)
        .first()
    )
    if row is None:
        raise NotFound()
    today = house_today(now, row["timezone"])
    if row["day"] > today:
        raise DomainError("This chore is for a later day: mark it done on the day.")
    if row["day"] < algo.week_start_of(today):
        raise DomainError("That week is over.")
    await _move(
        row,
        came_from=OPEN,
        changes={ChoreAssignment.status: Status.done, ChoreAssignment.done_at: now},
        actor_id=user_id,
        action="chore_done",
        now=now,
        message="This chore is already marked.",
    )
    return row


def _checked(actor_id: int, now: dt.datetime) -> dict[Any, Any]:
    return {ChoreAssignment.checked_by: actor_id, ChoreAssignment.checked_at: now}


async def verify(*, actor_id: int, row: dict[str, Any], today: dt.date, now: dt.datetime) -> None:
    """A manager's one tap: pending, done or sent back -> verified, on its day or after."""
    if row["day"] > today:
        raise DomainError("This chore is for a later day.")
    await _move(
        row,
        came_from=(Status.pending, Status.done, Status.sent_back),
        changes={ChoreAssignment.status: Status.verified, **_checked(actor_id, now)},
        actor_id=actor_id,
        action="chore_verified",
        now=now,
        message="Someone has already checked this chore.",
    )


async def send_back(
    *, actor_id: int, row: dict[str, Any], note: str, today: dt.date, now: dt.datetime
) -> None:
    """Done, but not well enough: back to the resident with a short note."""
    if row["day"] > today:
        raise DomainError("This chore is for a later day.")
    if row["status"] != Status.done:
        raise DomainError("Only a chore marked done can be sent back.")
    await _move(
        row,
        came_from=(Status.done,),
        changes={
            ChoreAssignment.status: Status.sent_back,
            ChoreAssignment.note: note,
            **_checked(actor_id, now),
        },
        actor_id=actor_id,
        action="chore_sent_back",
        now=now,
        message="Someone has already checked this chore.",
    )


async def excuse(*, actor_id: int, row: dict[str, Any], reason: str, now: dt.datetime) -> None:
    """Excuse a chore that is not verified (also a missed one), with a reason."""
    if row["status"] in (Status.verified, Status.excused):
        raise DomainError(f"This chore is already {row['status']}.")
    await _move(
        row,
        came_from=(Status.pending, Status.done, Status.sent_back, Status.missed),
        changes={
            ChoreAssignment.status: Status.excused,
            ChoreAssignment.note: reason,
            **_checked(actor_id, now),
        },
        actor_id=actor_id,
        action="chore_excused",
        now=now,
        message="Someone has already checked this chore.",
    )


FINAL = (Status.verified, Status.missed, Status.excused)


async def correct(
    *, actor_id: int, row: dict[str, Any], status: str, reason: str, now: dt.datetime
) -> None:
    """Correct a verified, missed or excused chore (a wrong tap, a late excuse) to another of
    those: the row changes and an amendment keeps the old value, who, when and why."""
    if row["status"] not in FINAL:
        raise DomainError("Only a verified, missed or excused chore is corrected.")
    if status not in FINAL or status == row["status"]:
        raise DomainError("Choose what it should be instead.", field="status")
    async with write_transaction():
        changed = (
            await ChoreAssignment.update(
                {
                    ChoreAssignment.status: status,
                    ChoreAssignment.version: ChoreAssignment.version + 1,
                    **_checked(actor_id, now),
                }
            )
            .where(
                ChoreAssignment.id == row["id"],
                ChoreAssignment.status == row["status"],
                ChoreAssignment.version == row["version"],
            )
            .returning(ChoreAssignment.id)
        )
        if not changed:
            raise Stale("Someone changed this chore a moment ago. Look again.")
        await record_amendments(
            table_name="chore_assignment",
            record_id=row["id"],
            before=row,
            changed={"status": status},
            reason=reason,
            actor_id=actor_id,
            now=now,
        )
        await record_access(
            actor_id=actor_id,
            action="chore_corrected",
            at=now,
            record=f"chore_assignment:{row['id']}",
            detail=f"{row['status']} -> {status}",
        )


async def swap(
    *, actor_id: int, house_id: int, first: int, second: int, today: dt.date, now: dt.datetime
) -> None:
    """Exchange the residents of two pending assignments of one rotation of this house whose
    days have not passed, in one transaction (both or neither)."""
    if first == second:
        raise DomainError("Choose two different assignments.", field="second")
    async with write_transaction():
        rows = {
            r["id"]: r
            for r in await ChoreAssignment.select(
                *_ROW,
                ChoreAssignment.stay.admitted_on.as_alias("admitted_on"),
                ChoreAssignment.stay.exited_on.as_alias("exited_on"),
            ).where(ChoreAssignment.id.is_in([first, second]), ChoreAssignment.house == house_id)
        }
        if len(rows) != 2:
            raise NotFound()
        a, b = rows[first], rows[second]
        if a["rotation"] != b["rotation"]:
            raise DomainError("Swap two chores of the same week.", field="second")
        if a["status"] != Status.pending or b["status"] != Status.pending:
            raise DomainError("Only chores still pending can be swapped.", field="second")
        if min(a["day"], b["day"]) < today:
            raise DomainError("A chore of a past day cannot be swapped.", field="second")
        if a["resident"] == b["resident"]:
            raise DomainError("Both chores are the same resident's.", field="second")
        for who, day in ((a, b["day"]), (b, a["day"])):
            if day not in algo.presence_days(
                algo.week_start_of(day), who["admitted_on"], who["exited_on"]
            ):
                raise DomainError(f"{who['name']} is not in the house that day.", field="second")
        for mine, theirs in ((a, b), (b, a)):
            changed = (
                await ChoreAssignment.update(
                    {
                        ChoreAssignment.resident: theirs["resident"],
                        ChoreAssignment.stay: theirs["stay"],
                        ChoreAssignment.version: ChoreAssignment.version + 1,
                        **_checked(actor_id, now),
                    }
                )
                .where(
                    ChoreAssignment.id == mine["id"],
                    ChoreAssignment.status == Status.pending,
                    ChoreAssignment.version == mine["version"],
                )
                .returning(ChoreAssignment.id)
            )
            if not changed:
                raise Stale("One of these chores changed a moment ago. Look again.")
        await record_access(
            actor_id=actor_id,
            action="chore_swapped",
            at=now,
            record=f"chore_assignment:{first}",
            detail=f"with chore_assignment:{second}",
        )


async def sweep_missed(now: dt.datetime) -> int:
    """Mark pending and sent-back assignments whose day has ended (house time) as missed:
    one conditional UPDATE per house. Returns how many were marked."""
    houses = await House.select(House.id, House.timezone).where(
        House.id.is_in(
            ChoreAssignment.select(ChoreAssignment.house).where(
                ChoreAssignment.status.is_in(list(OPEN))
            )
        )
    )
    total = 0
    for house in houses:
        today = house_today(now, house["timezone"])
        async with write_transaction():
            missed = (
                await ChoreAssignment.update(
                    {
                        ChoreAssignment.status: Status.missed,
                        ChoreAssignment.version: ChoreAssignment.version + 1,
                    }
                )
                .where(
                    ChoreAssignment.house == house["id"],
                    ChoreAssignment.day < today,
                    ChoreAssignment.status.is_in(list(OPEN)),
                )
                .returning(ChoreAssignment.id)
            )
            if missed:
                await record_access(
                    actor_id=None,
                    action="chores_missed",
                    at=now,
                    record=f"house:{house['id']}",
                    detail=f"{len(missed)} assignments",
                )
        total += len(missed)
    return total
