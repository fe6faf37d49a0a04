"""Who may load a house meeting: the one place views get one from."""

from __future__ import annotations

from typing import Any

from house.accounts.sessions import CurrentUser
from house.meetings import services
from house.web.access import found, in_scope, write_checked


async def get_meeting_for_user(user: CurrentUser, meeting_id: int) -> dict[str, Any]:
    """A house meeting in a house the user works in (admin: any), or 404."""
    meeting = found(await services.get_meeting(meeting_id))
    in_scope(user, meeting["house"])
    return meeting


async def get_rw_meeting_for_user(user: CurrentUser, meeting_id: int) -> dict[str, Any]:
    """get_meeting_for_user, for a user who may change it (403 otherwise)."""
    meeting = await get_meeting_for_user(user, meeting_id)
    return await write_checked(user, meeting, "house_meeting")
