"""Who may load a violation or an appeal: the one place views get them from."""

from __future__ import annotations

from typing import Any

from litestar.exceptions import NotFoundException, PermissionDeniedException

from house.accounts.sessions import CurrentUser
from house.violations import appeals, services
from house.web.access import found, in_scope, writable, write_checked


async def get_violation_for_user(user: CurrentUser, violation_id: int) -> dict[str, Any]:
    """A violation with its details: staff of its house, or the resident it is about; a
    case manager is refused by role (403); anyone else gets a 404."""
    if user.role == "case_manager":
        raise PermissionDeniedException("Violations are seen by the house's staff.")
    violation = found(await services.detail(violation_id))
    if user.role == "resident":
        if violation["resident_user"] != user.id:
            raise NotFoundException()
    else:
        in_scope(user, violation["house"])
    return violation


async def get_rw_violation_for_user(user: CurrentUser, violation_id: int) -> dict[str, Any]:
    """get_violation_for_user, for staff who may change it: the resident it is about gets a
    403 here (they appeal through their own route, with get_violation_for_user)."""
    violation = await get_violation_for_user(user, violation_id)
    return await write_checked(user, violation, "violation")


def appeals_visible_to(user: CurrentUser) -> None:
    """Appeals go to the admins; to anyone else (the manager who recorded the violation
    first of all) an appeal does not exist: 404."""
    if not user.is_admin:
        raise NotFoundException()


async def get_appeal_violation_for_user(user: CurrentUser, appeal_id: int) -> dict[str, Any]:
    """The violation an appeal is about, for an admin; 404 for anyone else or no appeal."""
    appeals_visible_to(user)
    violation_id = found(await appeals.violation_of_appeal(appeal_id))
    return await get_violation_for_user(user, violation_id)


async def get_rw_appeal_violation_for_user(user: CurrentUser, appeal_id: int) -> dict[str, Any]:
    """get_appeal_violation_for_user, for an admin who may decide the appeal (403 otherwise)."""
    violation = await get_appeal_violation_for_user(user, appeal_id)
    await writable(user, violation["house"], f"appeal:{appeal_id}")
    return violation
