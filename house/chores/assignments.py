"""What happens to each chore assignment.

An assignment moves pending -> done (the resident) -> verified (a manager's one tap), or
back to sent_back (a manager, with a note; the resident does it again), missed (the sweep,
after its day ends in the house's timezone) or excused (a manager, with a reason). Every
change is one conditional UPDATE whose WHERE names the statuses it may come from, so two
taps or two managers never apply twice; it bumps `version` and writes an audit row.
Verified, missed and excused rows are never deleted; a wrong one is corrected (`correct`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from house.amendments.services import Stale, amend
from house.audit.services import record_access
from house.chores.rotation import presence_days
from house.chores.services import OPEN, ROW, Status
from house.chores.tables import ChoreAssignment
from house.db import write_transaction
from house.events.services import record_event
from house.houses.tables import House
from house.lib.dates import house_today, week_start
from house.lib.errors import DomainError, NotFound

__all__ = ["Stale"]


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
        await ChoreAssignment.select(*ROW, ChoreAssignment.house.timezone.as_alias("timezone"))
        .where(ChoreAssignment.id == assignment_id, ChoreAssignment.resident.user == user_id)
        .first()
    )
    if row is None:
        raise NotFound()
    today = house_today(now, row["timezone"])
    if row["day"] > today:
        raise DomainError("This chore is for a later day: mark it done on the day.")
    if row["day"] < week_start(today):
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


async def _check(
    row: dict[str, Any],
    *,
    came_from: tuple[str, ...],
    status: str,
    actor_id: int,
    now: dt.datetime,
    note: str | None = None,
) -> None:
    """A manager's check (verify, send back, excuse): the new status, who checked it and
    when, and the note if one goes with it; audited as `chore_<status>`."""
    changes = {ChoreAssignment.status: status, **_checked(actor_id, now)}
    if note is not None:
        changes[ChoreAssignment.note] = note
    await _move(
        row,
        came_from=came_from,
        changes=changes,
        actor_id=actor_id,
        action=f"chore_{status}",
        now=now,
        message="Someone has already checked this chore.",
    )


async def verify(*, actor_id: int, row: dict[str, Any], today: dt.date, now: dt.datetime) -> None:
    """A manager's one tap: pending, done or sent back -> verified, on its day or after."""
    if row["day"] > today:
        raise DomainError("This chore is for a later day.")
    await _check(
        row,
        came_from=(Status.pending, Status.done, Status.sent_back),
        status=Status.verified,
        actor_id=actor_id,
        now=now,
    )


async def send_back(
    *, actor_id: int, row: dict[str, Any], note: str, today: dt.date, now: dt.datetime
) -> None:
    """Done, but not well enough: back to the resident with a short note. The resident is
    told (house.chores.alerts.chore_sent_back) from an event row of the same transaction."""
    if row["day"] > today:
        raise DomainError("This chore is for a later day.")
    if row["status"] != Status.done:
        raise DomainError("Only a chore marked done can be sent back.")
    async with write_transaction():
        await _check(
            row,
            came_from=(Status.done,),
            status=Status.sent_back,
            actor_id=actor_id,
            now=now,
            note=note,
        )
        record = f"chore_assignment:{row['id']}"
        await record_event("chore_assignment", record, row["house"], now)


async def excuse(*, actor_id: int, row: dict[str, Any], reason: str, now: dt.datetime) -> None:
    """Excuse a chore that is not verified (also a missed one), with a reason."""
    if row["status"] in (Status.verified, Status.excused):
        raise DomainError(f"This chore is already {row['status']}.")
    await _check(
        row,
        came_from=(Status.pending, Status.done, Status.sent_back, Status.missed),
        status=Status.excused,
        actor_id=actor_id,
        now=now,
        note=reason,
    )


FINAL = (Status.verified, Status.missed, Status.excused)


async def correct(
    *, actor_id: int, row: dict[str, Any], status: str, reason: str, now: dt.datetime
) -> None:
    """Correct a verified, missed or excused chore (a wrong tap, a late excuse) to another of
    those: a versioned correction (amendments.amend keeps the old value, who, when and why;
    a correction of the version the manager did not see stores nothing)."""
    if row["status"] not in FINAL:
        raise DomainError("Only a verified, missed or excused chore is corrected.")
    if status not in FINAL or status == row["status"]:
        raise DomainError("Choose what it should be instead.", field="status")
    async with write_transaction():
        await amend(
            ChoreAssignment,
            row,
            {"status": status},
            reason=reason,
            actor_id=actor_id,
            now=now,
            what="chore",
        )
        await ChoreAssignment.update(_checked(actor_id, now)).where(ChoreAssignment.id == row["id"])
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
    days have not passed, in one transaction (both or neither).

    1. Both rows are read in this house (another house's: not found).
    2. The swap must make sense (same week, both pending, not past, two people, each in the
       house on the other's day).
    3. Each row takes the other's resident, only if it is still the version read in 1."""
    if first == second:
        raise DomainError("Choose two different assignments.", field="second")
    async with write_transaction():
        rows = {
            r["id"]: r
            for r in await ChoreAssignment.select(
                *ROW,
                ChoreAssignment.stay.admitted_on.as_alias("admitted_on"),
                ChoreAssignment.stay.exited_on.as_alias("exited_on"),
            ).where(ChoreAssignment.id.is_in([first, second]), ChoreAssignment.house == house_id)
        }
        if len(rows) != 2:
            raise NotFound()
        a, b = rows[first], rows[second]
        _check_swap(a, b, today)
        for mine, theirs in ((a, b), (b, a)):
            await _take_over(mine, theirs, actor_id=actor_id, now=now)
        await record_access(
            actor_id=actor_id,
            action="chore_swapped",
            at=now,
            record=f"chore_assignment:{first}",
            detail=f"with chore_assignment:{second}",
        )


def _check_swap(a: dict[str, Any], b: dict[str, Any], today: dt.date) -> None:
    """Step 2 of a swap: DomainError unless the two rows can change hands."""
    if a["rotation"] != b["rotation"]:
        raise DomainError("Swap two chores of the same week.", field="second")
    if a["status"] != Status.pending or b["status"] != Status.pending:
        raise DomainError("Only chores still pending can be swapped.", field="second")
    if min(a["day"], b["day"]) < today:
        raise DomainError("A chore of a past day cannot be swapped.", field="second")
    if a["resident"] == b["resident"]:
        raise DomainError("Both chores are the same resident's.", field="second")
    for who, day in ((a, b["day"]), (b, a["day"])):
        if day not in presence_days(week_start(day), who["admitted_on"], who["exited_on"]):
            raise DomainError(f"{who['name']} is not in the house that day.", field="second")


async def _take_over(
    mine: dict[str, Any], theirs: dict[str, Any], *, actor_id: int, now: dt.datetime
) -> None:
    """Step 3 of a swap: `mine` goes to the resident of `theirs`, if it has not changed."""
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
