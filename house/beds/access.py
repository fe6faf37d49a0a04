"""Loading rooms and beds for the signed-in user: another house's is a 404."""

from __future__ import annotations

from typing import Any

from house.beds.tables import Bed, Room
from house.web.access import CurrentUser, found, in_scope, write_checked


async def get_bed_for_user(user: CurrentUser, bed_id: int) -> dict[str, Any]:
    """A bed with its room label and house, in a house the user works in, or 404."""
    bed: dict[str, Any] = found(
        await Bed.select(
            *Bed.all_columns(),
            Bed.room.label.as_alias("room_label"),
            Bed.house.name.as_alias("house_name"),
            Bed.house.timezone.as_alias("house_timezone"),
            Bed.state_changed_by.name.as_alias("state_changed_by_name"),
        )
        .where(Bed.id == bed_id)
        .first()
    )
    in_scope(user, bed["house"])
    return bed


async def get_room_for_user(user: CurrentUser, room_id: int) -> dict[str, Any]:
    """A room (id, house and label) in a house the user works in, or 404."""
    room: dict[str, Any] = found(
        await Room.select(Room.id, Room.house, Room.label).where(Room.id == room_id).first()
    )
    in_scope(user, room["house"])
    return room


async def get_rw_bed_for_user(user: CurrentUser, bed_id: int) -> dict[str, Any]:
    """get_bed_for_user, for a user who may change it (403 otherwise)."""
    return await write_checked(user, await get_bed_for_user(user, bed_id), "bed")


async def get_rw_room_for_user(user: CurrentUser, room_id: int) -> dict[str, Any]:
    """get_room_for_user, for a user who may change it (403 otherwise)."""
    return await write_checked(user, await get_room_for_user(user, room_id), "room")
