"""Who may reach what: deny by default, in one place.

Every route handler declares one access rule from this module as a guard. The app-level
guard `declared_rule_required` refuses any handler that declares none, and a test walks
every route to check the same before anything runs.

Scoping: `get_<thing>_for_user` (in each concept's access.py) returns the record or raises
NotFoundException (another house's record is a 404, never a hint that it exists);
`get_rw_<thing>_for_user` loads it with the `get_` loader, then adds the write check
(`writable`): a 403, written to the audit log as `access_denied`, unless the user is staff
of the record's house (an admin, or a manager who works there); any other role may only
read. A staff POST that changes a record it loads uses the `get_rw_` loader (the route's
`staff_only`/`admin_only` guard refuses other roles before that). A resident's own writes
(appealing their violation, logging an outside meeting, marking a chore done, signing the
rules) are resident-only routes that reach only that resident's records, without `get_rw_`.
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

# Re-exported: a concept below accounts (houses) names the signed-in user through here.
from house.accounts.sessions import CurrentUser as CurrentUser
from house.audit.services import record_access
from house.lib import clock
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


def staff_of(user: CurrentUser, house_id: int) -> bool:
    """Whether `user` is staff of `house_id`: an admin, or a manager who works there."""
    allowed = visible_house_ids(user)
    return user.is_staff and (allowed is None or house_id in allowed)


async def writable(user: CurrentUser, house_id: int, record: str) -> None:
    """The write check of every `get_rw_` loader, once its `get_` loader has found `record`
    (e.g. "bed:12") in `house_id`: refuse (403, audited) unless `user` is staff of the house.
    The one place that says which roles may change a house's records."""
    if not staff_of(user, house_id):
        await refuse(user, record, "You can see this, but not change it.")


async def write_checked(user: CurrentUser, row: dict[str, Any], kind: str) -> dict[str, Any]:
    """`row` (found by a `get_` loader; it has an "id" and a "house") once `writable` lets
    `user` change it; a refusal is audited as `kind:id`."""
    await writable(user, row["house"], f"{kind}:{row['id']}")
    return row


@_rule("resident")
async def resident_only(
    connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler
) -> None:
    if _signed_in(connection).role != "resident":
        await deny(connection, "This page is for residents.")
