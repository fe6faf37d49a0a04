"""Placements: a stay in a bed. Admit to a bed, move, end a stay's bed, correct a move-in.

The database keeps the bed rules (one current assignment per bed and per stay, one active
stay per resident, no overlapping ranges); these services check them first to give a clear
message, and turn the database's refusal into the same message when two people race.
Every operation is one transaction, with its audit row inside it. The stay itself (its
status, its dates, its audit rows) is changed through house.residents.services.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from house.audit.services import record_access
from house.beds.services import occupant_name
from house.beds.tables import Bed, BedAssignment
from house.db import is_unique_violation, write_transaction
from house.lib.errors import DomainError
from house.residents import stays
from house.rules import services as rules

ADMIT_BACK = dt.timedelta(days=365)
ADMIT_AHEAD = dt.timedelta(days=90)


class BedTaken(DomainError):
    """The bed has a current occupant (perhaps since a moment ago)."""


def _is_constraint_violation(exc: BaseException) -> bool:
    if is_unique_violation(exc):
        return True
    text = str(exc)
    return "overlaps" in text or "bed_assignment_no_overlap" in text or "exclusion" in text


def check_admission_date(on: dt.date, today: dt.date, field: str = "admitted_on") -> None:
    if on < today - ADMIT_BACK:
        raise DomainError("An admission can be at most a year back.", field=field)
    if on > today + ADMIT_AHEAD:
        raise DomainError("An admission can be at most 90 days ahead.", field=field)


async def _bed_taken(bed_id: int) -> BedTaken:
    name = await occupant_name(bed_id)
    return BedTaken(f"This bed was just taken by {name or 'someone'}.", field="bed")


async def _is_occupied(bed_id: int) -> bool:
    return bool(
        await BedAssignment.exists().where(
            BedAssignment.bed == bed_id, BedAssignment.end_on.is_null()
        )
    )


async def _free_bed(bed_id: int, house_id: int) -> dict[str, Any]:
    bed: dict[str, Any] | None = (
        await Bed.select(Bed.id, Bed.house, Bed.state, Bed.label).where(Bed.id == bed_id).first()
    )
    if bed is None or bed["house"] != house_id:
        raise DomainError("Choose a bed in this house.", field="bed")
    if bed["state"] == Bed.State.out_of_service:
        raise DomainError("This bed is out of service.", field="bed")
    if await _is_occupied(bed_id):
        raise await _bed_taken(bed_id)
    return bed


async def _assign(
    *, bed_id: int, stay_id: int, house_id: int, on: dt.date, actor_id: int, now: dt.datetime
) -> int:
    """A new current assignment of `stay_id` to a bed from `on`.

    The bed's row changes first, in the same transaction: its version goes up (a state set
    from a page shown before is refused), a reservation is used up, and a bed marked out of
    service a moment ago (its row is locked until then on PostgreSQL) is refused."""
    placed = (
        await Bed.update(
            {
                Bed.state: Bed.State.available,
                Bed.reserved_note: "",
                Bed.free_since: now,
                Bed.version: Bed.version + 1,
            }
        )
        .where(Bed.id == bed_id, Bed.state != Bed.State.out_of_service)
        .returning(Bed.id)
    )
    if not placed:
        raise DomainError("This bed is out of service.", field="bed")
    rows = await BedAssignment.insert(
        BedAssignment(
            bed=bed_id,
            stay=stay_id,
            house=house_id,
            start_on=on,
            created_at=now,
            created_by=actor_id,
        )
    ).returning(BedAssignment.id)
    return int(rows[0]["id"])


async def _end_assignment(
    assignment_id: int, bed_id: int, on: dt.date, actor_id: int, now: dt.datetime
) -> None:
    """Close a current bed assignment on `on`; the bed is free from that day."""
    await BedAssignment.update(
        {BedAssignment.end_on: on, BedAssignment.ended_at: now, BedAssignment.ended_by: actor_id}
    ).where(BedAssignment.id == assignment_id)
    await Bed.update({Bed.free_since: now}).where(Bed.id == bed_id)


async def _current_of(stay_id: int) -> dict[str, Any] | None:
    """The stay's current assignment (id, bed, start, house), or None."""
    row: dict[str, Any] | None = (
        await BedAssignment.select(
            BedAssignment.id, BedAssignment.bed, BedAssignment.start_on, BedAssignment.house
        )
        .where(BedAssignment.stay == stay_id, BedAssignment.end_on.is_null())
        .first()
    )
    return row


async def _check_rules_signed(house_id: int, resident_id: int) -> None:
    """A house that asks for its rules signed before moving in refuses an unsigned person."""
    unsigned = await rules.unsigned_version(house_id, resident_id)
    if unsigned is not None:
        raise DomainError(
            f"This house asks for the rules to be signed before moving in: this person"
            f" has not signed version {unsigned} yet. They sign on their phone"
            " (Home, then Rules) once invited."
        )


async def admit(
    *, actor_id: int, stay_id: int, bed_id: int, on: dt.date, today: dt.date, now: dt.datetime
) -> int:
    """Admit a waitlisted stay into a free bed of its house. Returns the assignment id.

    1. The stay must be on the waitlist, with the house's rules signed if the house asks;
       the bed in the stay's house, in service and free.
    2. The assignment is inserted; the database refuses a second current one (race lost).
    3. The stay becomes active from `on`; the database refuses a second active stay.
    """
    check_admission_date(on, today, field="on")
    try:
        async with write_transaction():
            stay = await stays.waiting_stay(stay_id)
            await _check_rules_signed(stay["house"], stay["resident"])
            await _free_bed(bed_id, stay["house"])
            assignment_id = await _assign(
                bed_id=bed_id,
                stay_id=stay_id,
                house_id=stay["house"],
                on=on,
                actor_id=actor_id,
                now=now,
            )
            await stays.activate(actor_id=actor_id, stay_id=stay_id, on=on, bed_id=bed_id, now=now)
    except DomainError:
        raise
    except Exception as exc:
        if _is_constraint_violation(exc):
            if await _is_occupied(bed_id):
                raise await _bed_taken(bed_id) from None
            raise DomainError("This person is already in a bed.") from None
        raise
    return assignment_id


async def move(
    *,
    actor_id: int,
    stay_id: int,
    to_bed_id: int,
    on: dt.date,
    today: dt.date,
    now: dt.datetime,
) -> int:
    """Move an active stay to another free bed of its house, in one transaction."""
    if on > today + dt.timedelta(days=1) or on < today - dt.timedelta(days=30):
        raise DomainError("A move can be dated from 30 days back to tomorrow.", field="on")
    try:
        async with write_transaction():
            current = await _current_of(stay_id)
            if current is None:
                raise DomainError("This person has no current bed to move from.")
            if current["bed"] == to_bed_id:
                raise DomainError("That is the bed they are in.", field="bed")
            if on < current["start_on"]:
                raise DomainError("A move cannot be before the move into the current bed.", "on")
            await _free_bed(to_bed_id, current["house"])
            await _end_assignment(current["id"], current["bed"], on, actor_id, now)
            assignment_id = await _assign(
                bed_id=to_bed_id,
                stay_id=stay_id,
                house_id=current["house"],
                on=on,
                actor_id=actor_id,
                now=now,
            )
            await record_access(
                actor_id=actor_id,
                action="stay_moved",
                at=now,
                record=f"stay:{stay_id}",
                detail=f"bed:{current['bed']}->bed:{to_bed_id}",
            )
    except DomainError:
        raise
    except Exception as exc:
        if _is_constraint_violation(exc):
            raise await _bed_taken(to_bed_id) from None
        raise
    return assignment_id


async def exit_stay(
    *,
    actor_id: int,
    stay_id: int,
    on: dt.date,
    reason: str,
    note: str,
    today: dt.date,
    now: dt.datetime,
) -> None:
    """End an active stay (or withdraw an application): the bed frees the same day.

    1. The stay is closed (residents checks its status and its move-in date).
    2. Its current bed assignment, if any, ends on `on` (not before it began).
    """
    if on > today + dt.timedelta(days=1):
        raise DomainError("An exit cannot be dated after tomorrow.", field="on")
    async with write_transaction():
        await stays.close_stay(
            actor_id=actor_id, stay_id=stay_id, on=on, reason=reason, note=note, now=now
        )
        current = await _current_of(stay_id)
        if current is not None:
            if on < current["start_on"]:
                raise DomainError("The exit cannot be before the move into the bed.", "on")
            await _end_assignment(current["id"], current["bed"], on, actor_id, now)


async def amend_admission_date(
    *,
    actor_id: int,
    stay_id: int,
    admitted_on: dt.date,
    reason: str,
    today: dt.date,
    now: dt.datetime,
) -> None:
    """Correct a wrong move-in date: the old value is kept in an amendment with who and why;
    the stay's first bed assignment starts on the corrected date too."""
    if not reason.strip():
        raise DomainError("Say why the date is being corrected.", field="reason")
    check_admission_date(admitted_on, today, field="admitted_on")
    async with write_transaction():
        first = (
            await BedAssignment.select(BedAssignment.id, BedAssignment.end_on)
            .where(BedAssignment.stay == stay_id)
            .order_by(BedAssignment.start_on)
            .first()
        )
        await stays.correct_move_in(
            actor_id=actor_id,
            stay_id=stay_id,
            admitted_on=admitted_on,
            reason=reason.strip(),
            now=now,
            first_bed_ends=first["end_on"] if first else None,
        )
        if first is not None:
            await BedAssignment.update({BedAssignment.start_on: admitted_on}).where(
                BedAssignment.id == first["id"]
            )


async def beds_of_stays(stay_ids: list[int], *, current: bool = False) -> list[dict[str, Any]]:
    """The bed assignments of these stays (newest first) with room and bed labels; only the
    current ones with `current`."""
    # No stays matches nothing (an empty IN is not valid SQL everywhere): still one query.
    query = BedAssignment.select(
        BedAssignment.stay,
        BedAssignment.start_on,
        BedAssignment.end_on,
        BedAssignment.bed,
        BedAssignment.bed.label.as_alias("bed_label"),
        BedAssignment.bed.room.label.as_alias("room_label"),  # type: ignore[union-attr]
    ).where(BedAssignment.stay.is_in(stay_ids or [-1]))
    if current:
        query = query.where(BedAssignment.end_on.is_null())
    rows: list[dict[str, Any]] = await query.order_by(BedAssignment.start_on, ascending=False)
    return rows


async def history_of_bed(bed_id: int) -> list[dict[str, Any]]:
    """Who slept in a bed (their person's id and preferred name), from when to when,
    newest first."""
    rows: list[dict[str, Any]] = (
        await BedAssignment.select(
            BedAssignment.start_on,
            BedAssignment.end_on,
            BedAssignment.stay.resident.as_alias("resident"),
            BedAssignment.stay.resident.preferred_name.as_alias("name"),  # type: ignore[union-attr]
        )
        .where(BedAssignment.bed == bed_id)
        .order_by(BedAssignment.start_on, ascending=False)
    )
    return rows
