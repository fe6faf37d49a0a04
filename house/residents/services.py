"""Residents: a new person and their application to a house (a stay on the waitlist), their
details and contacts, and an account for them.

Placing a stay in a bed, moving, ending and correcting it go with the bed assignments in
house.beds.placements (which changes the stay through house.residents.stays). Every
operation is one transaction, with its audit row inside it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from house.accounts.invites import Invitation, invite_user
from house.amendments.services import record_amendments
from house.amendments.tables import Amendment
from house.audit.services import record_access
from house.db import write_transaction
from house.lib.datewords import when_words
from house.lib.errors import DomainError, NotFound, StaleEdit
from house.residents import names
from house.residents.forms import DETAIL_FIELDS
from house.residents.tables import EmergencyContact, Resident, Stay
from house.web.access import CurrentUser, visible_house_ids


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


async def invite_resident(
    *, actor_id: int, resident_id: int, base_url: str, now: dt.datetime, request_id: str = ""
) -> Invitation:
    """Make the resident an account (role resident, in the house of their open stay) with a
    one-time link, and link it to the person; all in one transaction."""
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
        await names.name_account(resident_id)
    return invitation


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _stale(current: dict[str, Any]) -> StaleEdit:
    """Who changed a person's details since the form was opened, and when."""
    when = current["updated_at"]
    return StaleEdit(
        f"These details were changed by {current['updated_by_name'] or 'someone'}"
        + (f" {when_words(when)}" if when else "")
        + " after you opened them. Check the new values and save again."
    )


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
                *[getattr(Resident, f) for f in DETAIL_FIELDS],
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
            raise _stale(current)
        changed = [f for f in DETAIL_FIELDS if _text(current[f]) != _text(values[f])]
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
            await names.name_account(resident_id)  # a new goes-by name: the top bar says it too
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


async def person_seen_by(user: CurrentUser, resident_id: int) -> dict[str, Any] | None:
    """`person`, with only the stays in the houses the user works in."""
    found = await person(resident_id)
    if found is None:
        return None
    allowed = visible_house_ids(user)
    found["stays"] = [s for s in found["stays"] if allowed is None or s["house"] in allowed]
    return found
