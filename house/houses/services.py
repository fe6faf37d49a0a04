"""Creating and editing houses, the across-houses picture of beds, and what waits for
staff in each house."""

from __future__ import annotations

import datetime as dt
from typing import Any

from piccolo.query.functions.aggregate import Count

from house.audit.services import record_access
from house.beds.tables import Bed, BedAssignment
from house.chores.tables import ChoreAssignment
from house.db import is_unique_violation, write_transaction
from house.houses.tables import House
from house.lib.dates import house_today
from house.lib.errors import DomainError, NotFound, StaleEdit
from house.meetings.tables import OutsideMeeting
from house.residents.tables import Stay
from house.screens.tables import DrawSelection
from house.violations.tables import Violation

FIELDS = (
    "name",
    "address",
    "kind",
    "narr_level",
    "timezone",
    "curfew",
    "phone",
    "notes",
    "require_signed_rules",
    "consequence_ladder",
    "chore_rotation_day",
    "chore_rotation_hour",
    "meeting_day",
    "meeting_time",
    "outside_meetings_required",
    "alert_random_cutoff",
    "alert_chores_missed",
    "alert_meetings_weekday",
    "alert_bed_free_days",
    "alert_escalate_minutes",
)


async def create_house(*, actor_id: int, values: dict[str, Any], now: dt.datetime) -> int:
    try:
        async with write_transaction():
            rows = await House.insert(
                House(**{f: values[f] for f in FIELDS}, created_at=now)
            ).returning(House.id)
            house_id = int(rows[0]["id"])
            await record_access(
                actor_id=actor_id, action="house_created", at=now, record=f"house:{house_id}"
            )
    except Exception as exc:
        if is_unique_violation(exc):
            raise DomainError("There is already a house with this name.", "name") from None
        raise
    return house_id


async def save_settings(
    *,
    actor_id: int,
    house_id: int,
    values: dict[str, Any],
    version: int,
    now: dt.datetime,
    action: str,
    detail: str = "",
) -> bool:
    """Store house columns (`values` by column name) if nobody saved the house since the
    person read `version`. The one way any part of the program saves a house's settings.

    1. One conditional UPDATE on the version; the version goes up by one.
    2. Zero rows: a house that does not exist is NotFound; if the house already holds these
       very values (a double submit, a second tab) nothing is stored and False is returned;
       otherwise StaleEdit says who saved the house and when.
    3. An audit row `action` in the same transaction. Returns True when stored.
    """
    columns: dict[Any, Any] = {
        House._meta.get_column_by_name(name): value for name, value in values.items()
    }
    async with write_transaction():
        changed = (
            await House.update(
                {
                    **columns,
                    House.version: House.version + 1,
                    House.updated_at: now,
                    House.updated_by: actor_id,
                }
            )
            .where(House.id == house_id, House.version == version)
            .returning(House.id)
        )
        if changed:
            await record_access(
                actor_id=actor_id, action=action, at=now, record=f"house:{house_id}", detail=detail
            )
            return True
    await _refuse_stale(house_id, values)
    return False


async def _refuse_stale(house_id: int, values: dict[str, Any]) -> None:
    """Return quietly if the house already holds `values`; else raise NotFound or StaleEdit."""
    row = (
        await House.select(
            *[House._meta.get_column_by_name(name) for name in values],
            House.updated_at,
            House.updated_by.name.as_alias("updated_by_name"),
        )
        .where(House.id == house_id)
        .first()
    )
    if row is None:
        raise NotFound()
    if all(row[name] == value for name, value in values.items()):
        return
    when = row["updated_at"]
    raise StaleEdit(
        f"{row['updated_by_name'] or 'Someone'} changed this house"
        + (f" at {when:%Y-%m-%d %H:%M} UTC" if when else "")
        + " after you opened the page. Check the values below and save again."
    )


async def update_house(
    *, actor_id: int, house_id: int, values: dict[str, Any], version: int, now: dt.datetime
) -> bool:
    """Save the house's own details (FIELDS). False for a repeat of the same values."""
    try:
        return await save_settings(
            actor_id=actor_id,
            house_id=house_id,
            values={name: values[name] for name in FIELDS},
            version=version,
            now=now,
            action="house_updated",
        )
    except Exception as exc:
        if is_unique_violation(exc):
            raise DomainError("There is already a house with this name.", "name") from None
        raise


async def overview(house_ids: list[int] | None, kind: str | None) -> list[dict[str, Any]]:
    """Beds by state, vacancy and free time for each house, in four queries in all."""
    houses_query = House.select(House.id, House.name, House.kind, House.narr_level).order_by(
        House.name
    )
    if house_ids is not None:
        houses_query = houses_query.where(House.id.is_in(house_ids or [-1]))
    if kind:
        houses_query = houses_query.where(House.kind == kind)
    houses = await houses_query
    ids = [h["id"] for h in houses] or [-1]
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
        mine = by_house.get(house["id"], [])
        house["occupied"] = len([b for b in mine if b["id"] in occupied])
        house["reserved"] = len([b for b in mine if b["state"] == "reserved"])
        house["out_of_service"] = len([b for b in mine if b["state"] == "out_of_service"])
        house["free_beds"] = sorted(
            (b for b in mine if b["id"] not in occupied and b["state"] == "available"),
            key=lambda b: b["free_since"],
        )
        house["capacity"] = len(mine) - house["out_of_service"]
        house["waiting"] = int(waiting.get(house["id"], 0))
    return houses


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
    chores = (
        await ChoreAssignment.select(
            ChoreAssignment.house, ChoreAssignment.day, Count(ChoreAssignment.id, alias="n")
        )
        .where(
            ChoreAssignment.house.is_in(ids),
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
    for row in chores:
        if today[row["house"]] == row["day"]:
            counts[row["house"]]["chores"] = row["n"]
    slips = (
        await OutsideMeeting.select(OutsideMeeting.house, Count(OutsideMeeting.id, alias="n"))
        .where(
            OutsideMeeting.house.is_in(ids),
            OutsideMeeting.status == OutsideMeeting.Status.pending,
        )
        .group_by(OutsideMeeting.house)
    )
    for row in slips:
        counts[row["house"]]["slips"] = row["n"]
    violations = (
        await Violation.select(Violation.house, Count(Violation.id, alias="n"))
        .where(Violation.house.is_in(ids), Violation.status == Violation.Status.open)
        .group_by(Violation.house)
    )
    for row in violations:
        counts[row["house"]]["violations"] = row["n"]
    drawn = (
        await DrawSelection.select(
            DrawSelection.house, DrawSelection.day, Count(DrawSelection.id, alias="n")
        )
        .where(
            DrawSelection.house.is_in(ids),
            DrawSelection.day.is_in(sorted(set(today.values()))),
            DrawSelection.status == DrawSelection.Status.selected,
        )
        .group_by(DrawSelection.house, DrawSelection.day)
    )
    for row in drawn:
        if today[row["house"]] == row["day"]:
            counts[row["house"]]["screens"] = row["n"]
    return counts
