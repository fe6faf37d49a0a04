"""Sign-in throttling kept in the database: slowed after 5 failures, capped at 100 an hour."""

from __future__ import annotations

import datetime as dt

from house.accounts.services import account_key
from house.accounts.tables import LoginFailure, User
from house.audit.tables import AuditEvent
from house.db import write_transaction
from house.lib import clock
from tests.client import Client
from tests.factories import make_user


async def _failures(email: str) -> int:
    count: int = await LoginFailure.count().where(LoginFailure.account_key == account_key(email))
    return count


async def _fail(client: Client, email: str) -> int:
    response = await client.post("/login", {"email": email, "password": "definitely wrong"})
    return response.status_code


async def test_it_slows_the_sixth_wrong_password_and_lets_the_right_one_in_after_the_wait(
    client: Client, frozen_clock: object
) -> None:
    person = await make_user(User.Role.manager)
    for _ in range(5):
        assert await _fail(client, person.email) == 422
        clock.advance(dt.timedelta(milliseconds=10))
    # The 6th attempt comes straight away: refused before the password is looked at,
    # even when it is the right one.
    response = await client.post("/login", {"email": person.email, "password": person.password})
    assert response.status_code == 429
    assert "Too many tries. Wait" in response.text
    assert (
        await LoginFailure.count().where(LoginFailure.account_key == account_key(person.email)) == 5
    )

    clock.advance(dt.timedelta(seconds=2))
    await client.login(person)
    # Success clears the failures.
    assert (
        await LoginFailure.count().where(LoginFailure.account_key == account_key(person.email)) == 0
    )


async def test_it_grows_the_delay_with_each_failure(client: Client, frozen_clock: object) -> None:
    person = await make_user(User.Role.resident)
    for _ in range(5):
        await _fail(client, person.email)
    waits = []
    for _ in range(4):
        # Find the shortest wait that lets the next attempt be checked.
        waited = 0
        while await _fail(client, person.email) == 429:
            clock.advance(dt.timedelta(milliseconds=500))
            waited += 500
        waits.append(waited)
    assert waits == sorted(waits)
    assert waits[-1] > waits[0]


async def test_it_refuses_the_101st_attempt_in_an_hour_without_checking(
    client: Client, frozen_clock: object
) -> None:
    person = await make_user(User.Role.manager)
    key = account_key(person.email)
    # 99 failures spread over the last 51 minutes, each after its delay had passed
    # (stored directly: driving 99 argon2 checks through HTTP adds nothing but time).
    start = clock.now() - dt.timedelta(minutes=51)
    async with write_transaction():
        for i in range(99):
            at = start + dt.timedelta(seconds=31 * i)
            await LoginFailure.insert(LoginFailure(account_key=key, at=at))
    clock.advance(dt.timedelta(seconds=31))
    assert await _fail(client, person.email) == 422  # the 100th is still checked
    assert await _failures(person.email) == 100

    # The 101st, even with the right password and after the delay: refused unchecked.
    clock.advance(dt.timedelta(seconds=31))
    response = await client.post("/login", {"email": person.email, "password": person.password})
    assert response.status_code == 429
    assert await _failures(person.email) == 100
    throttled = await AuditEvent.count().where(
        AuditEvent.subject == person.id, AuditEvent.action == "login_throttled"
    )
    assert throttled == 1

    # Once the oldest failures are an hour old, the right password works.
    clock.advance(dt.timedelta(hours=1))
    await client.login(person)


async def test_it_throttles_unknown_addresses_the_same_way(
    client: Client, frozen_clock: object
) -> None:
    email = "no-such-person@house.test"
    for _ in range(5):
        assert await _fail(client, email) == 422
    assert await _fail(client, email) == 429
