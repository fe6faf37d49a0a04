"""Planning an alert's deliveries: who gets it, on which channel, and when.

`plan` writes one Delivery per person and channel (unique; a repeat writes nothing) in the
caller's transaction: the inbox row is the inbox (sent when written); the email row follows
the person's preference: queued in the outbox (to send now, house.alerts.deliveries), held
for the digest or for the end of their quiet hours, or off.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from house.accounts import alerts as accounts
from house.accounts.alerts import People, Role
from house.alerts import deliveries
from house.alerts.tables import Alert, AlertPreference, AlertProfile, Delivery
from house.db import write_transaction
from house.lib.dates import at_local, local
from house.residents import alerts as residents

AUDIENCES = ("managers", "admins", "resident")

Mode = AlertPreference.Mode
Status = Delivery.Status
Channel = Delivery.Channel


def _hhmm(raw: str) -> dt.time | None:
    try:
        return dt.time.fromisoformat(raw) if len(raw) == 5 else None
    except ValueError:
        return None


def quiet_until(now: dt.datetime, quiet_from: str, quiet_to: str, tz: str) -> dt.datetime | None:
    """The end of the quiet hours `now` falls in (UTC), or None if it is not quiet now.
    "22:00"-"07:00" spans midnight."""
    start, end = _hhmm(quiet_from), _hhmm(quiet_to)
    if start is None or end is None or start == end:
        return None
    wall = local(now, tz)
    t = wall.time().replace(tzinfo=None)
    if start < end:
        quiet = start <= t < end
        end_day = wall.date()
    else:
        quiet = t >= start or t < end
        end_day = wall.date() if t < end else wall.date() + dt.timedelta(days=1)
    if not quiet:
        return None
    return at_local(end_day, end, tz)


async def audience(alert: dict[str, Any], to: Iterable[str]) -> People:
    """{user id: (role, joined)} of the active people the audiences name (see People)."""
    people: People = {}
    wanted = set(to)
    if unknown := wanted - set(AUDIENCES):
        raise ValueError(f"unknown audiences: {sorted(unknown)}")
    if "managers" in wanted:
        people.update(await accounts.managers_of(alert["house"]))
    if "admins" in wanted:
        people.update(await accounts.admins())
    if "resident" in wanted and alert["resident"] is not None:
        joined = await residents.user_of(alert["resident"])
        people.update({user: (Role.resident, j) for user, j in joined.items()})
    return people


async def _choices(kind: str, ids: list[int]) -> tuple[dict[int, str], dict[int, Any]]:
    """({user: mode} for this kind, {user: profile row}) of the people `ids`. Two queries."""
    modes = {
        int(r["user"]): r["mode"]
        for r in await AlertPreference.select(AlertPreference.user, AlertPreference.mode).where(
            AlertPreference.user.is_in(ids), AlertPreference.kind == kind
        )
    }
    profiles = {
        int(r["user"]): r
        for r in await AlertProfile.select(
            AlertProfile.user, AlertProfile.quiet_from, AlertProfile.quiet_to, AlertProfile.timezone
        ).where(AlertProfile.user.is_in(ids))
    }
    return modes, profiles


def _email_status(
    mode: str, profile: dict[str, Any] | None, alert: dict[str, Any], now: dt.datetime
) -> tuple[str, dt.datetime | None]:
    """(status, held_until) of the email row of someone who did not turn it off."""
    if mode == Mode.digest:
        return Status.held, None  # no held_until: the digest takes it
    if profile is not None:
        zone = profile["timezone"] or alert["timezone"]
        until = quiet_until(now, profile["quiet_from"], profile["quiet_to"], zone)
        if until is not None:
            return Status.held, until
    return Status.queued, None


def _rows_for(
    alert: dict[str, Any],
    people: dict[int, tuple[str, bool]],
    choices: tuple[dict[int, str], dict[int, Any]],
    now: dt.datetime,
) -> list[Delivery]:
    """The inbox and email rows of each person (see the module's docstring)."""
    modes, profiles = choices
    critical = alert["severity"] == Alert.Severity.critical
    rows: list[Delivery] = []
    for user_id, (role, joined) in people.items():
        mode = modes.get(user_id, Mode.immediate)
        if mode == Mode.off and critical and role == Role.manager:
            mode = Mode.immediate  # critical kinds cannot be off for managers
        email = Delivery(alert=alert["id"], user=user_id, channel=Channel.email, created_at=now)
        if mode == Mode.off:
            email.status = Status.off
            rows.append(email)
            continue
        rows.append(
            Delivery(
                alert=alert["id"],
                user=user_id,
                channel=Channel.inbox,
                status=Status.sent,
                sent_at=now,
                created_at=now,
            )
        )
        if not joined:
            continue  # the inbox only, until they accept their invite
        email.status, email.held_until = _email_status(mode, profiles.get(user_id), alert, now)
        rows.append(email)
    return rows


async def _alert(alert_id: int) -> dict[str, Any]:
    alert = (
        await Alert.select(
            Alert.id,
            Alert.kind,
            Alert.severity,
            Alert.house,
            Alert.resident,
            Alert.house.timezone.as_alias("timezone"),
        )
        .where(Alert.id == alert_id)
        .first()
    )
    if alert is None:
        raise LookupError(f"no alert {alert_id}")
    return alert


async def plan(alert_id: int, to: Iterable[str], now: dt.datetime) -> list[int]:
    """Write the deliveries of an alert for the audiences `to` (inside the caller's
    transaction, if any), and the outbox emails of those that go out now. Returns the
    outbox ids to send."""
    async with write_transaction():
        alert = await _alert(alert_id)
        people = await audience(alert, to)
        if not people:
            return []
        rows = _rows_for(alert, people, await _choices(alert["kind"], list(people)), now)
        written = (
            await Delivery.insert(*rows)
            .on_conflict(action="DO NOTHING")
            .returning(Delivery.id, Delivery.channel, Delivery.status)
        )
        now_ids = [
            int(r["id"])
            for r in written
            if r["channel"] == Channel.email and r["status"] == Status.queued
        ]
        return await deliveries.to_outbox(now_ids, now)
