"""Sign-in throttling kept in the database: per account from unknown devices (growing
waits), per client address across accounts, and a Retry-After on every 429."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from house.accounts.tables import LoginFailure, User
from house.accounts.throttle import account_key, address_key
from house.audit.tables import AuditEvent
from house.db import write_transaction
from house.lib import clock
from house.lib.dates import wait_words
from tests.client import Client
from tests.factories import make_user, unique

WRONG = "definitely wrong"


async def _failures(email: str) -> int:
    count: int = await LoginFailure.count().where(LoginFailure.account_key == account_key(email))
    return count


async def _try(client: Client, email: str, password: str = WRONG) -> tuple[int, str | None]:
    response = await client.post("/login", {"email": email, "password": password})
    return response.status_code, response.headers.get("retry-after")


async def _store_failures(n: int, *, email: str, address: str, before: dt.timedelta) -> None:
    """`n` failures spread evenly over `before`, the last one now (stored directly: driving
    dozens of argon2 checks through HTTP adds nothing but time)."""
    now = clock.now()
    async with write_transaction():
        for i in range(n):
            at = now - before * i / n
            await LoginFailure.insert(
                LoginFailure(account_key=account_key(email), address_key=address, at=at)
            )


async def test_it_refuses_even_the_right_password_during_the_wait_and_says_how_long(
    client: Client, frozen_clock: object
) -> None:
    person = await make_user(User.Role.manager)
    for _ in range(5):
        assert await _try(client, person.email) == (422, None)
        clock.advance(dt.timedelta(milliseconds=10))
    # The 6th attempt comes straight away: refused before the password is looked at, even
    # the right one (from a browser that never signed in as this account).
    response = await client.post("/login", {"email": person.email, "password": person.password})
    assert response.status_code == 429
    assert response.headers["retry-after"] == "30"
    assert "Too many tries. Wait 30 seconds and try again." in response.text
    assert await _failures(person.email) == 5

    clock.advance(dt.timedelta(seconds=29))
    response = await client.post("/login", {"email": person.email, "password": person.password})
    assert response.headers["retry-after"] == "1"
    assert "Wait 1 second and try again." in response.text
    throttled = await AuditEvent.count().where(
        AuditEvent.subject == person.id, AuditEvent.action == "login_throttled"
    )
    assert throttled == 2

    clock.advance(dt.timedelta(seconds=1))
    await client.login(person)
    # Success clears the failures: five free tries again.
    assert await _failures(person.email) == 0


async def test_it_doubles_the_wait_from_30_seconds_up_to_4_hours(
    client: Client, frozen_clock: object
) -> None:
    person = await make_user(User.Role.resident)
    await _store_failures(4, email=person.email, address="", before=dt.timedelta(minutes=1))
    assert await _try(client, person.email) == (422, None)
    waits = []
    for _ in range(11):
        status, retry_after = await _try(client, person.email)
        assert status == 429
        assert retry_after is not None
        waits.append(int(retry_after))
        clock.advance(dt.timedelta(seconds=int(retry_after)))
        assert (await _try(client, person.email))[0] == 422
    assert waits == [30, 60, 120, 240, 480, 960, 1920, 3840, 7680, 14400, 14400]


async def test_it_checks_one_of_five_simultaneous_guesses_past_the_free_ones(
    app: object, frozen_clock: object
) -> None:
    person = await make_user(User.Role.manager)
    await _store_failures(4, email=person.email, address="", before=dt.timedelta(minutes=1))
    clients = [Client(app) for _ in range(5)]
    try:
        results = await asyncio.gather(*(_try(c, person.email) for c in clients))
    finally:
        for c in clients:
            await c.http.aclose()
    # The check and the stored failure are one step: only one guess gets the last free try.
    assert sorted(status for status, _ in results) == [422, 429, 429, 429, 429]
    assert await _failures(person.email) == 5


async def test_it_never_locks_an_account_for_good(client: Client, frozen_clock: object) -> None:
    person = await make_user(User.Role.manager)
    # A day of guessing: the wait never passes 4 hours, and old failures age out.
    await _store_failures(60, email=person.email, address="", before=dt.timedelta(hours=23))
    status, retry_after = await _try(client, person.email, person.password)
    assert status == 429
    assert retry_after is not None
    assert int(retry_after) <= 4 * 3600
    clock.advance(dt.timedelta(hours=24))
    await client.login(person)


async def test_it_limits_one_address_across_accounts(app: object, frozen_clock: object) -> None:
    async with Client(app) as attacker, Client(app) as elsewhere:
        # 20 accounts, one wrong guess each: none reaches its own limit...
        for _ in range(20):
            assert await _try(attacker, f"{unique('guess')}@house.test") == (422, None)
        # ...but the address has: the next account is refused unchecked, right password or not.
        person = await make_user(User.Role.manager)
        response = await attacker.post(
            "/login", {"email": person.email, "password": person.password}
        )
        assert response.status_code == 429
        assert response.headers["retry-after"] == "30"
        assert await _failures(person.email) == 0
        # The account itself is not slowed for anyone else.
        await elsewhere.login(person)

        # The address's waits grow too.
        clock.advance(dt.timedelta(seconds=30))
        assert await _try(attacker, person.email) == (422, None)
        assert await _try(attacker, person.email) == (429, "60")


async def test_it_counts_an_ipv6_network_as_one_address(app: object, frozen_clock: object) -> None:
    await _store_failures(
        20,
        email=f"{unique('guess')}@house.test",
        address=address_key("2001:db8:5:7::1"),
        before=dt.timedelta(minutes=10),
    )
    person = await make_user(User.Role.manager)
    async with Client(app, address="2001:db8:5:7:abcd::99") as same_network:
        assert (await _try(same_network, person.email, person.password))[0] == 429
    async with Client(app, address="2001:db8:5:8::1") as next_network:
        await next_network.login(person)


async def test_it_throttles_unknown_emails_the_same_way(
    client: Client, frozen_clock: object
) -> None:
    email = f"{unique('nobody')}@house.test"
    for _ in range(5):
        assert await _try(client, email) == (422, None)
    assert await _try(client, email) == (429, "30")


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (0, "1 second"),
        (1, "1 second"),
        (2, "2 seconds"),
        (59, "59 seconds"),
        (60, "1 minute"),
        (61, "2 minutes"),
        (120, "2 minutes"),
        (3600, "1 hour"),
        (3601, "1 hour 1 minute"),
        (14400, "4 hours"),
    ],
)
def test_it_words_a_wait_rounded_up(seconds: int, words: str) -> None:
    assert wait_words(seconds) == words
