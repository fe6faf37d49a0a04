"""The idle warning's server side: how long is left, "Stay signed in", and what counts as
activity (a person's request does; the bell's poll and the warning's question do not)."""

from __future__ import annotations

import datetime as dt
import re

from house.lib import clock
from tests.cast import Cast
from tests.client import Client


async def _left(client: Client) -> int:
    response = await client.get("/session")
    assert response.status_code == 200, response.status_code
    remaining: int = response.json()["remaining"]
    return remaining


async def test_it_says_how_long_is_left_without_counting_the_question_as_activity(
    client: Client, cast: Cast, frozen_clock: object
) -> None:
    await client.login(cast.manager_a)
    assert await _left(client) == 30 * 60
    clock.advance(dt.timedelta(minutes=10))
    assert await _left(client) == 20 * 60
    clock.advance(dt.timedelta(minutes=18))
    assert await _left(client) == 2 * 60  # asked three times: still counting down
    clock.advance(dt.timedelta(minutes=2, seconds=1))
    assert (await client.get("/session")).status_code == 303  # ended


async def test_it_keeps_the_session_on_stay_signed_in(
    client: Client, cast: Cast, frozen_clock: object
) -> None:
    await client.login(cast.resident_a)
    clock.advance(dt.timedelta(minutes=28, seconds=30))
    stayed = await client.post("/session/stay", {})
    assert stayed.status_code == 200
    assert stayed.json() == {"remaining": 30 * 60}
    clock.advance(dt.timedelta(minutes=29))
    assert (await client.get("/")).status_code == 200
    # Hostile or repeated: no token or a foreign one is refused; extra fields change
    # nothing; twice at once is the same as once.
    assert (await client.post("/session/stay", {}, csrf=False)).status_code == 403
    foreign = {"_csrf_token": "x" * 64}
    assert (await client.post("/session/stay", foreign, csrf=False)).status_code == 403
    extra = {"remaining": "99999", "role": "admin", "_page": "//evil.example"}
    twice = [await client.post("/session/stay", extra) for _ in range(2)]
    assert [r.json() for r in twice] == [{"remaining": 30 * 60}] * 2
    clock.advance(dt.timedelta(minutes=31))
    assert (await client.get("/")).status_code == 303


async def test_it_does_not_keep_a_session_alive_for_the_bells_poll(
    client: Client, cast: Cast, frozen_clock: object
) -> None:
    await client.login(cast.manager_a)
    for _ in range(6):  # an open tab polls; nobody is there
        clock.advance(dt.timedelta(minutes=5))
        poll = await client.get("/inbox/count", headers={"HX-Request": "true"})
        assert poll.status_code == 200
    clock.advance(dt.timedelta(minutes=1))
    assert (await client.get("/inbox/count", headers={"HX-Request": "true"})).status_code == 204
    assert (await client.get("/")).status_code == 303


async def test_it_puts_the_warning_on_signed_in_pages_only(client: Client, cast: Cast) -> None:
    signed_out = await client.get("/login")
    assert 'id="session-warning"' not in signed_out.text
    assert "session.js" not in signed_out.text
    await client.force_login(cast.manager_a)
    home = await client.get(f"/houses/{cast.house_a}/violations/new")
    warning = re.search(r'<section id="session-warning".*?</section>', home.text, re.S)
    assert warning is not None
    box = warning.group(0)
    assert 'data-idle="1800" data-warn="120" hidden' in box
    assert 'action="/session/stay"' in box
    assert 'name="_csrf_token"' in box
    assert ">Stay signed in</button>" in box
    assert 'role="alert"' in box
    assert "/static/session.js" in home.text
