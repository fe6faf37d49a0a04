"""Loading stays and people for the signed-in user: another house's is a 404."""

from __future__ import annotations

from typing import Any

from house.residents.tables import Stay
from house.web.access import CurrentUser, found, in_scope, scoped, writable, write_checked


async def get_stay_for_user(user: CurrentUser, stay_id: int) -> dict[str, Any]:
    """A stay in a house the user works in, with the resident's names, or 404."""
    stay: dict[str, Any] = found(
        await Stay.select(
            *Stay.all_columns(),
            Stay.resident.preferred_name.as_alias("preferred_name"),
            Stay.resident.legal_name.as_alias("legal_name"),
        )
        .where(Stay.id == stay_id)
        .first()
    )
    in_scope(user, stay["house"])
    return stay


async def get_rw_stay_for_user(user: CurrentUser, stay_id: int) -> dict[str, Any]:
    """get_stay_for_user, for a user who may change it (403 otherwise)."""
    return await write_checked(user, await get_stay_for_user(user, stay_id), "stay")


async def house_of_resident(user: CurrentUser, resident_id: int) -> int:
    """A house the user works in where the resident has a stay (any status), or 404."""
    query = Stay.select(Stay.house).where(Stay.resident == resident_id)
    row: dict[str, Any] | None = await scoped(query, Stay.house, user).first()
    return int(found(row)["house"])


async def get_resident_for_user(user: CurrentUser, resident_id: int) -> None:
    """404 unless the resident has a stay (any status) in a house the user works in."""
    await house_of_resident(user, resident_id)


async def get_rw_resident_for_user(user: CurrentUser, resident_id: int) -> None:
    """get_resident_for_user, for a user who may change the person's records (403
    otherwise)."""
    await writable(user, await house_of_resident(user, resident_id), f"resident:{resident_id}")
