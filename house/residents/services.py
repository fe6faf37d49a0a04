"""Residents and their stays: apply, admit to a bed, move, exit, and amend an admission.

The database keeps the bed rules (one current assignment per bed and per stay, one active
stay per resident, no overlapping ranges); these services check them first to give a clear
message, and turn the database's refusal into the same message when two people race.
Every operation is one transaction, with its audit row inside it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from house.amendments.services import record_amendments
from house.amendments.tables import Amendment
from house.audit.services import record_access
from house.beds.tables import Bed, BedAssignment
from house.db import is_unique_violation, write_transaction
from house.lib.errors import DomainError, NotFound, StaleEdit
from house.residents.tables import EmergencyContact, Resident, Stay
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


async def _occupant_name(bed_id: int) -> str:
    row = (
        await BedAssignment.select(
            BedAssignment.stay.resident.preferred_name.as_alias("name")  # type: ignore[union-attr]
        )
        .where(BedAssignment.bed == bed_id, BedAssignment.end_on.is_null())
        .first()
    )
    return str(row["name"]) if row else "someone"


async def _bed_taken(bed_id: int) -> BedTaken:
    return BedTaken(f"This bed was just taken by {await _occupant_name(bed_id)}.", field="bed")


async def _free_bed(bed_id: int, house_id: int) -> dict[str, Any]:
    bed: dict[str, Any] | None = (
        await Bed.select(Bed.id, Bed.house, Bed.state, Bed.label).where(Bed.id == bed_id).first()
    )
    if bed is None or bed["house"] != house_id:
        raise DomainError("Choose a bed in this house.", field="bed")
    if bed["state"] == Bed.State.out_of_service:
        raise DomainError("This bed is out of service.", field="bed")
    if await BedAssignment.exists().where(
        BedAssignment.bed == bed_id, BedAssignment.end_on.is_null()
    ):
        raise await _bed_taken(bed_id)
    return bed


async def _end_assignment(
    assignment_id: int, bed_id: int, on: dt.date, actor_id: int, now: dt.datetime
) -> None:
    """Close a current bed assignment on `on`; the bed is free from that day."""
    await BedAssignment.update(
        {BedAssignment.end_on: on, BedAssignment.ended_at: now, BedAssignment.ended_by: actor_id}
    ).where(BedAssignment.id == assignment_id)
    await Bed.update({Bed.free_since: now}).where(Bed.id == bed_id)


async def apply(
    *,
    actor_id: int,
    resident_id: int,
    house_id: int,
    applied_on: dt.date,
    requested_move_in: dt.date | None,
    priority: int,
    referral_source: str,
    notes: str,
    now: dt.datetime,
) -> int:
    """Put a resident on a house's waitlist (a new stay). Returns the stay id."""
    async with write_transaction():
        if await Stay.exists().where(
            Stay.resident == resident_id,
            Stay.status.is_in([Stay.Status.waitlist, Stay.Status.active]),
        ):
            raise DomainError("This person already has an open application or an active stay.")
        rows = await Stay.insert(
            Stay(
                resident=resident_id,
                house=house_id,
                status=Stay.Status.waitlist,
                applied_on=applied_on,
                requested_move_in=requested_move_in,
                priority=priority,
                referral_source=referral_source,
                notes=notes,
                created_at=now,
                created_by=actor_id,
            )
        ).returning(Stay.id)
        stay_id = int(rows[0]["id"])
        await record_access(
            actor_id=actor_id, action="stay_applied", at=now, record=f"stay:{stay_id}"
        )
    return stay_id


async def admit(
    *, actor_id: int, stay_id: int, bed_id: int, on: dt.date, today: dt.date, now: dt.datetime
) -> int:
    """Admit a waitlisted stay into a free bed of its house. Returns the assignment id.

    1. The stay must be on the waitlist; the bed in the stay's house, in service and free.
    2. The assignment is inserted; the database refuses a second current one (race lost).
    3. The stay becomes active from `on`; the database refuses a second active stay.
    """
    check_admission_date(on, today, field="on")
    try:
        async with write_transaction():
            stay = (
                await Stay.select(Stay.id, Stay.house, Stay.status, Stay.resident)
                .where(Stay.id == stay_id)
                .first()
            )
            if stay is None:
                raise NotFound()
            if stay["status"] != Stay.Status.waitlist:
                raise DomainError("Only someone on the waitlist can be admitted.")
            unsigned = await rules.unsigned_version(stay["house"], stay["resident"])
            if unsigned is not None:
                raise DomainError(
                    f"This house asks for the rules to be signed before moving in: this person"
                    f" has not signed version {unsigned} yet. They sign on their phone"
                    " (Home, then Rules) once invited."
                )
            await _free_bed(bed_id, stay["house"])
            rows = await BedAssignment.insert(
                BedAssignment(
                    bed=bed_id,
                    stay=stay_id,
                    house=stay["house"],
                    start_on=on,
                    created_at=now,
                    created_by=actor_id,
                )
            ).returning(BedAssignment.id)
            changed = (
                await Stay.update(
                    {
                        Stay.status: Stay.Status.active,
                        Stay.admitted_on: on,
                        Stay.version: Stay.version + 1,
                    }
                )
                .where(Stay.id == stay_id, Stay.status == Stay.Status.waitlist)
                .returning(Stay.id)
            )
            if not changed:
                raise DomainError("This application changed a moment ago; reload the page.")
            await Bed.update({Bed.free_since: now}).where(Bed.id == bed_id)
            await record_access(
                actor_id=actor_id,
                action="stay_admitted",
                at=now,
                record=f"stay:{stay_id}",
                detail=f"bed:{bed_id}",
            )
    except DomainError:
        raise
    except Exception as exc:
        if _is_constraint_violation(exc):
            if await BedAssignment.exists().where(
                BedAssignment.bed == bed_id, BedAssignment.end_on.is_null()
            ):
                raise await _bed_taken(bed_id) from None
            raise DomainError("This person is already in a bed.") from None
        raise
    return int(rows[0]["id"])


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
            current = (
                await BedAssignment.select(
                    BedAssignment.id, BedAssignment.bed, BedAssignment.start_on, BedAssignment.house
                )
                .where(BedAssignment.stay == stay_id, BedAssignment.end_on.is_null())
                .first()
            )
            if current is None:
                raise DomainError("This person has no current bed to move from.")
            if current["bed"] == to_bed_id:
                raise DomainError("That is the bed they are in.", field="bed")
            if on < current["start_on"]:
                raise DomainError("A move cannot be before the move into the current bed.", "on")
            await _free_bed(to_bed_id, current["house"])
            await _end_assignment(current["id"], current["bed"], on, actor_id, now)
            rows = await BedAssignment.insert(
                BedAssignment(
                    bed=to_bed_id,
                    stay=stay_id,
                    house=current["house"],
                    start_on=on,
                    created_at=now,
                    created_by=actor_id,
                )
            ).returning(BedAssignment.id)
            await Bed.update({Bed.free_since: now}).where(Bed.id == to_bed_id)
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
    return int(rows[0]["id"])


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
    """End an active stay (or withdraw an application): the bed frees the same day."""
    if on > today + dt.timedelta(days=1):
        raise DomainError("An exit cannot be dated after tomorrow.", field="on")
    async with write_transaction():
        stay = (
            await Stay.select(Stay.id, Stay.status, Stay.admitted_on)
            .where(Stay.id == stay_id)
            .first()
        )
        if stay is None:
            raise NotFound()
        if stay["status"] == Stay.Status.exited:
            raise DomainError("This stay has already ended.")
        if stay["admitted_on"] and on < stay["admitted_on"]:
            raise DomainError("The exit cannot be before the move-in date.", field="on")
        current = (
            await BedAssignment.select(BedAssignment.id, BedAssignment.bed, BedAssignment.start_on)
            .where(BedAssignment.stay == stay_id, BedAssignment.end_on.is_null())
            .first()
        )
        if current is not None:
            if on < current["start_on"]:
                raise DomainError("The exit cannot be before the move into the bed.", "on")
            await _end_assignment(current["id"], current["bed"], on, actor_id, now)
        await Stay.update(
            {
                Stay.status: Stay.Status.exited,
                Stay.exited_on: on,
                Stay.exit_reason: reason,
                Stay.exit_note: note,
                Stay.version: Stay.version + 1,
            }
        ).where(Stay.id == stay_id)
        await record_access(
            actor_id=actor_id,
            action="stay_exited",
            at=now,
            record=f"stay:{stay_id}",
            detail=f"reason={reason}",
        )


async def amend_admission_date(
    *,
    actor_id: int,
    stay_id: int,
    admitted_on: dt.date,
    reason: str,
    today: dt.date,
    now: dt.datetime,
) -> None:
    """Correct a wrong move-in date: the old value is kept in an amendment with who and why."""
    if not reason.strip():
        raise DomainError("Say why the date is being corrected.", field="reason")
    check_admission_date(admitted_on, today, field="admitted_on")
    async with write_transaction():
        stay = await Stay.select(Stay.id, Stay.admitted_on).where(Stay.id == stay_id).first()
        if stay is None or stay["admitted_on"] is None:
            raise DomainError("Only an admitted stay has a move-in date to correct.")
        first = (
            await BedAssignment.select(BedAssignment.id, BedAssignment.end_on)
            .where(BedAssignment.stay == stay_id)
            .order_by(BedAssignment.start_on)
            .first()
        )
        if first is not None and first["end_on"] is not None and admitted_on > first["end_on"]:
            raise DomainError(
                "The move-in cannot be after the first move out of a bed.", "admitted_on"
            )
        await record_amendments(
            table_name="stay",
            record_id=stay_id,
            before=stay,
            changed={"admitted_on": admitted_on},
            reason=reason.strip(),
            actor_id=actor_id,
            now=now,
        )
        await Stay.update({Stay.admitted_on: admitted_on, Stay.version: Stay.version + 1}).where(
            Stay.id == stay_id
        )
        if first is not None:
            await BedAssignment.update({BedAssignment.start_on: admitted_on}).where(
                BedAssignment.id == first["id"]
            )
        await record_access(
            actor_id=actor_id,
            action="stay_amended",
            at=now,
            record=f"stay:{stay_id}",
            detail="admitted_on",
        )


async def create_resident(
    *,
    actor_id: int,
    legal_name: str,
    preferred_name: str,
    now: dt.datetime,
    **details: Any,
) -> int:
    async with write_transaction():
        rows = await Resident.insert(
            Resident(
                legal_name=legal_name,
                preferred_name=preferred_name,
                created_at=now,
                created_by=actor_id,
                **details,
            )
        ).returning(Resident.id)
        resident_id = int(rows[0]["id"])
        await record_access(
            actor_id=actor_id,
            action="resident_created",
            at=now,
            record=f"resident:{resident_id}",
        )
    return resident_id


async def intake(*, actor_id: int, values: dict[str, Any], today: dt.date, now: dt.datetime) -> int:
    """A new person and their application to a house's waitlist, together. Returns the stay."""
    async with write_transaction():
        resident_id = await create_resident(
            actor_id=actor_id,
            legal_name=values["legal_name"],
            preferred_name=values["preferred_name"],
            now=now,
            date_of_birth=values["date_of_birth"],
            phone=values["phone"],
            email=values["email"],
            sobriety_date=values["sobriety_date"],
            referral_source=values["referral_source"],
        )
        if values["contact_name"]:
            await EmergencyContact.insert(
                EmergencyContact(
                    resident=resident_id,
                    name=values["contact_name"],
                    relation=values["contact_relation"],
                    phone=values["contact_phone"],
                    created_at=now,
                )
            )
        return await apply(
            actor_id=actor_id,
            resident_id=resident_id,
            house_id=values["house"],
            applied_on=today,
            requested_move_in=values["requested_move_in"],
            priority=values["priority"],
            referral_source=values["referral_source"],
            notes=values["notes"],
            now=now,
        )


async def person(resident_id: int) -> dict[str, Any] | None:
    """A resident with their contacts, stays, bed history and amendments (five queries)."""
    resident: dict[str, Any] | None = (
        await Resident.select().where(Resident.id == resident_id).first()
    )
    if resident is None:
        return None
    resident["contacts"] = await EmergencyContact.select().where(
        EmergencyContact.resident == resident_id
    )
    resident["stays"] = (
        await Stay.select(
            *Stay.all_columns(),
            Stay.house.name.as_alias("house_name"),
            Stay.house.timezone.as_alias("house_timezone"),
        )
        .where(Stay.resident == resident_id)
        .order_by(Stay.applied_on, ascending=False)
    )
    stay_ids = [s["id"] for s in resident["stays"]] or [-1]
    resident["beds"] = (
        await BedAssignment.select(
            BedAssignment.stay,
            BedAssignment.start_on,
            BedAssignment.end_on,
            BedAssignment.bed.label.as_alias("bed_label"),
            BedAssignment.bed.room.label.as_alias("room_label"),  # type: ignore[union-attr]
        )
        .where(BedAssignment.stay.is_in(stay_ids))
        .order_by(BedAssignment.start_on, ascending=False)
    )
    resident["amendments"] = (
        await Amendment.select(
            *Amendment.all_columns(), Amendment.actor.name.as_alias("actor_name")
        )
        .where(
            ((Amendment.table_name == "stay") & Amendment.record_id.is_in(stay_ids))
            | ((Amendment.table_name == "resident") & (Amendment.record_id == resident_id))
        )
        .order_by(Amendment.at, ascending=False)
    )
    return resident


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


async def invite_resident(
    *, actor_id: int, resident_id: int, base_url: str, now: dt.datetime, request_id: str = ""
) -> Any:
    """Make the resident an account (role resident, in the house of their open stay) with a
    one-time link, and link it to the person; all in one transaction."""
    from house.accounts.services import invite_user

    async with write_transaction():
        resident = (
            await Resident.select(
                Resident.preferred_name, Resident.legal_name, Resident.email, Resident.user
            )
            .where(Resident.id == resident_id)
            .first()
        )
        if resident is None:
            raise NotFound()
        if resident["user"] is not None:
            raise DomainError("This person already has an account.")
        if not resident["email"]:
            raise DomainError("Add an email address for this person first.")
        stay = (
            await Stay.select(Stay.house)
            .where(
                Stay.resident == resident_id,
                Stay.status.is_in([Stay.Status.waitlist, Stay.Status.active]),
            )
            .first()
        )
        if stay is None:
            raise DomainError("Only someone waiting or living in a house can get an account.")
        invitation = await invite_user(
            actor_id=actor_id,
            email=resident["email"],
            name=resident["preferred_name"],
            role="resident",
            house_ids=[stay["house"]],
            now=now,
            base_url=base_url,
            request_id=request_id,
        )
        await Resident.update({Resident.user: invitation.user_id}).where(Resident.id == resident_id)
    return invitation


DETAILS = (
    "legal_name",
    "preferred_name",
    "date_of_birth",
    "phone",
    "email",
    "sobriety_date",
    "referral_source",
    "notes",
)


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, dt.date) else str(value)


async def update_details(
    *,
    actor_id: int,
    resident_id: int,
    values: dict[str, Any],
    version: int,
    why: str,
    now: dt.datetime,
) -> int:
    """Change a person's details. Every changed field is kept as an amendment (old value,
    new value, who, when, why); a stale form is refused. Returns how many fields changed."""
    async with write_transaction():
        current = (
            await Resident.select(
                *[getattr(Resident, f) for f in DETAILS],
                Resident.version,
                Resident.updated_at,
                Resident.updated_by.name.as_alias("updated_by_name"),
            )
            .where(Resident.id == resident_id)
            .first()
        )
        if current is None:
            raise NotFound()
        if current["version"] != version:
            when = current["updated_at"]
            raise StaleEdit(
                f"These details were changed by {current['updated_by_name'] or 'someone'}"
                + (f" at {when:%Y-%m-%d %H:%M} UTC" if when else "")
                + " after you opened them. Check the new values and save again."
            )
        changed = [f for f in DETAILS if _text(current[f]) != _text(values[f])]
        await record_amendments(
            table_name="resident",
            record_id=resident_id,
            before={f: _text(current[f]) for f in changed},
            changed={f: _text(values[f]) for f in changed},
            reason=why or "details updated",
            actor_id=actor_id,
            now=now,
        )
        if changed:
            updated = (
                await Resident.update(
                    {
                        **{getattr(Resident, f): values[f] for f in changed},
                        Resident.version: Resident.version + 1,
                        Resident.updated_at: now,
                        Resident.updated_by: actor_id,
                    }
                )
                .where(Resident.id == resident_id, Resident.version == version)
                .returning(Resident.id)
            )
            if not updated:
                raise StaleEdit("These details were changed a moment ago. Save again.")
            await record_access(
                actor_id=actor_id,
                action="resident_updated",
                at=now,
                record=f"resident:{resident_id}",
                detail=",".join(changed)[:255],
            )
    return len(changed)


async def add_contact(
    *, actor_id: int, resident_id: int, name: str, relation: str, phone: str, now: dt.datetime
) -> None:
    async with write_transaction():
        await EmergencyContact.insert(
            EmergencyContact(
                resident=resident_id, name=name, relation=relation, phone=phone, created_at=now
            )
        )
        await record_access(
            actor_id=actor_id, action="contact_added", at=now, record=f"resident:{resident_id}"
        )
