"""Setting up rooms and beds, a bed's state (available, reserved, out of service), the bed
board of a house and the overview of beds across houses.

"Occupied" is never set by hand: it is having a current assignment (see placements.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from piccolo.query.functions.aggregate import Count

from house.audit.services import record_access
from house.beds.tables import Bed, BedAssignment, Room
from house.db import refuse_duplicates, write_transaction
from house.houses.tables import House
from house.lib.dates import local
from house.lib.errors import DomainError, NotFound, StaleEdit
from house.residents.tables import Stay
from house.web.access import CurrentUser, scoped

# How a state reads in a sentence ("Mia marked this bed out of service").
STATE_WORDS = {
    "available": "back in service",
    "reserved": "reserved",
    "out_of_service": "out of service",
}


async def add_room(*, actor_id: int, house_id: int, label: str, now: dt.datetime) -> int:
    with refuse_duplicates("This house already has a room with this label.", "label"):
        async with write_transaction():
            rows = await Room.insert(Room(house=house_id, label=label, created_at=now)).returning(
                Room.id
            )
            await record_access(
                actor_id=actor_id, action="room_added", at=now, record=f"room:{rows[0]['id']}"
            )
    return int(rows[0]["id"])


async def add_beds(
    *, actor_id: int, room_id: int, labels: list[str], now: dt.datetime
) -> list[int]:
    """Add beds to a room, all or none, in one transaction. A name the room already has
    (in any case) refuses the lot; so does one that another admin adds at the same moment
    (the unique index). Returns the new beds' ids, in the order of `labels`."""
    with refuse_duplicates(_already([]), "label"):
        async with write_transaction():
            room = await Room.select(Room.house).where(Room.id == room_id).first()
            if room is None:
                raise NotFound()
            taken = {
                row["label"].casefold()
                for row in await Bed.select(Bed.label).where(Bed.room == room_id)
            }
            clashes = [label for label in labels if label.casefold() in taken]
            if clashes:
                raise DomainError(_already(clashes), "label")
            await Bed.insert(
                *(
                    Bed(
                        room=room_id,
                        house=room["house"],
                        label=label,
                        free_since=now,
                        created_at=now,
                    )
                    for label in labels
                )
            )
            # RETURNING's order is not the insert's on SQLite: read the ids back by name.
            made = await Bed.select(Bed.id, Bed.label).where(
                Bed.room == room_id, Bed.label.is_in(labels)
            )
            ids = {row["label"]: int(row["id"]) for row in made}
            for label in labels:
                await record_access(
                    actor_id=actor_id, action="bed_added", at=now, record=f"bed:{ids[label]}"
                )
    return [ids[label] for label in labels]


def _already(labels: list[str]) -> str:
    if not labels:
        return "This room already has a bed with one of these names. Nothing was added."
    names = ", ".join(labels[:-1]) + (" and " if len(labels) > 1 else "") + labels[-1]
    beds = "a bed" if len(labels) == 1 else "beds"
    return f"This room already has {beds} called {names}. Nothing was added."


class BedChanged(StaleEdit):
    """The bed changed after the page showed it: someone set its state or moved in."""


async def set_bed_state(
    *,
    actor_id: int,
    bed_id: int,
    state: str,
    note: str,
    now: dt.datetime,
    version: int | None = None,
) -> bool:
    """Set a free bed's state by hand: available (back in service), reserved (with an
    optional note: for whom, until when) or out of service (with a reason).

    1. Out of service needs a reason (`_state_columns`).
    2. A bed someone sleeps in keeps its state (move them first). A bed already in this
       state with this note (a double tap, a second tab) stores nothing: False.
    3. One conditional UPDATE on the version the page showed (`version`; None: the current
       one): the version goes up, who and when are kept. Moving someone in changes the
       version too, so a state set from a stale page never lands on a bed just taken.
       Zero rows, or another version: BedChanged, saying who changed the bed and when.
    4. An audit row in the same transaction. Returns True when stored.
    """
    wanted = _state_columns(state, note)
    async with write_transaction():
        bed = await Bed.select(*wanted, Bed.version).where(Bed.id == bed_id).first()
        if bed is None:
            raise NotFound()
        if await occupant_name(bed_id) is not None:
            raise DomainError("Someone sleeps in this bed: move them first.", field="state")
        if all(bed[column._meta.name] == value for column, value in wanted.items()):
            return False
        if version is not None and version != bed["version"]:
            raise await _changed(bed_id)
        changed = (
            await Bed.update(
                {
                    **wanted,
                    Bed.free_since: now,
                    Bed.state_changed_at: now,
                    Bed.state_changed_by: actor_id,
                    Bed.version: Bed.version + 1,
                }
            )
            .where(Bed.id == bed_id, Bed.version == bed["version"])
            .returning(Bed.id)
        )
        if not changed:
            raise await _changed(bed_id)
        await record_access(
            actor_id=actor_id,
            action="bed_state_set",
            at=now,
            record=f"bed:{bed_id}",
            detail=f"state={state}",
        )
    return True


def _state_columns(state: str, note: str) -> dict[Any, str]:
    """The columns a state sets: out of service needs a reason; a note or a reason is kept
    with its own state only."""
    note = note.strip()
    if state == Bed.State.out_of_service and not note:
        raise DomainError("Say why the bed is out of service.", field="reason")
    return {
        Bed.state: state,
        Bed.out_of_service_reason: note if state == Bed.State.out_of_service else "",
        Bed.reserved_note: note if state == Bed.State.reserved else "",
    }


async def occupant_name(bed_id: int) -> str | None:
    """The preferred name of who sleeps in the bed now, or None."""
    row = (
        await BedAssignment.select(
            BedAssignment.stay.resident.preferred_name.as_alias("name")  # type: ignore[union-attr]
        )
        .where(BedAssignment.bed == bed_id, BedAssignment.end_on.is_null())
        .first()
    )
    return str(row["name"]) if row else None


async def _changed(bed_id: int) -> BedChanged:
    """What happened to the bed since the page showed it, as a BedChanged to raise."""
    name = await occupant_name(bed_id)
    if name is not None:
        return BedChanged(f"{name} moved into this bed a moment ago.", field="state")
    bed = (
        await Bed.select(
            Bed.state,
            Bed.state_changed_at,
            Bed.state_changed_by.name.as_alias("by"),
            Bed.house.timezone.as_alias("timezone"),
        )
        .where(Bed.id == bed_id)
        .first()
    ) or {}
    when = bed.get("state_changed_at")
    return BedChanged(
        f"{bed.get('by') or 'Someone'} marked this bed {STATE_WORDS.get(bed.get('state', ''), '')}"
        + (f" at {local(when, bed['timezone']):%Y-%m-%d %H:%M %Z}" if when else "")
        + " after you opened the page. Check it and choose again.",
        field="state",
    )


async def board(house_id: int) -> dict[str, Any]:
    """Everything the bed board shows, in four queries whatever the size of the house."""
    rooms = (
        await Room.select(Room.id, Room.label).where(Room.house == house_id).order_by(Room.label)
    )
    beds = (
        await Bed.select(
            Bed.id,
            Bed.room,
            Bed.label,
            Bed.state,
            Bed.out_of_service_reason,
            Bed.reserved_note,
            Bed.free_since,
        )
        .where(Bed.house == house_id)
        .order_by(Bed.label)
    )
    current = await BedAssignment.select(
        BedAssignment.bed,
        BedAssignment.stay,
        BedAssignment.start_on,
        BedAssignment.stay.resident.as_alias("resident"),
        BedAssignment.stay.resident.preferred_name.as_alias("name"),  # type: ignore[union-attr]
    ).where(BedAssignment.house == house_id, BedAssignment.end_on.is_null())
    waitlist = (
        await Stay.select(
            Stay.id,
            Stay.priority,
            Stay.applied_on,
            Stay.requested_move_in,
            Stay.resident.preferred_name.as_alias("name"),
        )
        .where(Stay.house == house_id, Stay.status == Stay.Status.waitlist)
        .order_by(Stay.priority)
        .order_by(Stay.applied_on)
        .order_by(Stay.id)
    )
    occupant_of = {row["bed"]: row for row in current}
    beds_of: dict[int, list[dict[str, Any]]] = {}
    for bed in beds:
        bed["occupant"] = occupant_of.get(bed["id"])
        beds_of.setdefault(bed["room"], []).append(bed)
    for room in rooms:
        room["beds"] = beds_of.get(room["id"], [])
    free = [b for b in beds if b["occupant"] is None and b["state"] == Bed.State.available]
    return {
        "rooms": rooms,
        "beds": beds,
        "free_count": len(free),
        "in_service": len([b for b in beds if b["state"] != Bed.State.out_of_service]),
        "waitlist": waitlist,
        "residents": sorted(current, key=lambda r: r["name"].lower()),
    }


async def overview(user: CurrentUser, kind: str | None) -> list[dict[str, Any]]:
    """Beds by state, vacancy and free time for each house the user works in (of `kind`),
    in four queries in all."""
    houses_query = House.select(House.id, House.name, House.kind, House.narr_level).order_by(
        House.name
    )
    if kind:
        houses_query = houses_query.where(House.kind == kind)
    houses = await scoped(houses_query, House.id, user)
    if not houses:
        return houses
    ids = [h["id"] for h in houses]
    beds = await Bed.select(Bed.id, Bed.house, Bed.label, Bed.state, Bed.free_since).where(
        Bed.house.is_in(ids)
    )
    occupied = {
        row["bed"]
        for row in await BedAssignment.select(BedAssignment.bed).where(
            BedAssignment.house.is_in(ids), BedAssignment.end_on.is_null()
        )
    }
    waiting = {
        row["house"]: row["n"]
        for row in await Stay.select(Stay.house, Count(Stay.id, alias="n"))
        .where(Stay.house.is_in(ids), Stay.status == Stay.Status.waitlist)
        .group_by(Stay.house)
    }
    by_house: dict[int, list[dict[str, Any]]] = {}
    for bed in beds:
        by_house.setdefault(bed["house"], []).append(bed)
    for house in houses:
        _count_beds(house, by_house.get(house["id"], []), occupied)
        house["waiting"] = int(waiting.get(house["id"], 0))
    return houses


def _count_beds(house: dict[str, Any], beds: list[dict[str, Any]], occupied: set[int]) -> None:
    """A house's beds by state, its capacity and its free beds (longest free first)."""
    house["occupied"] = len([b for b in beds if b["id"] in occupied])
    house["reserved"] = len([b for b in beds if b["state"] == "reserved"])
    house["out_of_service"] = len([b for b in beds if b["state"] == "out_of_service"])
    house["free_beds"] = sorted(
        (b for b in beds if b["id"] not in occupied and b["state"] == "available"),
        key=lambda b: b["free_since"],
    )
    house["capacity"] = len(beds) - house["out_of_service"]


def overview_totals(houses: list[dict[str, Any]]) -> dict[str, int]:
    """The overview's bottom line: every house's beds added up."""
    totals = {
        key: sum(h[key] for h in houses)
        for key in ("capacity", "occupied", "reserved", "out_of_service", "waiting")
    }
    totals["free"] = sum(len(h["free_beds"]) for h in houses)
    return totals
