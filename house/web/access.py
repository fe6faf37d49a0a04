"""Who may reach what: deny by default, in one place.

Every route handler declares one access rule from this module as a guard. The app-level
guard `declared_rule_required` refuses any handler that declares none, and a test walks
every route to check the same before anything runs.

Scoping: `get_<thing>_for_user` returns the record or raises NotFoundException (another
house's record is a 404, never a hint that it exists); `get_rw_<thing>_for_user` adds the
write check (403 for a role that may only read).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, NoReturn, TypeVar, cast

from litestar.connection import ASGIConnection
from litestar.exceptions import (
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
)
from litestar.handlers.base import BaseRouteHandler

from house.accounts.sessions import CurrentUser
from house.audit.services import record_access
from house.beds.tables import Bed
from house.houses.tables import House
from house.lib import clock
from house.residents.tables import Stay
from house.violations import services as violations
from house.web.security import request_id_of

T = TypeVar("T")
Q = TypeVar("Q")
Guard = Callable[[ASGIConnection[Any, Any, Any, Any], BaseRouteHandler], Awaitable[None] | None]
RULE_ATTRIBUTE = "house_access_rule"
# Paths reachable without signing in: every other public handler fails the route test.
PUBLIC_PATHS = frozenset(
    {"/login", "/invite/{token:str}", "/health", "/static", "/static/{file_path:path}"}
)


def _rule(name: str) -> Callable[[Guard], Guard]:
    def mark(guard: Guard) -> Guard:
        setattr(guard, RULE_ATTRIBUTE, name)
        return guard

    return mark


def current_user(connection: ASGIConnection[Any, Any, Any, Any]) -> CurrentUser | None:
    user = connection.scope.get("user")
    return user if isinstance(user, CurrentUser) else None


def _signed_in(connection: ASGIConnection[Any, Any, Any, Any]) -> CurrentUser:
    user = current_user(connection)
    if user is None:
        raise NotAuthorizedException("Sign in to continue.")
    return user


@_rule("public")
def public(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Anyone, signed in or not (only for paths in PUBLIC_PATHS)."""


@_rule("signed_in")
def signed_in(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    _signed_in(connection)


async def deny(connection: ASGIConnection[Any, Any, Any, Any], message: str) -> None:
    """Refuse with 403, after writing the refusal to the audit log."""
    user = current_user(connection)
    await record_access(
        actor_id=user.id if user else None,
        action="access_denied",
        at=clock.now(),
        record=f"path:{connection.url.path[:110]}",
        request_id=request_id_of(connection.scope),
    )
    raise PermissionDeniedException(message)


@_rule("admin")
async def admin_only(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    if not _signed_in(connection).is_admin:
        await deny(connection, "Only an admin can do this.")


@_rule("staff")
async def staff_only(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    if not _signed_in(connection).is_staff:
        await deny(connection, "Only house staff can do this.")


def declared_rule_required(
    connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler
) -> None:
    """App-level guard: a handler without an access rule is refused (deny by default)."""
    if not handler_rules(handler):
        raise PermissionDeniedException("This page has no access rule.")


def handler_rules(handler: BaseRouteHandler) -> list[str]:
    # resolve_guards() wraps each guard and loses the mark, so read the layers directly.
    return [
        getattr(guard, RULE_ATTRIBUTE)
        for layer in handler.ownership_layers
        for guard in layer.guards or []
        if hasattr(guard, RULE_ATTRIBUTE)
    ]


def require_user(connection: ASGIConnection[Any, Any, Any, Any]) -> CurrentUser:
    """The signed-in user, for handlers behind a signed-in rule."""
    return _signed_in(connection)


def visible_house_ids(user: CurrentUser) -> frozenset[int] | None:
    """The houses a user may see: None means all (admin)."""
    return None if user.is_admin else user.house_ids


def route_problems(app: Any) -> list[str]:
    """Every route handler without an access rule, or public but not on the public list."""
    problems = []
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            if set(handler.http_methods) == {"OPTIONS"}:
                # Litestar's automatic OPTIONS handler: it carries its controller's rule,
                # and with none the app guard refuses it (tested).
                continue
            rules = handler_rules(handler)
            where = f"{sorted(getattr(handler, 'http_methods', []))} {route.path}"
            if not rules:
                problems.append(f"{where}: no access rule")
            elif "public" in rules and route.path not in PUBLIC_PATHS:
                problems.append(f"{where}: public but not in PUBLIC_PATHS")
    return problems


def scoped(query: Q, column: Any, user: CurrentUser) -> Q:
    """`query` narrowed to the houses `user` works in, by `column` (a house id column).
    An admin's query is returned as it is. The one place a house filter is written."""
    allowed = visible_house_ids(user)
    if allowed is None:
        return query
    # A person with no houses matches nothing (an empty IN is not valid SQL everywhere).
    return cast(Q, query.where(column.is_in(sorted(allowed) or [-1])))  # type: ignore[attr-defined]


def in_scope(user: CurrentUser, house_id: int) -> None:
    """404 unless `house_id` is a house the user works in (admin: any)."""
    allowed = visible_house_ids(user)
    if allowed is not None and house_id not in allowed:
        raise NotFoundException()


def found(row: T | None) -> T:
    """The row, or a 404."""
    if row is None:
        raise NotFoundException()
    return row


async def refuse(user: CurrentUser, record: str, message: str) -> NoReturn:
    """403 for a role that may see a record but not change it, written to the audit log."""
    await record_access(actor_id=user.id, action="access_denied", at=clock.now(), record=record)
    raise PermissionDeniedException(message)


_scoped = in_scope


async def get_house_for_user(user: CurrentUser, house_id: int) -> dict[str, Any]:
    """A house the user works in (admin: any), or 404."""
    _scoped(user, house_id)
    house: dict[str, Any] | None = await House.select().where(House.id == house_id).first()
    if house is None:
        raise NotFoundException()
    return house


async def get_bed_for_user(user: CurrentUser, bed_id: int) -> dict[str, Any]:
    """A bed with its room label and house, in a house the user works in, or 404."""
    bed: dict[str, Any] | None = (
        await Bed.select(
            *Bed.all_columns(),
            Bed.room.label.as_alias("room_label"),
            Bed.house.name.as_alias("house_name"),
            Bed.house.timezone.as_alias("house_timezone"),
        )
        .where(Bed.id == bed_id)
        .first()
    )
    if bed is None:
        raise NotFoundException()
    _scoped(user, bed["house"])
    return bed


async def get_stay_for_user(user: CurrentUser, stay_id: int) -> dict[str, Any]:
    """A stay in a house the user works in, with the resident's names, or 404."""
    stay: dict[str, Any] | None = (
        await Stay.select(
            *Stay.all_columns(),
            Stay.resident.preferred_name.as_alias("preferred_name"),
            Stay.resident.legal_name.as_alias("legal_name"),
        )
        .where(Stay.id == stay_id)
        .first()
    )
    if stay is None:
        raise NotFoundException()
    _scoped(user, stay["house"])
    return stay


async def get_resident_for_user(user: CurrentUser, resident_id: int) -> None:
    """404 unless the resident has a stay (any status) in a house the user works in."""
    allowed = visible_house_ids(user)
    query = Stay.exists().where(Stay.resident == resident_id)
    if allowed is not None:
        query = query.where(Stay.house.is_in(sorted(allowed) or [-1]))
    if not await query:
        raise NotFoundException()


@_rule("resident")
async def resident_only(
    connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler
) -> None:
    if _signed_in(connection).role != "resident":
        await deny(connection, "This page is for residents.")


async def get_violation_for_user(user: CurrentUser, violation_id: int) -> dict[str, Any]:
    """A violation with its details: staff of its house, or the resident it is about; a
    case manager is refused by role (403); anyone else gets a 404."""
    if user.role == "case_manager":
        raise PermissionDeniedException("Violations are seen by the house's staff.")
    violation = await violations.detail(violation_id)
    if violation is None:
        raise NotFoundException()
    if user.role == "resident":
        if violation["resident_user"] != user.id:
            raise NotFoundException()
    else:
        _scoped(user, violation["house"])
    return violation


def appeals_visible_to(user: CurrentUser) -> None:
    """Appeals go to the admins; to anyone else (the manager who recorded the violation
    first of all) an appeal does not exist: 404."""
    if not user.is_admin:
        raise NotFoundException()
