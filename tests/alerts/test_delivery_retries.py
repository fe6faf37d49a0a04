"""An alert email is an outbox email: it goes through a real SMTP server with no clinical
detail; a temporary refusal retries after 1 then 5 minutes and fails after 3 tries; a
permanent refusal fails at once with the error; a claimed row is not sent twice."""

from __future__ import annotations

import datetime as dt
from typing import Any

from house.alerts import deliveries, planning
from house.alerts.tables import Alert
from house.lib import clock
from house.lib.emails import house_label
from house.outbox import services as outbox
from house.outbox.tables import OutboxEmail
from house.settings import get_settings
from tests.alerts.delivery_helpers import deliveries_of, make_alert
from tests.factories import make_house, make_user


async def _one_email(name: str) -> tuple[int, str]:
    email, to, _ = await _one_alert(name)
    return email, to


async def _one_alert(name: str) -> tuple[int, str, int]:
    """(outbox id, address, alert id) of a critical alert's email to one manager."""
    house = await make_house(name=name)
    manager = await make_user("manager", [house])
    alert = await make_alert(house, severity=Alert.Severity.critical)
    [email] = await planning.plan(alert, ("managers",), clock.now())
    return email, manager.email, alert


async def _row(email: int) -> dict[str, Any]:
    row = await OutboxEmail.select().where(OutboxEmail.id == email).first()
    assert row is not None
    return row


async def test_it_sends_once_without_clinical_detail(
    smtp_server: Any, frozen_clock: object
) -> None:
    email, to, alert = await _one_alert("Elm Retry One")
    assert await outbox.send_email(email, get_settings(), clock.now()) == "sent"
    assert await outbox.send_email(email, get_settings(), clock.now()) == "not due"
    [message] = smtp_server.to(to)
    assert message["Subject"] == "House Elm Retry One: 1 item needs attention"
    assert message.get_content_type() == "multipart/alternative"
    text, html = (part.get_payload(decode=True).decode() for part in message.get_payload())
    for body in (text, html):
        assert "https://house.test/inbox" in body
        assert "positive" not in body
        assert "Pat" not in body
    row = await _row(email)
    assert (row["status"], row["body"]) == ("sent", "")  # the body does not stay
    assert row["key"].startswith("alert:")
    assert {r["status"] for r in (await deliveries_of(alert)).values()} == {
        "sent",  # the inbox
        "queued",  # the email: the outbox's from here on
    }


async def test_it_retries_with_backoff_then_fails(smtp_server: Any, frozen_clock: object) -> None:
    email, to = await _one_email("Elm Retry Two")
    smtp_server.refuse_with = "451 try again later"
    try:
        start = clock.now()
        assert await outbox.send_email(email, get_settings(), start) == "retry"
        row = await _row(email)
        assert (row["status"], row["attempts"]) == ("pending", 1)
        assert row["next_attempt_at"] == start + dt.timedelta(minutes=1)
        # Not due before its backoff is over.
        assert await outbox.send_email(email, get_settings(), start) == "not due"
        second = start + dt.timedelta(minutes=1)
        assert await outbox.send_email(email, get_settings(), second) == "retry"
        assert (await _row(email))["next_attempt_at"] == second + dt.timedelta(minutes=5)
        third = second + dt.timedelta(minutes=5)
        assert await outbox.send_email(email, get_settings(), third) == "failed"
    finally:
        smtp_server.refuse_with = None
    row = await _row(email)
    assert (row["status"], row["attempts"]) == ("failed", 3)
    assert "451" in row["last_error"]
    assert smtp_server.to(to) == []
    assert email not in await outbox.due_emails(third + dt.timedelta(hours=1))
    assert await outbox.failed_count() >= 1


async def test_it_fails_at_once_when_the_address_is_refused(
    smtp_server: Any, frozen_clock: object
) -> None:
    email, to = await _one_email("Elm Retry Three")
    smtp_server.refuse_with = "550 no such user"
    try:
        assert await outbox.send_email(email, get_settings(), clock.now()) == "failed"
    finally:
        smtp_server.refuse_with = None
    row = await _row(email)
    assert (row["status"], row["attempts"]) == ("failed", 1)
    assert "550" in row["last_error"]
    assert smtp_server.to(to) == []


def test_the_subject_names_the_house_once() -> None:
    assert deliveries.alert_subject(house_label("Elm"), 1) == ("House Elm: 1 item needs attention")
    assert house_label("Maple House") == "Maple House"
    assert deliveries.alert_subject("3 houses", 4) == "3 houses: 4 items need attention"
