"""Delivering alerts (the people's side): who gets each alert on which channel, sending
emails with retries, digests, escalation.

1. `plan` writes one Delivery per person and channel (unique; a repeat writes nothing) in
   the caller's transaction: the inbox row is the inbox (sent when written); the email row
   follows the person's preference (pending, held for the digest or quiet hours, or off).
2. `send_alert_email` claims an email row with a conditional UPDATE (due, not claimed in
   the last CLAIM_TIMEOUT); zero rows means another worker has it or it is done. Right
   before the message is handed over (the last line of SMTP DATA) the row becomes
   "sending", under the same claim; "sent" once the server says so. A worker killed before
   the hand-over leaves a stale claim, taken over later: the server kept nothing. Killed
   after it, the row stays "sending", never retried (the email may have arrived): at most
   once, and the System page counts these "unconfirmed" rows.
3. A temporary failure releases the claim with a backoff (1, 5, 15 minutes); after
   MAX_TRIES, or a permanent refusal, the row is failed with the error (shown to admins).
4. `due_email_deliveries` lists what the every-minute cron (re)enqueues, so a Redis outage
   or a killed worker only delays an email.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterable
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from house.accounts.tables import HouseMembership, User
from house.alerts.tables import Alert, AlertPreference, AlertProfile, Delivery
from house.db import write_transaction
from house.outbox import services as outbox
from house.outbox.tables import OutboxEmail
from house.residents.tables import Resident
from house.settings import ROOT, Settings

CLAIM_TIMEOUT = dt.timedelta(minutes=5)
MAX_TRIES = 3
BACKOFF = (dt.timedelta(minutes=1), dt.timedelta(minutes=5), dt.timedelta(minutes=15))
AUDIENCES = ("managers", "admins", "resident")
HANDLED = "acknowledged or resolved in the app before it was sent"

Mode = AlertPreference.Mode
Status = Delivery.Status
Channel = Delivery.Channel


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


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
    local = now.astimezone(zone(tz))
    t = local.time().replace(tzinfo=None)
    if start < end:
        quiet = start <= t < end
        end_day = local.date()
    else:
        quiet = t >= start or t < end
        end_day = local.date() if t < end else local.date() + dt.timedelta(days=1)
    if not quiet:
        return None
    return dt.datetime.combine(end_day, end, tzinfo=zone(tz)).astimezone(dt.UTC)


async def _audience(alert: dict[str, Any], to: Iterable[str]) -> dict[int, tuple[str, bool]]:
    """{user id: (role, joined)} of the active people the audiences name; `joined` is
    False for someone invited who has not chosen a password yet (no email until then: the
    address may be a typo)."""
    people: dict[int, tuple[str, bool]] = {}
    wanted = set(to)
    if unknown := wanted - set(AUDIENCES):
        raise ValueError(f"unknown audiences: {sorted(unknown)}")
    if "managers" in wanted:
        rows = await HouseMembership.select(
            HouseMembership.user, HouseMembership.user.password_hash.as_alias("password")
        ).where(
            HouseMembership.house == alert["house"],
            HouseMembership.user.role == User.Role.manager,
            HouseMembership.user._.is_active.eq(True),
        )
        people.update({int(r["user"]): (User.Role.manager, bool(r["password"])) for r in rows})
    if "admins" in wanted:
        rows = await User.select(User.id, User.password_hash.as_alias("password")).where(
            User.role == User.Role.admin, User.is_active.eq(True)
        )
        people.update({int(r["id"]): (User.Role.admin, bool(r["password"])) for r in rows})
    if "resident" in wanted and alert["resident"] is not None:
        rows = await Resident.select(
            Resident.user, Resident.user.password_hash.as_alias("password")
        ).where(
            Resident.id == alert["resident"],
            Resident.user.is_not_null(),
            Resident.user._.is_active.eq(True),
        )
        people.update({int(r["user"]): (User.Role.resident, bool(r["password"])) for r in rows})
    return people


async def plan(alert_id: int, to: Iterable[str], now: dt.datetime) -> list[int]:
    """Write the deliveries of an alert for the audiences `to` (inside the caller's
    transaction, if any). Returns the ids of email rows to send now (pending)."""
    async with write_transaction():
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
        people = await _audience(alert, to)
        if not people:
            return []
        ids = list(people)
        modes = {
            int(r["user"]): r["mode"]
            for r in await AlertPreference.select(AlertPreference.user, AlertPreference.mode).where(
                AlertPreference.user.is_in(ids), AlertPreference.kind == alert["kind"]
            )
        }
        profiles = {
            int(r["user"]): r
            for r in await AlertProfile.select(
                AlertProfile.user,
                AlertProfile.quiet_from,
                AlertProfile.quiet_to,
                AlertProfile.timezone,
            ).where(AlertProfile.user.is_in(ids))
        }
        critical = alert["severity"] == Alert.Severity.critical
        rows: list[Delivery] = []
        for user_id, (role, joined) in people.items():
            mode = modes.get(user_id, Mode.immediate)
            if mode == Mode.off and critical and role == User.Role.manager:
                mode = Mode.immediate  # critical kinds cannot be off for managers
            email = Delivery(alert=alert_id, user=user_id, channel=Channel.email, created_at=now)
            if mode == Mode.off:
                email.status = Status.off
                rows.append(email)
                continue
            rows.append(
                Delivery(
                    alert=alert_id,
                    user=user_id,
                    channel=Channel.inbox,
                    status=Status.sent,
                    sent_at=now,
                    created_at=now,
                )
            )
            if not joined:
                continue  # the inbox only, until they accept their invite
            profile = profiles.get(user_id)
            until = (
                quiet_until(
                    now,
                    profile["quiet_from"],
                    profile["quiet_to"],
                    profile["timezone"] or alert["timezone"],
                )
                if profile
                else None
            )
            if mode == Mode.digest:
                email.status = Status.held  # no next_attempt_at: the digest takes it
            elif until is not None:
                email.status = Status.held
                email.next_attempt_at = until
            else:
                email.status = Status.pending
            rows.append(email)
        await Delivery.insert(*rows).on_conflict(action="DO NOTHING")
        pending = await Delivery.select(Delivery.id).where(
            Delivery.alert == alert_id,
            Delivery.user.is_in(ids),
            Delivery.channel == Channel.email,
            Delivery.status == Status.pending,
        )
    return [int(r["id"]) for r in pending]


def _due(now: dt.datetime) -> Any:
    return (
        (Delivery.channel == Channel.email)
        & (
            (
                (Delivery.status == Status.pending)
                & (Delivery.next_attempt_at.is_null() | (Delivery.next_attempt_at <= now))
            )
            | ((Delivery.status == Status.held) & (Delivery.next_attempt_at <= now))
        )
        & (Delivery.claimed_at.is_null() | (Delivery.claimed_at < now - CLAIM_TIMEOUT))
    )


async def due_email_deliveries(now: dt.datetime, limit: int = 1000) -> list[int]:
    """Email rows to send now: pending (and due), or held for quiet hours that have ended
    (digest-held rows have no next_attempt_at), not claimed by a live worker."""
    rows = await Delivery.select(Delivery.id).where(_due(now)).order_by(Delivery.id).limit(limit)
    return [int(r["id"]) for r in rows]


async def claim(delivery_id: int, now: dt.datetime) -> dict[str, Any] | None:
    async with write_transaction():
        rows = (
            await Delivery.update(
                {Delivery.claimed_at: now, Delivery.attempts: Delivery.attempts + 1}
            )
            .where((Delivery.id == delivery_id) & _due(now))
            .returning(Delivery.id, Delivery.alert, Delivery.user, Delivery.attempts)
        )
    return rows[0] if rows else None


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(ROOT / "templates" / "emails"),
        undefined=StrictUndefined,
        autoescape=select_autoescape(["html"]),
        keep_trailing_newline=True,
    )


def render(template: str, **context: Any) -> tuple[str, str]:
    """(text, html) of templates/emails/<template>.txt and .html."""
    env = _environment()
    return (
        env.get_template(f"{template}.txt").render(**context),
        env.get_template(f"{template}.html").render(**context),
    )


def house_label(name: str) -> str:
    """ "House Elm" for Elm; a name that says house already stays as it is ("Maple House")."""
    return name if "house" in name.lower().split() else f"House {name}"


def alert_subject(label: str, count: int) -> str:
    """No clinical detail and no name: the detail is behind login. `label` is a
    house_label, or "3 houses"."""
    items = "1 item needs" if count == 1 else f"{count} items need"
    return f"{label}: {items} attention"


async def send_alert_email(delivery_id: int, settings: Settings, now: dt.datetime) -> str:
    """Claim and send one alert email. Returns what happened ("sent", "retry", "failed",
    "not due")."""
    row = await claim(delivery_id, now)
    if row is None:
        return "not due"
    info = (
        await Delivery.select(
            Delivery.user.email.as_alias("to"),
            Delivery.alert._.house._.name.as_alias("house"),
            Delivery.alert.acknowledged_at.as_alias("handled_at"),
        )
        .where(Delivery.id == delivery_id)
        .first()
    )
    assert info is not None  # noqa: S101 - just claimed
    if info["handled_at"] is not None:  # held for quiet hours, and handled meanwhile
        await _finish(delivery_id, {Delivery.status: Status.off, Delivery.last_error: HANDLED})
        return "handled"
    label = house_label(info["house"])
    subject = alert_subject(label, 1)
    text, html = render("alert", house=label, count=1, link=f"{settings.base_url}/inbox")
    email = {
        "to_address": info["to"],
        "subject": subject,
        "body": text,
        "html": html,
        "headers": {"X-House-Delivery": str(delivery_id)},
    }

    async def mark_sending() -> bool:
        async with write_transaction():
            rows = (
                await Delivery.update({Delivery.status: Status.sending})
                .where(
                    Delivery.id == delivery_id,
                    Delivery.status.is_in([Status.pending, Status.held]),
                    Delivery.claimed_at == now,
                    Delivery.attempts == row["attempts"],
                )
                .returning(Delivery.id)
            )
        return bool(rows)

    try:
        await asyncio.to_thread(outbox.deliver, settings, email, outbox.handover_hook(mark_sending))
    except outbox.ClaimLost:
        return "not due"
    except outbox.Unconfirmed as exc:
        await _finish(delivery_id, {Delivery.last_error: str(exc)[:200]})
        return "unconfirmed"
    except outbox.PermanentFailure as exc:
        await _finish(
            delivery_id, {Delivery.status: Status.failed, Delivery.last_error: str(exc)[:200]}
        )
        return "failed"
    except outbox.TemporaryFailure as exc:
        tries = int(row["attempts"])
        values: dict[Any, Any] = {Delivery.claimed_at: None, Delivery.last_error: str(exc)[:200]}
        if tries >= MAX_TRIES:
            values[Delivery.status] = Status.failed
            await _finish(delivery_id, values)
            return "failed"
        values[Delivery.status] = Status.pending
        values[Delivery.next_attempt_at] = now + BACKOFF[tries - 1]
        await _finish(delivery_id, values)
        return "retry"
    await _finish(
        delivery_id, {Delivery.status: Status.sent, Delivery.sent_at: now, Delivery.last_error: ""}
    )
    return "sent"


async def _finish(delivery_id: int, values: dict[Any, Any]) -> None:
    await _finish_many([delivery_id], values)


async def _finish_many(delivery_ids: list[int], values: dict[Any, Any]) -> None:
    async with write_transaction():
        await Delivery.update(values).where(Delivery.id.is_in(delivery_ids))


async def failed_count() -> int:
    """Email deliveries that gave up (the System page shows the number to admins)."""
    return int(
        await Delivery.count().where(
            Delivery.channel == Channel.email, Delivery.status == Status.failed
        )
    )


async def unconfirmed_count(now: dt.datetime) -> int:
    """Email deliveries handed to the mail server with no answer (a worker stopped at that
    moment, or the connection dropped): they may have arrived, so they are not sent again.
    Rows being handed over right now (claimed within CLAIM_TIMEOUT) are not counted."""
    return int(
        await Delivery.count().where(
            Delivery.channel == Channel.email,
            Delivery.status == Status.sending,
            (Delivery.claimed_at < now - CLAIM_TIMEOUT) | (Delivery.last_error != ""),
        )
    )


async def queue_digests(now: dt.datetime) -> int:
    """Each person with digest-held email rows whose local hour (their profile's timezone,
    else their first house's, else the alert's house's) has reached their digest hour and
    who has had no digest today gets one OutboxEmail (key digest:{user}:{date}); the rows
    are marked sent. Returns the number of digests queued."""
    rows = await Delivery.select(
        Delivery.id,
        Delivery.user,
        Delivery.user.email.as_alias("to"),
        Delivery.alert._.house._.name.as_alias("house"),
        Delivery.alert._.house._.timezone.as_alias("house_tz"),
        Delivery.alert.acknowledged_at.as_alias("handled_at"),
    ).where(
        Delivery.channel == Channel.email,
        Delivery.status == Status.held,
        Delivery.next_attempt_at.is_null(),
    )
    if not rows:
        return 0
    users = sorted({int(r["user"]) for r in rows})
    profiles = {
        int(p["user"]): p
        for p in await AlertProfile.select(
            AlertProfile.user,
            AlertProfile.digest_hour,
            AlertProfile.timezone,
            AlertProfile.digest_sent_on,
        ).where(AlertProfile.user.is_in(users))
    }
    first_house: dict[int, str] = {}
    for m in (
        await HouseMembership.select(
            HouseMembership.user, HouseMembership.house.timezone.as_alias("tz")
        )
        .where(HouseMembership.user.is_in(users))
        .order_by(HouseMembership.id)
    ):
        first_house.setdefault(int(m["user"]), m["tz"])
    by_user: dict[int, list[dict[str, Any]]] = {}
    for r in rows:
        by_user.setdefault(int(r["user"]), []).append(r)
    settings_link = _base_url()
    queued = 0
    for user_id, items in by_user.items():
        profile = profiles.get(user_id)
        tz = (
            (profile["timezone"] if profile else "")
            or first_house.get(user_id)
            or items[0]["house_tz"]
        )
        local = now.astimezone(zone(tz))
        hour = int(profile["digest_hour"]) if profile else 7
        sent_on = profile["digest_sent_on"] if profile else None
        if local.hour < hour or (sent_on is not None and sent_on >= local.date()):
            continue
        handled = [int(i["id"]) for i in items if i["handled_at"] is not None]
        if handled:  # acknowledged or resolved in the app meanwhile: not news any more
            await _finish_many(handled, {Delivery.status: Status.off, Delivery.last_error: HANDLED})
        items = [i for i in items if i["handled_at"] is None]
        if not items:
            continue
        houses = sorted({i["house"] for i in items})
        name = house_label(houses[0]) if len(houses) == 1 else f"{len(houses)} houses"
        text, html = render("alert_digest", house=name, count=len(items), link=settings_link)
        async with write_transaction():
            await OutboxEmail.insert(
                OutboxEmail(
                    key=f"digest:{user_id}:{local.date().isoformat()}",
                    to_address=items[0]["to"],
                    subject=alert_subject(name, len(items)),
                    body=text,
                    html=html,
                    created_at=now,
                )
            ).on_conflict(action="DO NOTHING")
            await Delivery.update({Delivery.status: Status.sent, Delivery.sent_at: now}).where(
                Delivery.id.is_in([int(i["id"]) for i in items]),
                Delivery.status == Status.held,
            )
            if profile:
                await AlertProfile.update({AlertProfile.digest_sent_on: local.date()}).where(
                    AlertProfile.user == user_id
                )
            else:
                await AlertProfile.insert(
                    AlertProfile(user=user_id, digest_sent_on=local.date())
                ).on_conflict(action="DO NOTHING")
        queued += 1
    return queued


def _base_url() -> str:
    from house.settings import get_settings

    return f"{get_settings().base_url}/inbox"


async def escalate(now: dt.datetime) -> list[int]:
    """Critical alerts neither acknowledged nor resolved within their house's
    alert_escalate_minutes go to the admins as well, once (a conditional UPDATE of
    escalated_at guards against a second escalation). Returns pending email row ids."""
    rows = await Alert.select(
        Alert.id, Alert.created_at, Alert.house.alert_escalate_minutes.as_alias("minutes")
    ).where(
        Alert.severity == Alert.Severity.critical,
        Alert.acknowledged_at.is_null(),
        Alert.resolved_at.is_null(),
        Alert.escalated_at.is_null(),
    )
    pending: list[int] = []
    for row in rows:
        if row["created_at"] + dt.timedelta(minutes=int(row["minutes"])) > now:
            continue
        async with write_transaction():
            won = (
                await Alert.update({Alert.escalated_at: now})
                .where(
                    Alert.id == row["id"],
                    Alert.escalated_at.is_null(),
                    Alert.acknowledged_at.is_null(),
                )
                .returning(Alert.id)
            )
            if won:
                pending += await plan(int(row["id"]), ("admins",), now)
    return pending
