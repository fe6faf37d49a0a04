"""Sign-in throttling, kept in the database (every web process sees the same failures).

Each failed password check is a LoginFailure row naming the account (a hash of the email,
so unknown addresses are throttled too), the client address (a keyed hash; IPv6 by its /64
network) and, when the browser carried a valid known-device cookie for that account, the
device. Three limits, each counting failures of the last WINDOW:

1. Per account, from unknown devices: 5 free, then a wait after the last failure that
   doubles from 30 s up to 4 hours.
2. Per address, across all accounts, for unknown devices: 20 free, then doubling waits
   from 30 s up to 1 hour.
3. Per known device of the account: the same as 1, counting only that device's failures.
   A known device is held back by nothing else: failures from elsewhere never lock it out.

A successful sign-in clears the account's failures. Nothing locks an account for good.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
from dataclasses import dataclass
from typing import Any

from piccolo.query.functions.aggregate import Count, Max

from house.accounts.devices import KnownDevice
from house.accounts.tables import LoginFailure
from house.db import is_sqlite, raw, write_transaction
from house.lib.text import normalise_email
from house.settings import get_settings

WINDOW = dt.timedelta(hours=24)
FIRST_WAIT = dt.timedelta(seconds=30)


@dataclass(frozen=True)
class Limit:
    free: int
    longest: dt.timedelta

    def wait_after(self, failures: int) -> dt.timedelta:
        """The wait after the last of `failures`: none for the free ones, then doubling."""
        if failures < self.free:
            return dt.timedelta(0)
        # The exponent is capped before it is raised, so a long run cannot overflow.
        doublings = min(failures - self.free, 20)
        return min(FIRST_WAIT * (1 << doublings), self.longest)


ACCOUNT = Limit(free=5, longest=dt.timedelta(hours=4))
ADDRESS = Limit(free=20, longest=dt.timedelta(hours=1))
DEVICE = ACCOUNT


def account_key(email: str) -> str:
    return hashlib.sha256(normalise_email(email).encode()).hexdigest()


def address_key(host: str | None) -> str:
    """A keyed hash of the client address (no raw addresses stored). An IPv6 client is
    counted by its /64, which one household or phone usually gets whole."""
    text = (host or "unknown").strip().lower()
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        pass
    else:
        if isinstance(ip, ipaddress.IPv6Address):
            text = str(ip.ipv4_mapped or ipaddress.ip_network(f"{ip}/64", strict=False))
    key = get_settings().secret_key.encode()
    return hmac.new(key, f"address|{text}".encode(), hashlib.sha256).hexdigest()


def _aware(value: Any) -> dt.datetime:
    # Aggregates over timestamps come back as text on SQLite.
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value  # type: ignore[no-any-return]


async def _wait(limit: Limit, where: Any, now: dt.datetime) -> dt.timedelta:
    row = (
        await LoginFailure.select(
            Count(LoginFailure.id, alias="n"), Max(LoginFailure.at, alias="last")
        )
        .where(where, LoginFailure.at > now - WINDOW)
        .first()
    )
    failures = int(row["n"]) if row else 0
    if not failures or row is None:
        return dt.timedelta(0)
    return _aware(row["last"]) + limit.wait_after(failures) - now


async def wait_for(
    key: str, address: str, device: KnownDevice | None, user_id: int | None, now: dt.datetime
) -> dt.timedelta | None:
    """How long this attempt must wait before its password may be checked, or None."""
    if device is not None and device.knows(user_id):
        where = (LoginFailure.account_key == key) & (LoginFailure.device == device.device_id)
        waits = [await _wait(DEVICE, where, now)]
    else:
        account = (LoginFailure.account_key == key) & (LoginFailure.device == "")
        waits = [
            await _wait(ACCOUNT, account, now),
            await _wait(ADDRESS, LoginFailure.address_key == address, now),
        ]
    wait = max(waits)
    return wait if wait > dt.timedelta(0) else None


async def admit(
    key: str, address: str, device: KnownDevice | None, user_id: int | None, now: dt.datetime
) -> dt.timedelta | None:
    """The wait for this attempt, or None after storing it as a failure (removed again by
    a success), in one write transaction with one attempt per account at a time: a burst of
    simultaneous guesses cannot all pass the check before any failure is stored. (SQLite's
    IMMEDIATE transactions already run one at a time; PostgreSQL takes an advisory lock.)"""
    async with write_transaction():
        if not is_sqlite():
            await raw("SELECT pg_advisory_xact_lock(hashtext({}))", f"login|{key}")
        wait = await wait_for(key, address, device, user_id, now)
        if wait is None:
            device_id = device.device_id if device is not None and device.knows(user_id) else ""
            await LoginFailure.insert(
                LoginFailure(account_key=key, address_key=address, device=device_id, at=now)
            )
        return wait


async def clear_failures(key: str) -> None:
    await LoginFailure.delete().where(LoginFailure.account_key == key)
