"""Loading random draws and their selections for staff: another house's draw, or a missing
one, is a 404."""

from __future__ import annotations

from typing import Any

from house.accounts.sessions import CurrentUser
from house.screens.random import queries, services
from house.web.access import found, in_scope, write_checked


async def get_draw_for_user(user: CurrentUser, draw_id: int) -> dict[str, Any]:
    """A draw of a house the user works in (admin: any), with its details, or 404."""
    draw = found(await queries.draw_detail(draw_id))
    in_scope(user, draw["house"])
    return draw


async def get_selection_for_user(user: CurrentUser, selection_id: int) -> dict[str, Any]:
    """A resident drawn in a house the user works in, or 404."""
    row = found(await services.selection(selection_id))
    in_scope(user, row["house"])
    return row


async def get_rw_selection_for_user(user: CurrentUser, selection_id: int) -> dict[str, Any]:
    """get_selection_for_user, for a user who may change it (excuse; 403 otherwise)."""
    row = await get_selection_for_user(user, selection_id)
    return await write_checked(user, row, "draw_selection")
