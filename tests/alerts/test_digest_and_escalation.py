"""The daily digest (one email a day per person at their hour, in their timezone, no
clinical detail) and escalation (an unacknowledged critical alert reaches the admins once,
after the house's minutes)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from house.alerts import deliveries, digest, inbox, planning
from house.alerts.tables import Alert, AlertPreference, AlertProfile, Delivery
from house.houses.tables import House
from house.lib import clock
from house.outbox import services as outbox
from house.outbox.tables import OutboxEmail
from house.settings import get_settings
from tests.alerts.delivery_helpers import deliveries_of, email_ids, make_alert
from tests.factories import make_house, make_user

# 06:00 in Chicago (CST, UTC-6).
SIX = dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.UTC)


async def test_it_sends_one_digest_a_day_at_the_persons_hour(frozen_clock: object) -> None:
    clock.freeze(SIX - dt.timedelta(hours=10))
    house = await make_house(timezone="America/Chicago")
    manager = await make_user("manager", [house])
    await AlertPreference.insert(
        AlertPreference(user=manager.id, kind="chores_missed", mode="digest")
    )
    await AlertProfile.insert(
        AlertProfile(user=manager.id, digest_hour=7, timezone="America/Chicago")
    )
    alerts = [await make_alert(house) for _ in range(2)]
    for alert in alerts:
        await planning.plan(alert, ("managers",), clock.now())
    statuses = [(await deliveries_of(a))[(manager.id, "email")]["status"] for a in alerts]
    assert statuses == ["held", "held"]

    # (Other tests' people may have digests waiting in this shared database too: count
    # only this manager's emails.)
    mine = OutboxEmail.count().where(OutboxEmail.key.like(f"digest:{manager.id}:%"))
    await digest.queue_digests(SIX)
    assert await mine == 0  # 06:00: before their hour
    seven = SIX + dt.timedelta(hours=1)
    await digest.queue_digests(seven)
    assert await mine == 1
    email = (
        await OutboxEmail.select()
        .where(OutboxEmail.key == f"digest:{manager.id}:2026-12-03")
        .first()
    )
    assert email is not None
    assert email["to_address"] == manager.email
    assert "2 items" in email["subject"]
    for text in (email["subject"], email["body"], email["html"]):
        assert "Pat tested positive" not in text  # the summary stays behind login
    statuses = [(await deliveries_of(a))[(manager.id, "email")]["status"] for a in alerts]
    assert statuses == ["queued", "queued"]  # in the digest's email
    # Later the same day nothing more; a new alert waits for tomorrow's digest.
    late = await make_alert(house)
    await planning.plan(late, ("managers",), seven)
    await digest.queue_digests(seven + dt.timedelta(hours=5))
    assert await mine == 1
    await digest.queue_digests(seven + dt.timedelta(days=1))
    assert await mine == 2


async def test_it_escalates_an_unacknowledged_critical_alert_once(frozen_clock: object) -> None:
    start = clock.now()
    house = await make_house()
    await House.update({House.alert_escalate_minutes: 60}).where(House.id == house)
    manager = await make_user("manager", [house])
    admin = await make_user("admin")
    critical = await make_alert(house, severity=Alert.Severity.critical, kind="screen_result")
    handled = await make_alert(house, severity=Alert.Severity.critical, kind="screen_result")
    ordinary = await make_alert(house)
    for alert in (critical, handled, ordinary):
        await planning.plan(alert, ("managers",), start)
    await Alert.update({Alert.acknowledged_at: start, Alert.acknowledged_by: manager.id}).where(
        Alert.id == handled
    )

    assert await digest.escalate(start + dt.timedelta(minutes=59)) == []
    queued = await digest.escalate(start + dt.timedelta(minutes=61))
    rows = await deliveries_of(critical)
    assert (admin.id, "email") in rows
    [admins_email] = await email_ids([rows[(admin.id, "email")]["id"]])
    assert admins_email in queued
    assert rows[(admin.id, "inbox")]["status"] == "sent"
    assert await digest.escalate(start + dt.timedelta(minutes=90)) == []  # once
    for alert in (handled, ordinary):
        assert (admin.id, "email") not in await deliveries_of(alert)
    escalated = await Alert.select(Alert.escalated_at).where(Alert.id == critical).first()
    assert escalated == {"escalated_at": start + dt.timedelta(minutes=61)}
    assert await Delivery.count().where(Delivery.alert == critical, Delivery.user == admin.id) == 2


async def test_it_counts_failed_emails_on_the_system_page(client: object) -> None:
    from tests.client import Client

    assert isinstance(client, Client)
    house = await make_house()
    await make_user("manager", [house])
    admin = await make_user("admin")
    alert = await make_alert(house)
    [email] = await planning.plan(alert, ("managers",), clock.now())
    before = await outbox.failed_count()
    await OutboxEmail.update(
        {OutboxEmail.status: "failed", OutboxEmail.last_error: "550 no such user"}
    ).where(OutboxEmail.id == email)
    await client.force_login(admin)
    page = await client.get("/admin/system")
    assert f"{before + 1} could not be sent" in page.text


async def test_what_was_handled_in_the_app_meanwhile_is_not_emailed(
    frozen_clock: object, smtp_server: object
) -> None:
    """An email held for quiet hours or the digest is dropped once the alert has been
    acknowledged or resolved in the app: it is not news any more."""
    clock.freeze(SIX - dt.timedelta(hours=10))
    house = await make_house(timezone="America/Chicago")
    manager = await make_user("manager", [house])
    await AlertPreference.insert(
        AlertPreference(user=manager.id, kind="chores_missed", mode="digest")
    )
    await AlertProfile.insert(
        AlertProfile(
            user=manager.id,
            digest_hour=7,
            timezone="America/Chicago",
            quiet_from="19:00",
            quiet_to="06:00",
        )
    )
    open_one, handled = [await make_alert(house) for _ in range(2)]
    quiet = await make_alert(house, kind="meetings_behind")
    for alert in (open_one, handled, quiet):
        await planning.plan(alert, ("managers",), clock.now())
    assert (await deliveries_of(quiet))[(manager.id, "email")]["status"] == "held"
    for alert in (handled, quiet):
        await Alert.update({Alert.acknowledged_at: clock.now()}).where(Alert.id == alert)

    quiet_row = (await deliveries_of(quiet))[(manager.id, "email")]
    await deliveries.release_held(SIX)  # the end of their quiet hours
    assert await email_ids([quiet_row["id"]]) == []
    await digest.queue_digests(SIX + dt.timedelta(hours=1))
    email = await OutboxEmail.select().where(OutboxEmail.key.like(f"digest:{manager.id}:%"))
    assert len(email) == 1
    assert "1 item needs" in email[0]["subject"]  # only the open one
    status = {
        a: (await deliveries_of(a))[(manager.id, "email")]["status"]
        for a in (open_one, handled, quiet)
    }
    assert status == {open_one: "queued", handled: "off", quiet: "off"}


async def test_an_email_not_yet_sent_is_dropped_when_the_alert_is_handled(
    frozen_clock: object, smtp_server: Any
) -> None:
    """Acknowledging (or resolving) an alert cancels its emails that no worker has taken
    yet, here one waiting for its retry; one already sent stays sent."""
    house = await make_house()
    waiting_for_retry = await make_user("manager", [house])
    already_sent = await make_user("manager", [house])
    alert = await make_alert(house)
    emails = await planning.plan(alert, ("managers",), clock.now())
    rows = await deliveries_of(alert)
    [retrying] = await email_ids([rows[(waiting_for_retry.id, "email")]["id"]])
    [sent] = await email_ids([rows[(already_sent.id, "email")]["id"]])
    assert sorted(emails) == sorted([retrying, sent])
    assert await outbox.send_email(sent, get_settings(), clock.now()) == "sent"
    smtp_server.refuse_with = "451 try again later"
    try:
        assert await outbox.send_email(retrying, get_settings(), clock.now()) == "retry"
    finally:
        smtp_server.refuse_with = None

    assert await inbox.acknowledge(alert, waiting_for_retry.id, clock.now()) is True
    status = {
        r["id"]: (r["status"], r["last_error"])
        for r in await OutboxEmail.select().where(OutboxEmail.id.is_in([retrying, sent]))
    }
    assert status[retrying] == ("cancelled", deliveries.HANDLED)
    assert status[sent] == ("sent", "")
    clock.advance(dt.timedelta(minutes=10))
    assert retrying not in await outbox.due_emails(clock.now())
    assert await outbox.send_email(retrying, get_settings(), clock.now()) == "not due"
    assert smtp_server.to(waiting_for_retry.email) == []
