"""Password hashes: argon2id at its real cost wherever house runs for real, rehashed at
sign-in when the parameters change; the test suite's cheap parameters exist only under
HOUSE_ENV=test."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator

import pytest
from argon2 import Type, extract_parameters
from argon2.profiles import RFC_9106_LOW_MEMORY

from house.accounts import passwords
from house.accounts.passwords import hash_password, verify_password
from house.accounts.tables import User
from house.settings import get_settings
from tests.client import Client
from tests.factories import PASSWORD, make_user

CHEAP = {"type": Type.ID, "time_cost": 1, "memory_cost": 8, "parallelism": 1}


@pytest.fixture
def standard_hashing() -> Iterator[None]:
    """The real parameters, as outside the test suite (conftest sets PASSWORD_HASHING=fast)."""
    before = os.environ["PASSWORD_HASHING"]
    os.environ["PASSWORD_HASHING"] = "standard"
    get_settings.cache_clear()
    try:
        yield
    finally:
        os.environ["PASSWORD_HASHING"] = before
        get_settings.cache_clear()


def _cost(stored: str) -> dict[str, object]:
    params = extract_parameters(stored)
    return {name: getattr(params, name) for name in CHEAP}


async def _stored_hash(user_id: int) -> str:
    row = await User.select(User.password_hash).where(User.id == user_id).first()
    assert row is not None
    return str(row["password_hash"])


async def test_it_hashes_with_argon2id_at_the_real_cost(standard_hashing: None) -> None:
    stored = hash_password("correct horse battery")
    assert stored.startswith("$argon2id$")
    assert extract_parameters(stored) == RFC_9106_LOW_MEMORY
    params = extract_parameters(stored)
    # ASVS 11.4.2 (OWASP's password storage sheet): argon2id with at least 19 MiB and t=2.
    assert params.memory_cost >= 19 * 1024
    assert params.time_cost >= 2
    assert await verify_password(stored, "correct horse battery") == (True, None)
    assert await verify_password(stored, "correct horse battery!") == (False, None)


async def test_it_checks_an_unknown_account_against_a_hash_of_the_same_cost(
    standard_hashing: None,
) -> None:
    assert extract_parameters(passwords._dummy_hash(passwords._hasher())) == RFC_9106_LOW_MEMORY
    assert await verify_password(None, "not a real password, only for timing") == (False, None)


async def test_it_rehashes_at_sign_in_when_the_parameters_changed(
    client: Client, standard_hashing: None
) -> None:
    person = await make_user("manager")  # made with the suite's cheap hash
    assert _cost(await _stored_hash(person.id)) == CHEAP

    response = await client.post("/login", {"email": person.email, "password": "wrong one"})
    assert response.status_code == 422
    assert _cost(await _stored_hash(person.id)) == CHEAP  # a failed try changes nothing

    await client.login(person)
    upgraded = await _stored_hash(person.id)
    assert extract_parameters(upgraded) == RFC_9106_LOW_MEMORY
    assert await verify_password(upgraded, PASSWORD) == (True, None)

    await client.post("/logout")
    await client.login(person)
    assert await _stored_hash(person.id) == upgraded  # already current: left alone


async def test_the_suite_itself_hashes_cheaply() -> None:
    # Not a test of production: it keeps the suite fast (a real hash costs about a second).
    assert _cost(hash_password(PASSWORD)) == CHEAP
    assert (await verify_password(hash_password(PASSWORD), PASSWORD))[0]


def test_it_never_hashes_cheaply_outside_the_test_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Settings refuse PASSWORD_HASHING=fast outside HOUSE_ENV=test (tests/test_settings.py);
    # even settings made some other way get the real cost.
    for env in ("production", "development"):
        forged = dataclasses.replace(get_settings(), env=env, password_hashing="fast")
        monkeypatch.setattr(passwords, "get_settings", lambda forged=forged: forged)
        assert passwords._hasher() is passwords.STANDARD
