"""Loading a house for the signed-in user: another house is a 404."""

from __future__ import annotations

from typing import Any

from house.houses.tables import House
from house.web.access import CurrentUser, found, in_scope, writable


async def get_house_for_user(user: CurrentUser, house_id: int) -> dict[str, Any]:
    """A house the user works in (admin: any), or 404."""
    in_scope(user, house_id)
    house: dict[str, Any] | None = await House.select().where(House.id == house_id).first()
    return found(house)


async def get_rw_house_for_user(user: CurrentUser, house_id: int) -> dict[str, Any]:
    """A house the user works in and may change (a resident: 403), or 404."""
    house = await get_house_for_user(user, house_id)
    await writable(user, house_id, f"house:{house_id}")
    return house
