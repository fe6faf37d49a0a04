"""Loading stays and people for the signed-in user: another house's is a 404."""

from __future__ import annotations

from typing import Any

from litestar.exceptions import NotFoundException

from house.residents.tables import Stay
from house.web.access import CurrentUser, found, in_scope, scoped


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


async def get_resident_for_user(user: CurrentUser, resident_id: int) -> None:
    """404 unless the resident has a stay (any status) in a house the user works in."""
    if not await scoped(Stay.exists().where(Stay.resident == resident_id), Stay.house, user):
        raise NotFoundException()
