"""Sessions in the database: loading, saving, rotating and ending them.

The cookie carries a random token; the `session` table stores only its SHA-256, so a copy
of the database cannot be replayed as cookies. Sessions outlive a Redis outage and are
shared by every web process.

Rules kept here, on the server:
1. Idle timeout 30 minutes (SESSION_IDLE_SECONDS), absolute timeout 12 hours from sign-in.
   A background poll (the bell's count, the idle warning asking how long is left) reads
   the session without touching it: only what a person does keeps them signed in.
2. Sign-in deletes the old session and issues a new token (no fixation).
3. Sign-out and disabling an account delete the rows, so the cookie is anonymous at once.

The web side (the cookie and the middleware) is in house/web/sessions.py.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from dataclasses import dataclass, field
from typing import Any

from house.accounts.tables import HouseMembership, Session, User
from house.db import write_transaction
from house.settings import get_settings

ABSOLUTE_TIMEOUT = dt.timedelta(hours=12)


def idle_timeout() -> dt.timedelta:
    return dt.timedelta(seconds=get_settings().session_idle_seconds)


def touch_every() -> dt.timedelta:
    """last_seen_at is written at most this often (a minute of the 30), so reading a page
    is not a write each time."""
    return idle_timeout() / 30


@dataclass(frozen=True)
class CurrentUser:
    id: int
    email: str
    name: str
    role: str
    house_ids: frozenset[int]
    unread: int = 0  # unread inbox rows when the request began (the bell)

    @property
    def is_admin(self) -> bool:
        return self.role == User.Role.admin

    @property
    def is_manager(self) -> bool:
        return self.role == User.Role.manager

    @property
    def is_staff(self) -> bool:
        return self.role in (User.Role.admin, User.Role.manager)


@dataclass
class WebSession:
    """The session of one request; changes are saved when the response starts."""

    key_hash: str | None = None
    user: CurrentUser | None = None
    data: dict[str, Any] = field(default_factory=dict)
    dirty: bool = False
    new_token: str | None = None
    start_for_user: int | None = None
    end: bool = False
    # When this session ends if nothing more happens (idle or absolute limit, the sooner).
    ends_at: dt.datetime | None = None
    # The person whose session this request found past its limit (and ended).
    timed_out_user: int | None = None

    def flash(self, message: str, kind: str = "info") -> None:
        self.data.setdefault("flash", []).append({"kind": kind, "message": message})
        self.dirty = True

    def pop_flashes(self) -> list[dict[str, str]]:
        flashes: list[dict[str, str]] = self.data.pop("flash", [])
        if flashes:
            self.dirty = True
        return flashes

    def sign_in(self, user_id: int) -> None:
        """Replace this session with a new one for `user_id` (new token, old row deleted)."""
        self.start_for_user = user_id
        self.user = None
        self.end = False

    def sign_out(self) -> None:
        self.end = True
        self.user = None
        self.data = {}


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def load_session(token: str | None, now: dt.datetime, *, touch: bool = True) -> WebSession:
    """The session for a cookie token; expired or unknown tokens give an empty session
    (naming, in `timed_out_user`, whose session reached its limit). `touch=False` reads it
    without counting the request as activity."""
    if not token or len(token) > 100:
        return WebSession()
    key_hash = hash_token(token)
    row = (
        await Session.select(
            Session.id,
            Session.data,
            Session.created_at,
            Session.authenticated_at,
            Session.last_seen_at,
            Session.user.id.as_alias("user_id"),
            Session.user.email.as_alias("email"),
            Session.user.name.as_alias("name"),
            Session.user.role.as_alias("role"),
            Session.user.is_active.as_alias("is_active"),
        )
        .where(Session.key_hash == key_hash)
        .first()
    )
    if row is None:
        return WebSession()
    started = row["authenticated_at"] or row["created_at"]
    last_seen = row["last_seen_at"]
    expired = now - last_seen > idle_timeout() or now - started > ABSOLUTE_TIMEOUT
    if expired or (row["user_id"] is not None and not row["is_active"]):
        async with write_transaction():
            await Session.delete().where(Session.id == row["id"])
        return WebSession(timed_out_user=row["user_id"] if row["is_active"] else None)
    if touch and now - last_seen > touch_every():
        last_seen = now
        async with write_transaction():
            await Session.update({Session.last_seen_at: now}).where(Session.id == row["id"])
    user = None
    if row["user_id"] is not None:
        house_ids, unread = await _houses_and_unread(row["user_id"])
        user = CurrentUser(
            id=row["user_id"],
            email=row["email"],
            name=row["name"],
            role=row["role"],
            # Only managers and residents belong to houses (admins see every house).
            house_ids=house_ids
            if row["role"] in (User.Role.manager, User.Role.resident)
            else frozenset(),
            unread=unread,
        )
    return WebSession(
        key_hash=key_hash,
        user=user,
        data=json.loads(row["data"] or "{}"),
        ends_at=min(last_seen + idle_timeout(), started + ABSOLUTE_TIMEOUT),
    )


_unread_sql: list[str] = []


def count_unread_with(sql: str) -> None:
    """The bell's count as SQL rows (unread, house NULL) with one `{}` for the user id,
    written by the alert engine (above this layer) and handed over by house.registry."""
    _unread_sql[:] = [sql]


async def _houses_and_unread(user_id: int) -> tuple[frozenset[int], int]:
    """The person's houses and unread inbox count (the bell in the top bar), in one query
    so that every page can show the count before any script runs."""
    membership = HouseMembership._meta.tablename
    sql = f'SELECT 0 AS unread, house FROM {membership} WHERE "user" = {{}}'  # noqa: S608
    args = [user_id]
    if _unread_sql:
        sql, args = f"{sql} UNION ALL {_unread_sql[0]}", [user_id, user_id]
    rows = await HouseMembership.raw(sql, *args)
    houses = frozenset(int(r["house"]) for r in rows if r["house"] is not None)
    return houses, sum(int(r["unread"]) for r in rows)


async def save_session(session: WebSession, now: dt.datetime) -> tuple[str | None, bool]:
    """Write the session's changes. Returns (token to set in a cookie, clear the cookie)."""
    if session.end:
        if session.key_hash:
            async with write_transaction():
                await Session.delete().where(Session.key_hash == session.key_hash)
        return None, True
    if session.start_for_user is not None or (session.dirty and session.key_hash is None):
        token = secrets.token_urlsafe(32)
        async with write_transaction():
            if session.key_hash:
                await Session.delete().where(Session.key_hash == session.key_hash)
            await Session.insert(
                Session(
                    key_hash=hash_token(token),
                    user=session.start_for_user,
                    data=json.dumps(session.data),
                    created_at=now,
                    authenticated_at=now if session.start_for_user is not None else None,
                    last_seen_at=now,
                )
            )
        return token, False
    if session.dirty and session.key_hash:
        async with write_transaction():
            await Session.update({Session.data: json.dumps(session.data)}).where(
                Session.key_hash == session.key_hash
            )
    return None, False


async def end_sessions_of(user_id: int) -> None:
    """Sign a user out everywhere (account disabled, password changed)."""
    async with write_transaction():
        await Session.delete().where(Session.user == user_id)
