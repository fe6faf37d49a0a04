"""Loading screens for a person: a screen, and the resident whose screens staff look at.

Another house's record, or a missing one, is a 404; a case manager is refused screens by
role (403: consented views are their own pages)."""

from __future__ import annotations

from typing import Any

from litestar.exceptions import NotFoundException, PermissionDeniedException

from house.accounts.sessions import CurrentUser
from house.residents.access import get_rw_resident_for_user
from house.residents.tables import Stay
from house.screens import queries
from house.web.access import found, in_scope, scoped, write_checked


async def get_screen_for_user(user: CurrentUser, screen_id: int) -> dict[str, Any]:
    """A drug screen with its results: staff of its house, or the resident it is about; a
    case manager is refused by role (403); anyone else gets a 404. Showing it to staff is
    audited by the caller before rendering."""
    if user.role == "case_manager":
        raise PermissionDeniedException("Screens are seen by the house's staff.")
    screen = found(await queries.detail(screen_id))
    if user.role == "resident":
        if screen["resident_user"] != user.id:
            raise NotFoundException()
    else:
        in_scope(user, screen["house"])
    return screen


async def get_rw_screen_for_user(user: CurrentUser, screen_id: int) -> dict[str, Any]:
    """get_screen_for_user, for staff who may change it: the resident it is about gets a 403
    here."""
    return await write_checked(user, await get_screen_for_user(user, screen_id), "screen")


async def get_screened_resident_for_user(user: CurrentUser, resident_id: int) -> dict[str, Any]:
    """The resident (id, preferred name, user, and the timezone of the house of their latest
    stay among the houses the user works in) if they have a stay (any status) in a house the
    user works in, or 404. One query."""
    query = Stay.select(
        Stay.resident.as_alias("id"),
        Stay.resident.preferred_name.as_alias("preferred_name"),
        Stay.resident.user.as_alias("user"),
        Stay.house.timezone.as_alias("timezone"),
    ).where(Stay.resident == resident_id)
    row: dict[str, Any] | None = (
        await scoped(query, Stay.house, user).order_by(Stay.id, ascending=False).first()
    )
    return found(row)


async def get_rw_screened_resident_for_user(user: CurrentUser, resident_id: int) -> dict[str, Any]:
    """get_screened_resident_for_user, for a user who may change the resident's records (403
    otherwise)."""
    resident = await get_screened_resident_for_user(user, resident_id)
    await get_rw_resident_for_user(user, resident_id)
    return resident
