"""The known-device cookie: a browser that signed in as an account before is never locked
out by failures from elsewhere, while its own failures still slow it."""

from __future__ import annotations

import datetime as dt

from house.accounts.devices import cookie_name, read_device
from house.accounts.tables import LoginFailure, User
from house.accounts.throttle import account_key, address_key
from house.db import write_transaction
from house.lib import clock
from tests.client import Client
from tests.factories import Person, make_user, unique

WRONG = "definitely wrong"


async def _try(client: Client, email: str, password: str = WRONG) -> tuple[int, str | None]:
    response = await client.post("/login", {"email": email, "password": password})
    return response.status_code, response.headers.get("retry-after")


async def _known_phone(app: object, person: Person) -> Client:
    """A browser that has signed in as `person` (and signed out again)."""
    phone = Client(app)
    await phone.login(person)
    await phone.post("/logout")
    return phone


async def _guess_from_elsewhere(app: object, person: Person, times: int) -> None:
    async with Client(app) as attacker:
        for _ in range(times):
            assert (await _try(attacker, person.email))[0] in (422, 429)
            clock.advance(dt.timedelta(seconds=31))
        assert (await _try(attacker, person.email, person.password))[0] == 429


async def test_it_sets_a_signed_long_lived_device_cookie_naming_the_account(
    client: Client,
) -> None:
    first = await make_user(User.Role.manager)
    second = await make_user(User.Role.resident)
    response = await client.login(first)
    header = next(
        h for h in response.headers.get_list("set-cookie") if h.startswith(cookie_name() + "=")
    )
    assert cookie_name() == "__Host-device"  # the tests run with Secure cookies, as production
    lowered = header.lower()
    for part in ("httponly", "secure", "samesite=lax", "path=/", "max-age=31536000"):
        assert part in lowered
    device = read_device(client.http.cookies.get(cookie_name()))
    assert device is not None
    assert device.user_ids == (first.id,)

    # A second account on the same (shared) browser is added; the device keeps its id.
    await client.post("/logout")
    await client.login(second)
    again = read_device(client.http.cookies.get(cookie_name()))
    assert again is not None
    assert again.device_id == device.device_id
    assert again.user_ids == (second.id, first.id)

    # Changed by hand, it is no cookie of ours.
    raw = client.http.cookies.get(cookie_name())
    assert raw is not None
    assert read_device(raw.replace(f".{second.id}-", f".{second.id + 1}-")) is None
    assert read_device(raw[:-2] + ("AA" if not raw.endswith("AA") else "BB")) is None
    assert read_device("v1.garbage") is None


async def test_it_lets_a_known_device_in_with_the_right_password_during_a_wait(
    app: object, frozen_clock: object
) -> None:
    person = await make_user(User.Role.manager)
    async with await _known_phone(app, person) as phone:
        # One wrong guess every 30 s from elsewhere would keep an unknown browser out...
        await _guess_from_elsewhere(app, person, 8)
        # ...the manager's own phone gets straight in.
        await phone.login(person)
    assert (
        await LoginFailure.count().where(LoginFailure.account_key == account_key(person.email)) == 0
    )


async def test_it_lets_a_known_device_in_from_an_address_that_is_throttled(
    app: object, frozen_clock: object
) -> None:
    person = await make_user(User.Role.resident)
    async with await _known_phone(app, person) as phone:
        # Someone on the same house wifi tried 25 accounts.
        now = clock.now()
        async with write_transaction():
            for _ in range(25):
                await LoginFailure.insert(
                    LoginFailure(
                        account_key=account_key(f"{unique('guess')}@house.test"),
                        address_key=address_key(phone.address),
                        at=now,
                    )
                )
        async with Client(app, address=phone.address) as neighbour:
            assert (await _try(neighbour, person.email, person.password))[0] == 429
        await phone.login(person)


async def test_it_counts_a_known_devices_own_failures_against_that_device(
    app: object, frozen_clock: object
) -> None:
    person = await make_user(User.Role.manager)
    async with await _known_phone(app, person) as stolen:
        for _ in range(5):
            assert await _try(stolen, person.email) == (422, None)
        # A stolen laptop is not unlimited: it waits like anyone, right password or not.
        assert await _try(stolen, person.email, person.password) == (429, "30")
        # Its failures are its own: the owner's new phone is not slowed by them.
        async with Client(app) as new_phone:
            await new_phone.login(person)


async def test_it_treats_a_cookie_for_another_account_as_an_unknown_device(
    app: object, frozen_clock: object
) -> None:
    mine = await make_user(User.Role.resident)
    target = await make_user(User.Role.manager)
    async with await _known_phone(app, mine) as phone:
        await _guess_from_elsewhere(app, target, 6)
        assert (await _try(phone, target.email, target.password))[0] == 429
        # A cookie copied under another name or with a forged signature is no help either.
        raw = phone.http.cookies.get(cookie_name())
        assert raw is not None
        forged = raw.replace(f".{mine.id}.", f".{target.id}.")
        phone.http.cookies.set(cookie_name(), forged, domain="house.test")
        assert (await _try(phone, target.email, target.password))[0] == 429
