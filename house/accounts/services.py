"""Accounts: sign-in (throttled: throttle.py), roles and houses, disabling (invites:
invites.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from house.accounts import throttle
from house.accounts.devices import KnownDevice
from house.accounts.passwords import hash_password, password_problem, verify_password
from house.accounts.sessions import end_sessions_of
from house.accounts.tables import HouseMembership, User
from house.audit.services import record_access
from house.db import refuse_duplicates, write_transaction
from house.events.services import emit
from house.houses.tables import House
from house.lib.datewords import when_words
from house.lib.errors import DomainError, NotFound, StaleEdit
from house.lib.text import normalise_email

ROLES_WITH_HOUSES = (User.Role.manager, User.Role.resident)


@dataclass(frozen=True)
class SignIn:
    """The outcome of a sign-in attempt."""

    user_id: int | None = None
    retry_after: dt.timedelta | None = None

    @property
    def throttled(self) -> bool:
        return self.retry_after is not None


async def sign_in(
    email: str,
    password: str,
    now: dt.datetime,
    request_id: str,
    *,
    address: str | None = None,
    device: KnownDevice | None = None,
) -> SignIn:
    """Check a password, keeping the throttle (throttle.py) and the audit log.

    1. A throttled attempt is refused (and audited) before its password is looked at;
       otherwise a failure is stored before the check (throttle.admit), so simultaneous
       guesses each count.
    2. The password is verified (against a dummy hash when the account is unknown).
    3. A failure stays stored and is audited; a success clears the account's failures,
       upgrades the hash if argon2's parameters changed, and is audited.
    """
    key, where = throttle.account_key(email), throttle.address_key(address)
    user = (
        await User.select(User.id, User.password_hash)
        .where(User.email == normalise_email(email), User.is_active.eq(True))
        .first()
    )
    subject = user["id"] if user else None
    wait = await throttle.admit(key, where, device, subject, now)
    if wait is not None:
        await record_access(
            actor_id=None,
            action="login_throttled",
            at=now,
            subject_id=subject,
            request_id=request_id,
        )
        return SignIn(retry_after=wait)
    stored = user["password_hash"] if user and user["password_hash"] else None
    ok, new_hash = await verify_password(stored, password)
    if not ok or user is None:
        await record_access(
            actor_id=None, action="login_failed", at=now, subject_id=subject, request_id=request_id
        )
        return SignIn()
    async with write_transaction():
        values: dict[Any, Any] = {User.last_login_at: now}
        if new_hash:
            values[User.password_hash] = new_hash
        await User.update(values).where(User.id == user["id"])
        await throttle.clear_failures(key)
        await record_access(
            actor_id=user["id"],
            action="login",
            at=now,
            subject_id=user["id"],
            request_id=request_id,
        )
    return SignIn(user_id=user["id"])


async def check_houses(role: str, house_ids: list[int]) -> list[int]:
    if role not in ROLES_WITH_HOUSES:
        return []
    if not house_ids:
        raise DomainError("Choose at least one house.", field="houses")
    if role == User.Role.resident and len(house_ids) > 1:
        raise DomainError("A resident lives in one house.", field="houses")
    found = await House.select(House.id).where(House.id.is_in(house_ids))
    if len(found) != len(set(house_ids)):
        raise DomainError("Choose houses from the list.", field="houses")
    return sorted(set(house_ids))


@asynccontextmanager
async def new_account_transaction() -> AsyncIterator[None]:
    """A write transaction in which a taken email becomes a message by the email field."""
    with refuse_duplicates("Someone already has an account with this email.", "email"):
        async with write_transaction():
            yield


async def set_houses(user_id: int, house_ids: list[int], now: dt.datetime) -> None:
    await HouseMembership.delete().where(HouseMembership.user == user_id)
    for house_id in house_ids:
        await HouseMembership.insert(HouseMembership(user=user_id, house=house_id, created_at=now))


async def update_user(
    *,
    actor_id: int,
    user_id: int,
    name: str,
    role: str,
    house_ids: list[int],
    version: int,
    now: dt.datetime,
    request_id: str = "",
) -> None:
    """Change a user's name, role and houses; refuse if the form's version is stale.

    A new role or a new set of houses ends the person's sessions (they sign in again and get
    what the new role or houses allow); a change of name alone keeps them signed in.
    """
    if user_id == actor_id and role != User.Role.admin:
        raise DomainError("You cannot take the admin role from yourself.", field="role")
    houses = await check_houses(role, house_ids)
    async with write_transaction():
        before = await _role_and_houses(user_id)
        changed = (
            await User.update(
                {
                    User.name: name,
                    User.role: role,
                    User.version: User.version + 1,
                    User.updated_at: now,
                    User.updated_by: actor_id,
                }
            )
            .where(User.id == user_id, User.version == version)
            .returning(User.id)
        )
        if not changed:
            await _raise_stale_or_missing(user_id)
        # A resident's account name is what they go by (house.residents.names).
        await emit("account_saved", user_id, now)
        if before != (role, houses):
            await set_houses(user_id, houses, now)
            # A changed role or house takes effect at once: the person signs in again.
            await end_sessions_of(user_id)
        await record_access(
            actor_id=actor_id,
            action="user_updated",
            at=now,
            subject_id=user_id,
            record=f"user:{user_id}",
            request_id=request_id,
            detail=f"role={role}",
        )


async def _role_and_houses(user_id: int) -> tuple[str | None, list[int]]:
    """The user's role and sorted house ids as stored (None for no such user)."""
    row = await User.select(User.role).where(User.id == user_id).first()
    memberships = await HouseMembership.select(HouseMembership.house).where(
        HouseMembership.user == user_id
    )
    return (row["role"] if row else None), sorted({m["house"] for m in memberships})


async def _raise_stale_or_missing(user_id: int) -> None:
    row = (
        await User.select(User.updated_at, User.updated_by.name.as_alias("updated_by_name"))
        .where(User.id == user_id)
        .first()
    )
    if row is None:
        raise NotFound()
    who = row["updated_by_name"] or "someone"
    when = row["updated_at"]
    raise StaleEdit(
        f"This account was changed by {who}"
        + (f" {when_words(when)}" if when else "")
        + " after you opened it. Check the new values and save again."
    )


async def set_active(
    *, actor_id: int, user_id: int, active: bool, now: dt.datetime, request_id: str = ""
) -> None:
    """Disable (sessions end at once) or re-enable an account."""
    if user_id == actor_id and not active:
        raise DomainError("You cannot disable your own account.")
    async with write_transaction():
        changed = (
            await User.update(
                {
                    User.is_active: active,
                    User.version: User.version + 1,
                    User.updated_at: now,
                    User.updated_by: actor_id,
                }
            )
            .where(User.id == user_id)
            .returning(User.id)
        )
        if not changed:
            raise NotFound()
        if not active:
            await end_sessions_of(user_id)
        await record_access(
            actor_id=actor_id,
            action="user_enabled" if active else "user_disabled",
            at=now,
            subject_id=user_id,
            record=f"user:{user_id}",
            request_id=request_id,
        )


async def create_admin(*, email: str, name: str, password: str, now: dt.datetime) -> int:
    """The first admin of a new install (from the command line)."""
    problem = password_problem(password, staff=True)
    if problem:
        raise DomainError(problem, field="password")
    async with new_account_transaction():
        rows = await User.insert(
            User(
                email=normalise_email(email),
                name=name,
                role=User.Role.admin,
                password_hash=hash_password(password),
                created_at=now,
            )
        ).returning(User.id)
        user_id = int(rows[0]["id"])
        await record_access(
            actor_id=None,
            action="admin_created",
            at=now,
            subject_id=user_id,
            record=f"user:{user_id}",
            detail="command line",
        )
    return user_id


async def users_with_houses() -> list[dict[str, Any]]:
    """Every account by name, with whether it has a password and its houses' names."""
    users = await User.select(
        User.id, User.email, User.name, User.role, User.is_active, User.password_hash
    ).order_by(User.name)
    memberships = await HouseMembership.select(
        HouseMembership.user, HouseMembership.house.name.as_alias("house_name")
    )
    houses_of: dict[int, list[str]] = {}
    for m in memberships:
        houses_of.setdefault(m["user"], []).append(m["house_name"])
    for u in users:
        u["houses"] = sorted(houses_of.get(u["id"], []))
        u["has_password"] = bool(u.pop("password_hash"))
    return users


async def name_of(user_id: int) -> str:
    """An account's name ("" for an unknown id)."""
    row = await User.select(User.name).where(User.id == user_id).first()
    return str(row["name"]) if row else ""
