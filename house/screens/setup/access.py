"""Loading a house's panels, a resident's prescriptions and the substances for a person:
another house's record, or a missing one, is a 404."""

from __future__ import annotations

from typing import Any

from house.accounts.sessions import CurrentUser
from house.residents.access import get_resident_for_user, house_of_resident
from house.screens.setup import services
from house.screens.tables import Panel, Prescription
from house.web.access import found, in_scope, writable, write_checked


async def get_panel_for_user(user: CurrentUser, house_id: int, panel_id: int) -> dict[str, Any]:
    """A panel of a house the user works in (and of that house), or 404."""
    in_scope(user, house_id)
    panel: dict[str, Any] | None = (
        await Panel.select().where(Panel.id == panel_id, Panel.house == house_id).first()
    )
    return found(panel)


async def get_rw_panel_for_user(user: CurrentUser, house_id: int, panel_id: int) -> dict[str, Any]:
    """get_panel_for_user, for a user who may change it (403 otherwise)."""
    return await write_checked(user, await get_panel_for_user(user, house_id, panel_id), "panel")


async def get_prescription_for_user(user: CurrentUser, prescription_id: int) -> dict[str, Any]:
    """A prescription of a resident who has a stay in a house the user works in, or 404."""
    row: dict[str, Any] | None = (
        await Prescription.select().where(Prescription.id == prescription_id).first()
    )
    await get_resident_for_user(user, found(row)["resident"])
    return found(row)


async def get_rw_prescription_for_user(user: CurrentUser, prescription_id: int) -> dict[str, Any]:
    """get_prescription_for_user, for a user who may change it (403 otherwise)."""
    row = await get_prescription_for_user(user, prescription_id)
    house_id = await house_of_resident(user, row["resident"])
    await writable(user, house_id, f"prescription:{prescription_id}")
    return row


async def get_substance(substance_id: int) -> dict[str, Any]:
    """A substance (the list is the program's, kept by admins), or 404."""
    return found(next((s for s in await services.substances() if s["id"] == substance_id), None))
