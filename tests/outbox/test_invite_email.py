"""Invite emails go through the outbox: written with the invite, sent once by the worker."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from house.lib import clock
from house.outbox import services
from house.outbox.tables import OutboxEmail
from house.queue import Queue
from house.settings import get_settings
from tests.cast import Cast
from tests.client import Client
from tests.factories import unique


async def _invite(client: Client, cast: Cast, email: str) -> str:
    response = await client.post(
        "/admin/users",
        [
            ("name", "Ema Mail"),
            ("email", email),
            ("role", "manager"),
            ("houses", str(cast.house_a)),
        ],
    )
    assert response.status_code == 200, response.text[:500]
    return response.text


def _link(body: str) -> str:
    match = re.search(r"(https://house\.test/invite/\S+)", body)
    assert match, body
    return match.group(1)


async def test_it_emails_the_invite_link_once_through_the_real_worker(
    client: Client, cast: Cast, run_worker: Any, smtp_server: Any
) -> None:
    await client.force_login(cast.admin)
    email = f"{unique('ema')}@house.test"
    page = await _invite(client, cast, email)
    assert "An email with this link is on its way" in page

    await run_worker()
    await run_worker()  # a second worker run (or a retried job) sends nothing more
    received = smtp_server.to(email)
    assert len(received) == 1
    assert received[0]["Subject"] == "You are invited to house"
    assert received[0]["From"] == get_settings().mail_from
    link = _link(received[0].get_payload())
    assert link in page  # the same link the admin saw

    row = await OutboxEmail.select().where(OutboxEmail.to_address == email).first()
    assert row is not None
    assert row["sent_at"] is not None
    assert row["body"] == ""  # the link does not stay in the outbox
    assert row["attempts"] == 1

    path = link.removeprefix("https://house.test")
    async with Client(client.http._transport.app) as newcomer:  # type: ignore[attr-defined]
        assert (await newcomer.get(path)).status_code == 200


async def test_it_sends_the_email_later_when_redis_was_down_at_invite_time(
    app: Any, client: Client, cast: Cast, run_worker: Any, smtp_server: Any
) -> None:
    down = dataclasses.replace(get_settings(), redis_url="redis://127.0.0.1:1/0")
    real_queue, app.state.queue = app.state.queue, Queue(down)
    try:
        await client.force_login(cast.admin)
        email = f"{unique('later')}@house.test"
        page = await _invite(client, cast, email)
        assert "goes out as soon as" in page
    finally:
        await app.state.queue.close()
        app.state.queue = real_queue
    assert smtp_server.to(email) == []
    await run_worker()  # its start-up sweep finds the email in the database
    assert len(smtp_server.to(email)) == 1


async def test_it_retries_a_temporary_refusal_and_gives_up_on_a_permanent_one(
    smtp_server: Any,
) -> None:
    now = clock.now()
    settings = get_settings()
    later = await services.queue_email(
        key=unique("temp"), to_address="later@house.test", subject="s", body="b", now=now
    )
    never = await services.queue_email(
        key=unique("perm"), to_address="never@house.test", subject="s", body="b", now=now
    )
    try:
        smtp_server.refuse_with = "451 4.3.0 try again later"
        assert await services.send_email(later, settings, now) == "retry"
        row = await OutboxEmail.select().where(OutboxEmail.id == later).first()
        assert row is not None
        assert row["claimed_at"] is None  # released for the retry
        assert row["sent_at"] is None
        assert "451" in row["last_error"]
        assert later not in await services.due_emails(now)  # after its backoff
        assert later in await services.due_emails(now + services.BACKOFF[0])

        smtp_server.refuse_with = "550 5.1.1 no such mailbox"
        assert await services.send_email(never, settings, now) == "failed"
        assert never not in await services.due_emails(now)
    finally:
        smtp_server.refuse_with = None
    retry_at = now + services.BACKOFF[0]
    assert await services.send_email(later, settings, retry_at) == "sent"
    assert await services.send_email(later, settings, retry_at) == "not due"


async def test_it_lets_only_one_of_two_senders_claim_an_email(smtp_server: Any) -> None:
    import asyncio

    now = clock.now()
    email_id = await services.queue_email(
        key=unique("race"), to_address="race@house.test", subject="s", body="b", now=now
    )
    results = await asyncio.gather(
        *(services.send_email(email_id, get_settings(), now) for _ in range(5))
    )
    assert sorted(results) == ["not due"] * 4 + ["sent"]
    assert len(smtp_server.to("race@house.test")) == 1
