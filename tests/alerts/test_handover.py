"""The hand-over of an email (here an alert's) to the mail server (the lone dot that ends
DATA).

- No answer after it (the connection drops): the row stays "sending", is never due again,
  and the System page counts it as unconfirmed.
- An explicit refusal after it: an ordinary failure (retry, or failed for good).
- A slow worker whose claim was taken over sends nothing: the other worker sends it."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from house.alerts import planning
from house.alerts.tables import Alert
from house.lib import clock
from house.outbox import services as outbox
from house.outbox.tables import OutboxEmail
from house.settings import Settings, get_settings
from tests.alerts.delivery_helpers import make_alert
from tests.cast import Cast
from tests.client import Client
from tests.conftest import free_port
from tests.factories import make_house, make_user, unique


class Server:
    """A real SMTP server whose answer to the end of DATA the test chooses: "drop" takes
    the message and closes the connection without a word, else the reply line."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.answer = "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        if self.answer == "drop":
            server.transport.abort()
        return self.answer if self.answer != "drop" else "250 OK"


@pytest.fixture
def server() -> Iterator[tuple[Server, Settings]]:
    handler, port = Server(), free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, dataclasses.replace(get_settings(), smtp_port=port)
    controller.stop()


async def _one_email() -> int:
    house = await make_house(name=unique("Hand"))
    await make_user("manager", [house])
    alert = await make_alert(house, severity=Alert.Severity.critical)
    [email] = await planning.plan(alert, ("managers",), clock.now())
    return email


async def _status(email: int) -> str:
    row = await OutboxEmail.select(OutboxEmail.status).where(OutboxEmail.id == email).first()
    assert row is not None
    return str(row["status"])


async def test_no_answer_after_the_hand_over_is_unconfirmed_and_never_resent(
    server: tuple[Server, Settings], frozen_clock: object
) -> None:
    handler, settings = server
    handler.answer = "drop"
    email = await _one_email()
    before = await outbox.unconfirmed_count(clock.now())
    assert await outbox.send_email(email, settings, clock.now()) == "unconfirmed"
    assert await _status(email) == "sending"
    assert len(handler.messages) == 1  # it did arrive
    clock.advance(outbox.CLAIM_TIMEOUT + dt.timedelta(minutes=1))
    assert email not in await outbox.due_emails(clock.now())
    assert await outbox.send_email(email, settings, clock.now()) == "not due"
    assert len(handler.messages) == 1
    assert await outbox.unconfirmed_count(clock.now()) == before + 1


async def test_the_system_page_shows_unconfirmed_emails(
    server: tuple[Server, Settings], client: Client, cast: Cast, frozen_clock: object
) -> None:
    handler, settings = server
    handler.answer = "drop"
    await outbox.send_email(await _one_email(), settings, clock.now())
    await client.force_login(cast.admin)
    page = await client.get("/admin/system")
    assert page.status_code == 200
    assert 'id="unconfirmed-emails"' in page.text
    assert "not sent again" in page.text


@pytest.mark.parametrize(
    ("answer", "outcome", "status"),
    [("554 5.6.0 rejected", "failed", "failed"), ("451 4.3.0 try later", "retry", "pending")],
)
async def test_a_refusal_after_the_hand_over_is_an_ordinary_failure(
    answer: str, outcome: str, status: str, server: tuple[Server, Settings], frozen_clock: object
) -> None:
    handler, settings = server
    handler.answer = answer
    email = await _one_email()
    assert await outbox.send_email(email, settings, clock.now()) == outcome
    assert await _status(email) == status


async def test_a_worker_whose_claim_was_taken_over_sends_nothing(
    server: tuple[Server, Settings], frozen_clock: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    handler, settings = server
    email = await _one_email()
    real_claim = outbox.claim
    slow_start = clock.now()

    async def claim_then_fall_behind(email_id: int, now: dt.datetime) -> Any:
        row = await real_claim(email_id, now)
        # Meanwhile, past the claim timeout, another worker takes the row over.
        later = now + outbox.CLAIM_TIMEOUT + dt.timedelta(seconds=1)
        assert await real_claim(email_id, later) is not None
        return row

    monkeypatch.setattr(outbox, "claim", claim_then_fall_behind)
    assert await outbox.send_email(email, settings, slow_start) == "not due"
    assert handler.messages == []  # the slow one stopped before the hand-over
    assert await _status(email) == "pending"


async def test_an_unconfirmed_email_keeps_no_body(
    server: tuple[Server, Settings], frozen_clock: object
) -> None:
    handler, settings = server
    handler.answer = "drop"
    email_id = await outbox.queue_email(
        key=unique("handover"), to_address="a@b.test", subject="Hi", body="Hello", now=clock.now()
    )
    assert await outbox.send_email(email_id, settings, clock.now()) == "unconfirmed"
    row = await OutboxEmail.select().where(OutboxEmail.id == email_id).first()
    assert row is not None
    assert (row["status"], row["body"]) == ("sending", "")  # the invite's link is gone
    assert row["sent_at"] is not None
    assert row["last_error"].startswith("no answer after the message")
    clock.advance(outbox.CLAIM_TIMEOUT + dt.timedelta(minutes=1))
    assert email_id not in await outbox.due_emails(clock.now())
    assert len(handler.messages) == 1
