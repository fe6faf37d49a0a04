"""Loading an account for the admin's user pages: an unknown id is a 404."""

from __future__ import annotations

from typing import Any

from house.accounts.tables import HouseMembership, User
from house.web.access import found


async def get_user_for_admin(user_id: int) -> dict[str, Any]:
    """An account with whether it has a password and the ids of its houses, or 404."""
    row: dict[str, Any] = found(
        await User.select(
            User.id,
            User.email,
            User.name,
            User.role,
            User.is_active,
            User.version,
            User.password_hash,
            User.last_login_at,
        )
        .where(User.id == user_id)
        .first()
    )
    row["has_password"] = bool(row.pop("password_hash"))
    memberships = await HouseMembership.select(HouseMembership.house).where(
        HouseMembership.user == user_id
    )
    row["house_ids"] = [m["house"] for m in memberships]
    return row
