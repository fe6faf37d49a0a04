"""Signing in and out: session rotation, timeouts, the generic failure message."""

from __future__ import annotations

import datetime as dt

import pytest

from house.accounts.tables import Session
from house.audit.tables import AuditEvent
from house.web.sessions import cookie_name
from tests.cast import Cast
from tests.client import Client


async def test_it_signs_in_and_shows_the_home_page(client: Client, cast: Cast) -> None:
    await client.login(cast.manager_a)
    response = await client.get("/")
    assert response.status_code == 200
    assert "Hello, Mia Manager" in response.text
    assert "Sign out" in response.text


async def test_it_gives_a_new_session_id_at_sign_in_and_the_old_one_is_anonymous(
    client: Client, cast: Cast
) -> None:
    # An anonymous session that carries a flash message gets a row of its own first.
    before = await client.post("/login", {"email": cast.resident_a.email, "password": "wrong"})
    assert before.status_code == 422
    client.http.cookies.set(cookie_name(), "attacker-chosen-token", domain="house.test")
    old = client.session_cookie

    await client.login(cast.resident_a)
    new = client.session_cookie
    assert new
    assert new != old

    async with Client(client.http._transport.app) as attacker:  # type: ignore[attr-defined]
        attacker.http.cookies.set(cookie_name(), old or "", domain="house.test")
        response = await attacker.get("/")
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login")


async def test_it_rotates_an_existing_session_row_at_sign_in(client: Client, cast: Cast) -> None:
    await client.login(cast.resident_a)
    first = client.session_cookie
    await client.login(cast.resident_a2)
    second = client.session_cookie
    assert first != second
    from house.accounts.sessions import hash_token

    assert not await Session.exists().where(Session.key_hash == hash_token(first or ""))
    assert await Session.exists().where(Session.key_hash == hash_token(second or ""))


async def test_it_refuses_a_wrong_password_with_a_generic_message(
    client: Client, cast: Cast
) -> None:
    for email in (cast.manager_b.email, "nobody-at-all@house.test"):
        response = await client.post("/login", {"email": email, "password": "not the password"})
        assert response.status_code == 422
        assert "That email and password do not match an account." in response.text
        assert f'value="{email}"' in response.text  # what was typed comes back
    assert client.session_cookie is None


async def test_it_records_sign_ins_and_failures_in_the_audit_log(
    client: Client, cast: Cast
) -> None:
    await client.post("/login", {"email": cast.case_manager.email, "password": "nope nope"})
    await client.login(cast.case_manager)
    actions = await AuditEvent.select(AuditEvent.action).where(
        AuditEvent.subject == cast.case_manager.id
    )
    names = [a["action"] for a in actions]
    assert "login_failed" in names
    assert "login" in names


async def test_it_signs_out_and_the_cookie_is_anonymous_at_once(client: Client, cast: Cast) -> None:
    await client.login(cast.manager_a)
    cookie = client.session_cookie
    response = await client.post("/logout")
    assert response.status_code == 303
    async with Client(client.http._transport.app) as other:  # type: ignore[attr-defined]
        other.http.cookies.set(cookie_name(), cookie or "", domain="house.test")
        assert (await other.get("/")).status_code == 303


async def test_it_ends_a_session_idle_for_30_minutes(
    client: Client, cast: Cast, frozen_clock: object
) -> None:
    from house.lib import clock

    await client.login(cast.manager_a)
    clock.advance(dt.timedelta(minutes=29))
    assert (await client.get("/")).status_code == 200
    clock.advance(dt.timedelta(minutes=29))  # active 29 min ago: still fine
    assert (await client.get("/")).status_code == 200
    clock.advance(dt.timedelta(minutes=31))
    response = await client.get("/")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/"


async def test_it_ends_a_session_12_hours_after_sign_in_however_active(
    client: Client, cast: Cast, frozen_clock: object
) -> None:
    from house.lib import clock

    await client.login(cast.manager_a)
    for _ in range(24):  # a request every 25 minutes for 10 hours
        clock.advance(dt.timedelta(minutes=25))
        assert (await client.get("/")).status_code == 200
    clock.advance(dt.timedelta(hours=2))
    for _ in range(3):
        clock.advance(dt.timedelta(minutes=20))
        last = await client.get("/")
    assert last.status_code == 303


async def test_it_follows_next_only_to_a_path_on_this_site(client: Client, cast: Cast) -> None:
    for target, expected in (
        ("/admin/system", "/admin/system"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("/\t/evil.example", "/"),
        ("/\n/evil.example", "/"),
        ("/ /evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("/admin/users?x=1", "/admin/users?x=1"),
    ):
        async with Client(client.http._transport.app) as c:  # type: ignore[attr-defined]
            response = await c.post(
                "/login",
                {"email": cast.admin.email, "password": cast.admin.password, "next": target},
            )
            assert response.headers["location"] == expected


async def test_it_redirects_a_signed_in_person_away_from_the_login_page(
    client: Client, cast: Cast
) -> None:
    await client.login(cast.resident_a)
    response = await client.get("/login")
    assert response.status_code == 303


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"email": "", "password": ""}, "email", "Enter your email."),
        ({"email": "a@b.c", "password": ""}, "password", "Enter your password."),
        ({"email": "x" * 10_001, "password": "p"}, "email", "Use at most 254 characters"),
    ],
)
async def test_it_answers_an_incomplete_sign_in_by_the_field(
    client: Client, fields: dict[str, str], field: str, message: str
) -> None:
    response = await client.post("/login", fields)
    assert response.status_code == 422
    assert f'id="f-{field}-error"' in response.text
    assert message in response.text
    assert client.session_cookie is None


async def test_it_escapes_markup_typed_into_the_email_field(client: Client) -> None:
    payload = '"><script>alert(1)</script>'
    response = await client.post("/login", {"email": payload, "password": "whatever"})
    assert response.status_code == 422
    assert "<script>alert(1)</script>" not in response.text
    assert "&#34;&gt;&lt;script&gt;" in response.text
