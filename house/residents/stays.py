"""A stay's own changes when it is placed, ended or corrected (house.beds.placements calls
these inside its transaction, together with the bed assignments they go with)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from house.amendments.services import amend
from house.audit.services import record_access
from house.db import write_transaction
from house.events.services import emit
from house.lib.errors import DomainError, NotFound
from house.residents.tables import Stay


async def waiting_stay(stay_id: int) -> dict[str, Any]:
    """A stay on the waitlist (id, house, resident); NotFound, or DomainError if it is not
    waiting."""
    stay: dict[str, Any] | None = (
        await Stay.select(Stay.id, Stay.house, Stay.status, Stay.resident)
        .where(Stay.id == stay_id)
        .first()
    )
    if stay is None:
        raise NotFound()
    if stay["status"] != Stay.Status.waitlist:
        raise DomainError("Only someone on the waitlist can be admitted.")
    return stay


async def activate(
    *, actor_id: int, stay_id: int, on: dt.date, bed_id: int, now: dt.datetime
) -> None:
    """The waiting stay becomes active from `on` (the database refuses a second active stay
    of the person), audited with the bed it moved into."""
    async with write_transaction():
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
        await record_access(
            actor_id=actor_id,
            action="stay_admitted",
            at=now,
            record=f"stay:{stay_id}",
            detail=f"bed:{bed_id}",
        )


async def close_stay(
    *, actor_id: int, stay_id: int, on: dt.date, reason: str, note: str, now: dt.datetime
) -> None:
    """End a stay that has not ended, on `on` (not before its move-in), with why; the
    listeners of "stay_exited" take the person out of the house's days from `on` on."""
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
        # Chores, random selections and the like from the exit day on (house.registry).
        await emit("stay_exited", stay_id, now)


async def correct_move_in(
    *,
    actor_id: int,
    stay_id: int,
    admitted_on: dt.date,
    reason: str,
    now: dt.datetime,
    first_bed_ends: dt.date | None,
) -> None:
    """Correct an admitted stay's move-in date, keeping the old one as an amendment.
    `first_bed_ends`: when the stay left its first bed (the move-in cannot be after it)."""
    async with write_transaction():
        stay = (
            await Stay.select(Stay.id, Stay.admitted_on, Stay.version)
            .where(Stay.id == stay_id)
            .first()
        )
        if stay is None or stay["admitted_on"] is None:
            raise DomainError("Only an admitted stay has a move-in date to correct.")
        if first_bed_ends is not None and admitted_on > first_bed_ends:
            raise DomainError(
                "The move-in cannot be after the first move out of a bed.", "admitted_on"
            )
        changed = await amend(
            Stay,
            stay,
            {"admitted_on": admitted_on},
            reason=reason,
            actor_id=actor_id,
            now=now,
            what="stay",
        )
        if not changed:
            raise DomainError("That is the move-in date it already has.", "admitted_on")
        await record_access(
            actor_id=actor_id,
            action="stay_amended",
            at=now,
            record=f"stay:{stay_id}",
            detail="admitted_on",
        )
