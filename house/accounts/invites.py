"""Invitations: an account without a password and a one-time link to choose one.

The link's token is shown to the admin once and emailed through the outbox; the invite
table stores only its hash (the outbox clears the email's body once it is sent). A new link
for a person stops the older ones; a link works once and for a day.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from house.accounts.passwords import hash_password, password_problem
from house.accounts.services import check_houses, new_account_transaction, set_houses
from house.accounts.sessions import hash_token
from house.accounts.tables import Invite, User
from house.audit.services import record_access
from house.db import write_transaction
from house.lib.datewords import moment_words
from house.lib.emails import render_email
from house.lib.errors import DomainError, NotFound
from house.lib.text import normalise_email
from house.outbox.services import queue_email
from house.settings import get_settings

INVITE_LIFETIME = dt.timedelta(hours=24)
STAFF_ROLES = (User.Role.admin, User.Role.manager, User.Role.case_manager)


@dataclass(frozen=True)
class Invitation:
    user_id: int
    token: str
    email_id: int


async def _new_invite(user_id: int, actor_id: int, now: dt.datetime, base_url: str) -> Invitation:
    """A new link for `user_id` (older ones stop working) and its email in the outbox."""
    token = secrets.token_urlsafe(32)
    # Any older link stops working when a new one is made.
    await Invite.update({Invite.expires_at: now}).where(
        Invite.user == user_id, Invite.used_at.is_null(), Invite.expires_at > now
    )
    rows = await Invite.insert(
        Invite(
            user=user_id,
            token_hash=hash_token(token),
            created_by=actor_id,
            created_at=now,
            expires_at=now + INVITE_LIFETIME,
        )
    ).returning(Invite.id)
    people = {
        row["id"]: row
        for row in await User.select(User.id, User.name, User.email).where(
            User.id.is_in([user_id, actor_id])
        )
    }
    zone = get_settings().default_timezone
    subject, body = render_email(
        "invite",
        name=people[user_id]["name"],
        invited_by=people[actor_id]["name"],
        link=f"{base_url}/invite/{token}",
        # Read later, maybe elsewhere: a named day, and the zone it is in.
        expiry=moment_words(now + INVITE_LIFETIME, zone, now, relative=False),
        zone=zone,
    )
    email_id = await queue_email(
        key=f"invite:{rows[0]['id']}",
        to_address=people[user_id]["email"],
        subject=subject,
        body=body,
        now=now,
    )
    return Invitation(user_id=user_id, token=token, email_id=email_id)


async def invite_user(
    *,
    actor_id: int,
    email: str,
    name: str,
    role: str,
    house_ids: list[int],
    now: dt.datetime,
    base_url: str,
    request_id: str = "",
) -> Invitation:
    """Create an account without a password and a one-time link to choose one.

    The link's token is shown to the admin once and emailed through the outbox; the invite
    table stores only its hash (the outbox clears the email's body once it is sent).
    """
    houses = await check_houses(role, house_ids)
    async with new_account_transaction():
        rows = await User.insert(
            User(email=normalise_email(email), name=name, role=role, created_at=now)
        ).returning(User.id)
        user_id = int(rows[0]["id"])
        await set_houses(user_id, houses, now)
        invitation = await _new_invite(user_id, actor_id, now, base_url)
        await record_access(
            actor_id=actor_id,
            action="user_invited",
            at=now,
            subject_id=user_id,
            record=f"user:{user_id}",
            request_id=request_id,
            detail=f"role={role}",
        )
    return invitation


async def reissue_invite(
    *, actor_id: int, user_id: int, now: dt.datetime, base_url: str, request_id: str = ""
) -> Invitation:
    async with write_transaction():
        user = await User.select(User.id, User.password_hash).where(User.id == user_id).first()
        if user is None:
            raise NotFound()
        if user["password_hash"]:
            raise DomainError("This person has already chosen a password.")
        invitation = await _new_invite(user_id, actor_id, now, base_url)
        await record_access(
            actor_id=actor_id,
            action="invite_reissued",
            at=now,
            subject_id=user_id,
            record=f"user:{user_id}",
            request_id=request_id,
        )
    return invitation


async def find_invite(token: str, now: dt.datetime) -> dict[str, Any] | None:
    """The open invite for a link token with its user's name, email and role, or None."""
    if not token or len(token) > 100:
        return None
    row: dict[str, Any] | None = (
        await Invite.select(
            Invite.id,
            Invite.user.id.as_alias("user_id"),
            Invite.user.name.as_alias("name"),
            Invite.user.email.as_alias("email"),
            Invite.user.role.as_alias("role"),
        )
        .where(
            Invite.token_hash == hash_token(token),
            Invite.used_at.is_null(),
            Invite.expires_at > now,
            Invite.user.is_active.eq(True),  # type: ignore[union-attr]
        )
        .first()
    )
    return row


async def accept_invite(token: str, password: str, now: dt.datetime, request_id: str = "") -> int:
    """Set the password of an invited user; the link works once. Returns the user id."""
    invite = await find_invite(token, now)
    if invite is None:
        raise DomainError("This link has expired or was already used. Ask for a new one.")
    problem = password_problem(password, staff=invite["role"] in STAFF_ROLES)
    if problem:
        raise DomainError(problem, field="password")
    password_hash = hash_password(password)
    async with write_transaction():
        claimed = (
            await Invite.update({Invite.used_at: now})
            .where(Invite.id == invite["id"], Invite.used_at.is_null())
            .returning(Invite.id)
        )
        if not claimed:
            raise DomainError("This link has expired or was already used. Ask for a new one.")
        await User.update({User.password_hash: password_hash}).where(User.id == invite["user_id"])
        await record_access(
            actor_id=invite["user_id"],
            action="invite_accepted",
            at=now,
            subject_id=invite["user_id"],
            record=f"user:{invite['user_id']}",
            request_id=request_id,
        )
    return int(invite["user_id"])
