"""The daily digest and escalation.

1. `queue_digests`: each person with digest-held email rows whose local hour (their
   profile's timezone, else their first house's, else the alert's house's) has reached
   their digest hour and who has had no digest today gets one outbox email (key
   digest:{user}:{date}); the rows are marked queued. Rows handled in the app meanwhile are
   dropped (off), not sent.
2. `escalate`: critical alerts nobody acknowledged in time go to the admins as well, once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from house.accounts import alerts as accounts
from house.alerts.deliveries import alert_subject, drop_handled
from house.alerts.planning import Channel, Status, plan
from house.alerts.tables import Alert, AlertProfile, Delivery
from house.db import write_transaction
from house.lib.dates import local
from house.lib.emails import house_label, render_text_and_html
from house.outbox import services as outbox
from house.settings import get_settings

DEFAULT_DIGEST_HOUR = 7


async def _held_for_digest() -> dict[int, list[dict[str, Any]]]:
    """Digest-held email rows (no held_until), by person. One query."""
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
        Delivery.held_until.is_null(),
    )
    by_user: dict[int, list[dict[str, Any]]] = {}
    for r in rows:
        by_user.setdefault(int(r["user"]), []).append(r)
    return by_user


async def _profiles_and_zones(users: list[int]) -> tuple[dict[int, Any], dict[int, str]]:
    """({user: profile row}, {user: timezone of their first house}). Two queries."""
    profiles = {
        int(p["user"]): p
        for p in await AlertProfile.select(
            AlertProfile.user,
            AlertProfile.digest_hour,
            AlertProfile.timezone,
            AlertProfile.digest_sent_on,
        ).where(AlertProfile.user.is_in(users))
    }
    return profiles, await accounts.first_house_zones(users)


def _digest_day(now: dt.datetime, profile: dict[str, Any] | None, tz: str) -> dt.date | None:
    """The person's local date if their digest hour has come and no digest went out today."""
    wall = local(now, tz)
    hour = int(profile["digest_hour"]) if profile else DEFAULT_DIGEST_HOUR
    sent_on = profile["digest_sent_on"] if profile else None
    if wall.hour < hour or (sent_on is not None and sent_on >= wall.date()):
        return None
    return wall.date()


async def _queue_one(
    user_id: int, items: list[dict[str, Any]], day: dt.date, has_profile: bool, now: dt.datetime
) -> None:
    """One digest email and its rows marked queued, in one transaction."""
    houses = sorted({i["house"] for i in items})
    name = house_label(houses[0]) if len(houses) == 1 else f"{len(houses)} houses"
    link = f"{get_settings().base_url}/inbox"
    text, html = render_text_and_html("alert_digest", house=name, count=len(items), link=link)
    email = outbox.Email(
        f"digest:{user_id}:{day.isoformat()}",
        items[0]["to"],
        alert_subject(name, len(items)),
        text,
        html,
    )
    async with write_transaction():
        await outbox.queue_emails([email], now)
        await Delivery.update({Delivery.status: Status.queued, Delivery.sent_at: now}).where(
            Delivery.id.is_in([int(i["id"]) for i in items]),
            Delivery.status == Status.held,
        )
        if has_profile:
            await AlertProfile.update({AlertProfile.digest_sent_on: day}).where(
                AlertProfile.user == user_id
            )
        else:
            await AlertProfile.insert(AlertProfile(user=user_id, digest_sent_on=day)).on_conflict(
                action="DO NOTHING"
            )


async def queue_digests(now: dt.datetime) -> int:
    """Queue each person's digest whose hour has come (step 1 of the module). Returns the
    number of digests queued."""
    by_user = await _held_for_digest()
    if not by_user:
        return 0
    profiles, first_house = await _profiles_and_zones(sorted(by_user))
    queued = 0
    for user_id, items in by_user.items():
        profile = profiles.get(user_id)
        tz = (
            (profile["timezone"] if profile else "")
            or first_house.get(user_id)
            or items[0]["house_tz"]
        )
        day = _digest_day(now, profile, tz)
        if day is None:
            continue
        # Acknowledged or resolved in the app meanwhile: not news any more.
        await drop_handled([int(i["id"]) for i in items if i["handled_at"] is not None])
        items = [i for i in items if i["handled_at"] is None]
        if items:
            await _queue_one(user_id, items, day, profile is not None, now)
            queued += 1
    return queued


async def escalate(now: dt.datetime) -> list[int]:
    """Critical alerts neither acknowledged nor resolved within their house's
    alert_escalate_minutes go to the admins as well, once (a conditional UPDATE of
    escalated_at guards against a second escalation). Returns the outbox ids to send."""
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
