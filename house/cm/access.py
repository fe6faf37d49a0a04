"""Loading a resident's CM ledger for staff: the stay whose house's ledger they see."""

from __future__ import annotations

from typing import Any

from house.accounts.sessions import CurrentUser
from house.cm.ledger import house_columns
from house.residents.tables import Stay
from house.web.access import found, scoped, write_checked


async def get_ledger_stay_for_user(user: CurrentUser, resident_id: int) -> dict[str, Any]:
    """The resident's stay whose house's ledger the user sees: the current one if they live
    in a house the user works in (admin: any), else the latest there; 404 if none."""
    query = Stay.select(
        Stay.id,
        Stay.house,
        Stay.resident,
        Stay.status,
        Stay.resident.preferred_name.as_alias("preferred_name"),
        Stay.resident.user.as_alias("resident_user"),
        Stay.house.name.as_alias("house_name"),
        Stay.house.timezone.as_alias("timezone"),
        *house_columns(Stay.house),
    ).where(Stay.resident == resident_id)
    # "active" sorts before "exited" and "waitlist"; then the newest stay.
    row: dict[str, Any] | None = (
        await scoped(query, Stay.house, user)
        .order_by(Stay.status)
        .order_by(Stay.id, ascending=False)
        .first()
    )
    return found(row)


async def get_rw_ledger_stay_for_user(user: CurrentUser, resident_id: int) -> dict[str, Any]:
    """get_ledger_stay_for_user, for a user who may change that ledger (403 otherwise)."""
    return await write_checked(user, await get_ledger_stay_for_user(user, resident_id), "stay")
