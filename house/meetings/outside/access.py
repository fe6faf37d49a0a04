"""Who may load an outside meeting's log or its slip photo: the one place views get them."""

from __future__ import annotations

from typing import Any

from litestar.exceptions import NotFoundException

from house.accounts.sessions import CurrentUser
from house.meetings.outside import services
from house.web.access import found, in_scope, staff_of, write_checked


async def get_outside_meeting_for_user(user: CurrentUser, outside_id: int) -> dict[str, Any]:
    """A log in a house the staff member works in (admin: any), or 404."""
    meeting = found(await services.meeting_row(outside_id))
    in_scope(user, meeting["house"])
    return meeting


async def get_rw_outside_meeting_for_user(user: CurrentUser, outside_id: int) -> dict[str, Any]:
    """get_outside_meeting_for_user, for staff who may review it (403 otherwise). A resident
    logs their own meetings through their own route, not this loader."""
    meeting = await get_outside_meeting_for_user(user, outside_id)
    return await write_checked(user, meeting, "outside_meeting")


async def get_slip_photo_for_user(
    user: CurrentUser, outside_id: int
) -> tuple[dict[str, Any], bool]:
    """A log that has a slip photo, for the resident who logged it (or whom it is about) and
    for the staff of its house; anyone else gets a 404. Returns (the log, seen by staff):
    a staff view is audited by the caller before the photo is sent."""
    meeting = await services.meeting_row(outside_id)
    if meeting is None or not meeting["photo"]:
        raise NotFoundException()
    own = user.role == "resident" and user.id in (meeting["logged_by"], meeting["resident_user"])
    staff = staff_of(user, meeting["house"])
    if not (own or staff):
        raise NotFoundException()
    return meeting, staff
