"""Inviting people: a one-time link, valid 24 hours; hostile input on the invite form."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from house.accounts.tables import HouseMembership, Invite, User
from house.lib import clock
from tests.cast import Cast
from tests.client import Client
from tests.factories import unique


def _link_token(html: str) -> str:
    match = re.search(r"/invite/([A-Za-z0-9_\-]+)</code>", html)
    assert match, html[:2000]
    return match.group(1)


async def _invite(client: Client, cast: Cast, **fields: str | list[str]) -> tuple[int, str]:
    data: list[tuple[str, str]] = []
    defaults: dict[str, str | list[str]] = {
        "name": "Nia New",
        "email": f"{unique('nia')}@house.test",
        "role": "manager",
        "houses": [str(cast.house_a)],
    }
    for key, value in {**defaults, **fields}.items():
        for v in [value] if isinstance(value, str) else value:
            data.append((key, v))
    response = await client.post("/admin/users", data)
    return response.status_code, response.text


async def test_it_invites_a_manager_who_chooses_a_password_and_is_signed_in(
    client: Client, cast: Cast, app: object
) -> None:
    await client.force_login(cast.admin)
    email = f"{unique('nia')}@house.test"
    status, html = await _invite(client, cast, email=email.upper())
    assert status == 200
    token = _link_token(html)
    user = await User.select().where(User.email == email).first()
    assert user is not None
    assert user["password_hash"] == ""
    assert await HouseMembership.exists().where(
        HouseMembership.user == user["id"], HouseMembership.house == cast.house_a
    )
    # The token is stored only hashed.
    assert not await Invite.exists().where(Invite.token_hash == token)

    async with Client(app) as newcomer:
        page = await newcomer.get(f"/invite/{token}")
        assert page.status_code == 200
        assert "Nia New" in page.text
        short = await newcomer.post(
            f"/invite/{token}", {"password": "short one", "password_confirm": "short one"}
        )
        assert short.status_code == 422
        assert "Use at least 12 characters." in short.text
        common = await newcomer.post(
            f"/invite/{token}", {"password": "password1234", "password_confirm": "password1234"}
        )
        assert "common passwords" in common.text
        mismatch = await newcomer.post(
            f"/invite/{token}",
            {"password": "a fine long password", "password_confirm": "a different one!!"},
        )
        assert "not the same" in mismatch.text
        done = await newcomer.post(
            f"/invite/{token}",
            {"password": "a fine long password", "password_confirm": "a fine long password"},
        )
        assert done.status_code == 303
        home = await newcomer.get("/")
        assert "Hello, Nia New" in home.text
        assert "Your password is set" in home.text
        # The link works once.
        assert (await newcomer.get(f"/invite/{token}")).status_code == 404


async def test_it_lets_a_link_expire_after_24_hours(
    client: Client, cast: Cast, frozen_clock: object
) -> None:
    await client.force_login(cast.admin)
    _, html = await _invite(client, cast, role="resident")
    token = _link_token(html)
    clock.advance(dt.timedelta(hours=23, minutes=59))
    assert (await client.get(f"/invite/{token}")).status_code == 200
    clock.advance(dt.timedelta(minutes=2))
    assert (await client.get(f"/invite/{token}")).status_code == 404
    response = await client.post(
        f"/invite/{token}",
        {"password": "a fine long password", "password_confirm": "a fine long password"},
    )
    assert response.status_code == 404


async def test_it_replaces_the_old_link_when_a_new_one_is_made(client: Client, cast: Cast) -> None:
    await client.force_login(cast.admin)
    email = f"{unique('nia')}@house.test"
    _, html = await _invite(client, cast, email=email)
    old = _link_token(html)
    user_id = (await User.select(User.id).where(User.email == email).first() or {})["id"]
    again = await client.post(f"/admin/users/{user_id}/invite")
    new = _link_token(again.text)
    assert new != old
    assert (await client.get(f"/invite/{old}")).status_code == 404
    assert (await client.get(f"/invite/{new}")).status_code == 200


HOSTILE = [
    ({"name": ""}, "name", "Enter a name."),
    ({"name": "x" * 121}, "name", "Use at most 120 characters"),
    ({"name": "x" * 10_001}, "name", "Use at most 120 characters"),
    ({"name": "😀" * 121}, "name", "Use at most 120 characters"),
    ({"email": ""}, "email", "Enter an email."),
    ({"email": "not-an-email"}, "email", "Enter an email address like"),
    ({"email": "javascript:alert(1)"}, "email", "Enter an email address like"),
    ({"email": "a@b.c" + "x" * 300}, "email", "Use at most 254 characters"),
    ({"role": "superuser"}, "role", "Choose a role."),
    ({"role": ""}, "role", "Choose a role."),
    ({"houses": ["999999999"]}, "houses", "Choose houses from the list."),
    ({"houses": ["1; DROP TABLE app_user"]}, "houses", "Choose houses from the list."),
    ({"houses": ["NaN"]}, "houses", "Choose houses from the list."),
    ({"houses": []}, "houses", "Choose at least one house."),
    ({"role": "resident", "houses": ["A", "B"]}, "houses", "A resident lives in one house."),
]


@pytest.mark.parametrize(("fields", "field", "message"), HOSTILE, ids=lambda v: str(v)[:30])
async def test_it_answers_bad_input_by_the_field_and_stores_nothing(
    client: Client, cast: Cast, fields: dict[str, object], field: str, message: str
) -> None:
    await client.force_login(cast.admin)
    houses = fields.get("houses")
    if houses == ["A", "B"]:
        fields = {**fields, "houses": [str(cast.house_a), str(cast.house_b)]}
    email = f"{unique('bad')}@house.test"
    before = await User.count()
    status, html = await _invite(client, cast, **{"email": email, **fields})  # type: ignore[arg-type]
    assert status == 422
    assert f'id="f-{field}-error"' in html
    assert message in html
    assert await User.count() == before
    if "email" not in fields:
        assert f'value="{email}"' in html  # what was typed comes back


async def test_it_cleans_invisible_characters_and_escapes_markup_in_names(
    client: Client, cast: Cast
) -> None:
    await client.force_login(cast.admin)
    email = f"{unique('odd')}@house.test"
    status, _ = await _invite(
        client, cast, email=email, name="Ma\u202eria\u200b <b>{{7*7}}</b>\x00"
    )
    assert status == 200
    user = await User.select(User.name).where(User.email == email).first()
    assert user is not None
    assert user["name"] == "Maria <b>{{7*7}}</b>"
    listing = (await client.get("/admin/users")).text
    assert "Maria &lt;b&gt;{{7*7}}&lt;/b&gt;" in listing


async def test_it_ignores_extra_fields_and_makes_one_account_on_a_double_submit(
    client: Client, cast: Cast
) -> None:
    await client.force_login(cast.admin)
    email = f"{unique('twice')}@house.test"
    first, _ = await _invite(
        client, cast, email=email, role="resident", is_active="false", password_hash="x"
    )
    second, html = await _invite(client, cast, email=email, role="resident")
    assert first == 200
    assert second == 422
    assert "already has an account" in html
    rows = await User.select(User.is_active, User.password_hash, User.role).where(
        User.email == email
    )
    assert rows == [{"is_active": True, "password_hash": "", "role": "resident"}]


@pytest.mark.parametrize(
    ("password", "confirm", "field", "message"),
    [
        ("", "", "password", "Choose a password."),
        ("a" * 257, "a" * 257, "password", "Use at most 256 characters."),
        ("a long password\x00!", "a long password\x00!", "password", "cannot be used"),
        ("a long password!!", "", "password_confirm", "not the same"),
        ("qwertyuiop123", "qwertyuiop123", "password", "common passwords"),
    ],
)
async def test_it_answers_a_bad_new_password_by_the_field_and_keeps_the_link(
    client: Client, cast: Cast, password: str, confirm: str, field: str, message: str
) -> None:
    await client.force_login(cast.admin)
    _, html = await _invite(client, cast, role="manager")
    token = _link_token(html)
    async with Client(client.http._transport.app) as newcomer:  # type: ignore[attr-defined]
        response = await newcomer.post(
            f"/invite/{token}", {"password": password, "password_confirm": confirm}
        )
        assert response.status_code == 422
        assert f'id="f-{field}-error"' in response.text
        assert message in response.text
        if password:
            assert f'value="{password[:10]}' not in response.text  # never echoed back
        assert (await newcomer.get(f"/invite/{token}")).status_code == 200  # still usable


async def test_it_accepts_a_double_submitted_password_once(client: Client, cast: Cast) -> None:
    await client.force_login(cast.admin)
    _, html = await _invite(client, cast, role="resident")
    token = _link_token(html)
    form = {"password": "eight chars ok", "password_confirm": "eight chars ok"}
    async with Client(client.http._transport.app) as newcomer:  # type: ignore[attr-defined]
        first = await newcomer.post(f"/invite/{token}", form)
        second = await newcomer.post(f"/invite/{token}", form)
    assert first.status_code == 303
    assert second.status_code == 404
