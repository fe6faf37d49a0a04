"""Who may load a chore or a chore assignment: the one place views get them from."""

from __future__ import annotations

from typing import Any

from house.accounts.sessions import CurrentUser
from house.chores import services
from house.web.access import found, in_scope, write_checked


async def get_chore_for_user(user: CurrentUser, house_id: int, chore_id: int) -> dict[str, Any]:
    """A chore of a house the user works in (admin: any), or 404 (also for a chore of
    another house than the one in the address)."""
    in_scope(user, house_id)
    return found(await services.get_chore(house_id, chore_id))


async def get_assignment_for_user(user: CurrentUser, assignment_id: int) -> dict[str, Any]:
    """A chore assignment in a house the user works in (admin: any), or 404."""
    row = found(await services.assignment(assignment_id))
    in_scope(user, row["house"])
    return row


async def get_rw_chore_for_user(user: CurrentUser, house_id: int, chore_id: int) -> dict[str, Any]:
    """get_chore_for_user, for a user who may change it (403 otherwise)."""
    return await write_checked(user, await get_chore_for_user(user, house_id, chore_id), "chore")


async def get_rw_assignment_for_user(user: CurrentUser, assignment_id: int) -> dict[str, Any]:
    """get_assignment_for_user, for a user who may change it (403 otherwise)."""
    row = await get_assignment_for_user(user, assignment_id)
    return await write_checked(user, row, "chore_assignment")
