"""What a house screens for: the substances (data an admin edits; retired, never deleted),
each house's panels, and the prescriptions residents disclose (a positive they explain is
expected, not use). Recording screens is services.py."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from house.amendments.services import amend, record_amendments
from house.audit.services import record_access
from house.db import refuse_duplicates, write_transaction
from house.lib.dates import house_today
from house.lib.errors import DomainError, NotFound
from house.screens.tables import (
    Panel,
    PanelSubstance,
    Prescription,
    Substance,
)

# A screen is recorded the day it is collected, or within the week (a lab form found late).


# ---------------------------------------------------------------- substances (admin)


async def substances(*, active_only: bool = False) -> list[dict[str, Any]]:
    query = Substance.select().order_by(Substance.sort_order).order_by(Substance.name)
    if active_only:
        query = query.where(Substance.active.eq(True))
    rows: list[dict[str, Any]] = await query
    return rows


def _code_of(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")[:40] or "substance"


async def add_substance(*, actor_id: int, name: str, now: dt.datetime) -> int:
    existing = await substances()
    code = _code_of(name)
    if any(s["name"].lower() == name.lower() or s["code"] == code for s in existing):
        raise DomainError("There is already a substance with that name.", field="name")
    order = max((s["sort_order"] for s in existing), default=0) + 10
    with refuse_duplicates("There is already a substance with that name.", "name"):
        async with write_transaction():
            rows = await Substance.insert(
                Substance(code=code, name=name, active=True, sort_order=order)
            ).returning(Substance.id)
            substance_id = int(rows[0]["id"])
            await record_access(
                actor_id=actor_id,
                action="substance_added",
                at=now,
                record=f"substance:{substance_id}",
            )
    return substance_id


async def rename_substance(
    *, actor_id: int, substance_id: int, name: str, reason: str, now: dt.datetime
) -> None:
    """A new name (the code, which results refer to, stays); the old name is kept as an
    amendment."""
    existing = await substances()
    row = next((s for s in existing if s["id"] == substance_id), None)
    if row is None:
        raise NotFound()
    if any(s["name"].lower() == name.lower() and s["id"] != substance_id for s in existing):
        raise DomainError("There is already a substance with that name.", field="name")
    if row["name"] == name:
        raise DomainError("That is the name it already has.", field="name")
    async with write_transaction():
        await Substance.update({Substance.name: name}).where(Substance.id == substance_id)
        await record_amendments(
            table_name="substance",
            record_id=substance_id,
            before=row,
            changed={"name": name},
            reason=reason,
            actor_id=actor_id,
            now=now,
        )
        await record_access(
            actor_id=actor_id,
            action="substance_renamed",
            at=now,
            record=f"substance:{substance_id}",
        )


async def set_substance_active(
    *, actor_id: int, substance_id: int, active: bool, now: dt.datetime
) -> bool:
    """Retire a substance (no new panel offers it; past results keep it) or bring it back.
    False if it already was so."""
    async with write_transaction():
        done = (
            await Substance.update({Substance.active: active})
            .where(Substance.id == substance_id, Substance.active.eq(not active))
            .returning(Substance.id)
        )
        if done:
            await record_access(
                actor_id=actor_id,
                action="substance_restored" if active else "substance_retired",
                at=now,
                record=f"substance:{substance_id}",
            )
    return bool(done)


# ---------------------------------------------------------------- panels (per house)


async def house_panels(house_id: int, *, active_only: bool = False) -> list[dict[str, Any]]:
    """The house's panels, active first then by name, each with its substances (two
    queries)."""
    query = Panel.select().where(Panel.house == house_id).order_by(Panel.id)
    if active_only:
        query = query.where(Panel.active.eq(True))
    panels: list[dict[str, Any]] = await query
    members = []
    if panels:
        members = (
            await PanelSubstance.select(
                PanelSubstance.panel,
                PanelSubstance.substance,
                PanelSubstance.substance.name.as_alias("name"),
                PanelSubstance.substance.code.as_alias("code"),
            )
            .where(PanelSubstance.panel.is_in([p["id"] for p in panels]))
            .order_by(PanelSubstance.substance.sort_order)
            .order_by(PanelSubstance.substance.name)
        )
    for panel in panels:
        panel["substances"] = [
            {"id": m["substance"], "name": m["name"], "code": m["code"]}
            for m in members
            if m["panel"] == panel["id"]
        ]
    panels.sort(key=lambda p: not p["active"])
    return panels


async def save_panel(
    *,
    actor_id: int,
    house_id: int,
    panel_id: int | None,
    name: str,
    substance_ids: list[int],
    now: dt.datetime,
) -> int:
    """Create a panel, or change one's name and substances. Only active substances can be
    added; a retired one already on the panel may stay."""
    current: set[int] = set()
    if panel_id is not None:
        panel = await Panel.select(Panel.id).where(Panel.id == panel_id, Panel.house == house_id)
        if not panel:
            raise NotFound()
        current = {
            r["substance"]
            for r in await PanelSubstance.select(PanelSubstance.substance).where(
                PanelSubstance.panel == panel_id
            )
        }
    offered = {s["id"] for s in await substances(active_only=True)} | current
    if not substance_ids:
        raise DomainError("Choose at least one substance.", field="substances")
    if not set(substance_ids) <= offered:
        raise DomainError("Choose substances from the list.", field="substances")
    with refuse_duplicates("This house already has a panel with that name.", "name"):
        async with write_transaction():
            if panel_id is None:
                rows = await Panel.insert(
                    Panel(house=house_id, name=name, active=True, created_at=now)
                ).returning(Panel.id)
                panel_id = int(rows[0]["id"])
            else:
                await Panel.update({Panel.name: name}).where(Panel.id == panel_id)
            gone = current - set(substance_ids)
            if gone:
                await PanelSubstance.delete().where(
                    PanelSubstance.panel == panel_id, PanelSubstance.substance.is_in(sorted(gone))
                )
            new = sorted(set(substance_ids) - current)
            if new:
                await PanelSubstance.insert(
                    *[PanelSubstance(panel=panel_id, substance=s) for s in new]
                )
            await record_access(
                actor_id=actor_id,
                action="panel_saved",
                at=now,
                record=f"panel:{panel_id}",
                detail=f"house:{house_id}",
            )
    return panel_id


async def set_panel_active(
    *, actor_id: int, house_id: int, panel_id: int, active: bool, now: dt.datetime
) -> bool:
    async with write_transaction():
        done = (
            await Panel.update({Panel.active: active})
            .where(Panel.id == panel_id, Panel.house == house_id, Panel.active.eq(not active))
            .returning(Panel.id)
        )
        if done:
            await record_access(
                actor_id=actor_id,
                action="panel_activated" if active else "panel_deactivated",
                at=now,
                record=f"panel:{panel_id}",
                detail=f"house:{house_id}",
            )
    return bool(done)


# ---------------------------------------------------------------- prescriptions


async def prescriptions_of(resident_id: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = (
        await Prescription.select(
            *Prescription.all_columns(),
            Prescription.substance.name.as_alias("substance_name"),
            Prescription.recorded_by.name.as_alias("recorded_by_name"),
        )
        .where(Prescription.resident == resident_id)
        .order_by(Prescription.starts_on, ascending=False)
    )
    return rows


def is_current(prescription: dict[str, Any], day: dt.date) -> bool:
    ends_on = prescription["ends_on"]
    return bool(prescription["starts_on"] <= day and (ends_on is None or day <= ends_on))


async def covering_prescriptions(resident_id: int, day: dt.date) -> dict[int, int]:
    """Substance id -> prescription id, for the resident's prescriptions current on `day`."""
    rows = await Prescription.select(
        Prescription.id, Prescription.substance, Prescription.starts_on, Prescription.ends_on
    ).where(Prescription.resident == resident_id, Prescription.starts_on <= day)
    return {r["substance"]: r["id"] for r in rows if is_current(r, day)}


async def add_prescription(
    *, actor_id: int, resident_id: int, values: dict[str, Any], now: dt.datetime
) -> int:
    """Record a disclosed medication (the substance it shows up as on a screen, from a date,
    to a date or ongoing)."""
    active = {s["id"] for s in await substances(active_only=True)}
    if values["substance"] not in active:
        raise DomainError("Choose the substance it shows up as.", field="substance")
    ends_on = values["ends_on"]
    if ends_on is not None and ends_on < values["starts_on"]:
        raise DomainError("The end date is before the start date.", field="ends_on")
    async with write_transaction():
        rows = await Prescription.insert(
            Prescription(
                resident=resident_id,
                substance=values["substance"],
                medication=values["medication"],
                prescriber=values["prescriber"],
                starts_on=values["starts_on"],
                ends_on=ends_on,
                recorded_by=actor_id,
                recorded_at=now,
            )
        ).returning(Prescription.id)
        prescription_id = int(rows[0]["id"])
        await record_access(
            actor_id=actor_id,
            action="prescription_added",
            at=now,
            record=f"prescription:{prescription_id}",
            detail=f"resident:{resident_id}",
        )
    return prescription_id


async def end_prescription(
    *, actor_id: int, prescription_id: int, ends_on: dt.date, reason: str, now: dt.datetime
) -> int:
    """Set (or move) the end date of a prescription, as an amendment. Returns the resident."""
    row = await Prescription.select().where(Prescription.id == prescription_id).first()
    if row is None:
        raise NotFound()
    if ends_on < row["starts_on"]:
        raise DomainError("The end date is before the start date.", field="ends_on")
    if row["ends_on"] == ends_on:
        raise DomainError("That is the end date it already has.", field="ends_on")
    async with write_transaction():
        await amend(
            Prescription,
            row,
            {"ends_on": ends_on},
            reason=reason,
            actor_id=actor_id,
            now=now,
            what="prescription",
        )
        await record_access(
            actor_id=actor_id,
            action="prescription_ended",
            at=now,
            record=f"prescription:{prescription_id}",
            detail=f"resident:{row['resident']}",
        )
    return int(row["resident"])


async def viewed_prescriptions(
    *, actor_id: int, resident: dict[str, Any], now: dt.datetime, request_id: str
) -> list[dict[str, Any]]:
    """A resident's prescriptions for staff, each marked `current` (as of today in the
    timezone of `resident["timezone"]`, their house's), after the view is written to the
    audit log."""
    rows = await prescriptions_of(resident["id"])
    await record_access(
        actor_id=actor_id,
        action="prescriptions_viewed",
        at=now,
        subject_id=resident["user"],
        record=f"resident:{resident['id']}:prescriptions",
        request_id=request_id,
    )
    for row in rows:
        row["current"] = is_current(row, house_today(now, resident["timezone"]))
    return rows
