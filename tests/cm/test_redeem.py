"""Redeeming: a manager records what the resident chose and its value; never more than the
balance (even two posts at once), once per form, nothing stored from a bad form."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from house.cm import ledger, services
from house.cm.tables import CmEntry
from house.lib import clock
from house.lib.errors import DomainError
from tests.cast import Cast
from tests.client import Client, form_value
from tests.cm.kit import Scene, make_scene, screen


async def _redeemed(scene: Scene) -> list[tuple[int, str]]:
    rows = (
        await CmEntry.select(CmEntry.amount, CmEntry.description)
        .where(CmEntry.resident == scene.resident_id, CmEntry.kind == "redeemed")
        .order_by(CmEntry.id)
    )
    return [(r["amount"], r["description"]) for r in rows]


async def _opened(client: Client, scene: Scene) -> str:
    page = await client.get(f"/residents/{scene.resident_id}/cm")
    token = form_value(page.text, "form_token")
    assert token
    return token


async def test_it_records_a_redemption_once_however_often_it_is_sent(client: Client) -> None:
    scene = await make_scene()
    await screen(scene, "negative")
    await screen(scene, "negative")  # balance $6.50
    await client.force_login(scene.manager)
    token = await _opened(client, scene)
    form = {"what": "Bus pass", "value": "$5.25", "form_token": token}
    first = await client.post(f"/residents/{scene.resident_id}/cm/redeem", form)
    assert first.status_code == 303
    again = await client.post(f"/residents/{scene.resident_id}/cm/redeem", form)
    assert again.status_code == 303
    assert await _redeemed(scene) == [(-525, "Bus pass")]
    page = await client.get(first.headers["location"])
    assert "Redeemed $5.25: Bus pass." in page.text
    assert 'id="cm-balance">$1.25<' in page.text
    row = await CmEntry.select(CmEntry.created_by).where(CmEntry.amount == -525).first()
    assert row is not None
    assert row["created_by"] == scene.manager.id


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        ({"what": "", "value": "1"}, "what", "Enter what they chose."),
        ({"what": "x" * 121, "value": "1"}, "what", "Use at most 120 characters"),
        ({"what": "Card", "value": ""}, "value", "more than $0.00"),
        ({"what": "Card", "value": "0"}, "value", "more than $0.00"),
        ({"what": "Card", "value": "-3"}, "value", "more than $0.00"),
        ({"what": "Card", "value": "ten"}, "value", "more than $0.00"),
        ({"what": "Card", "value": "1.234"}, "value", "more than $0.00"),
        ({"what": "Card", "value": "1e3"}, "value", "more than $0.00"),
        ({"what": "Card", "value": "9" * 40}, "value", "more than $0.00"),
        ({"what": "Card", "value": "6.51"}, "value", "The balance is $6.50: redeem at most that."),
        ({"what": "Card", "value": "2026-01-01"}, "value", "more than $0.00"),
    ],
)
async def test_it_answers_a_bad_redemption_by_the_field_and_stores_nothing(
    client: Client, form: dict[str, str], field: str, message: str
) -> None:
    scene = await make_scene()
    await screen(scene, "negative")
    await screen(scene, "negative")
    await client.force_login(scene.manager)
    token = await _opened(client, scene)
    response = await client.post(
        f"/residents/{scene.resident_id}/cm/redeem", {**form, "form_token": token}
    )
    assert response.status_code == 422
    error = response.text.split(f'id="f-{field}-error">')[1].split("</p>")[0]
    assert message in error
    # What was typed comes back (the value field keeps at most 20 characters).
    assert form_value(response.text, field) == form[field][: 240 if field == "what" else 20]
    assert await _redeemed(scene) == []


async def test_it_keeps_what_was_typed_and_escapes_markup_in_an_error(client: Client) -> None:
    scene = await make_scene()
    await screen(scene, "negative")
    await client.force_login(scene.manager)
    token = await _opened(client, scene)
    response = await client.post(
        f"/residents/{scene.resident_id}/cm/redeem",
        {"what": '<b onmouseover="x()">Card</b>', "value": "abc", "form_token": token},
    )
    assert response.status_code == 422
    assert '<b onmouseover="x()">' not in response.text
    assert "&lt;b onmouseover=&#34;x()&#34;&gt;Card&lt;/b&gt;" in response.text
    assert form_value(response.text, "value") == "abc"


async def test_it_refuses_a_redemption_without_a_form_token_or_csrf(client: Client) -> None:
    scene = await make_scene()
    await screen(scene, "negative")
    await client.force_login(scene.manager)
    url = f"/residents/{scene.resident_id}/cm/redeem"
    no_token = await client.post(url, {"what": "Card", "value": "1"})
    assert no_token.status_code == 422
    assert "This form is out of date" in no_token.text
    token = await _opened(client, scene)
    no_csrf = await client.post(
        url, {"what": "Card", "value": "1", "form_token": token}, csrf=False
    )
    assert no_csrf.status_code == 403
    assert await _redeemed(scene) == []


async def test_it_answers_another_houses_resident_with_404(client: Client, cast: Cast) -> None:
    scene = await make_scene()
    await screen(scene, "negative")
    await client.force_login(cast.manager_a)
    assert (await client.get(f"/residents/{scene.resident_id}/cm")).status_code == 404
    response = await client.post(
        f"/residents/{scene.resident_id}/cm/redeem",
        {"what": "Card", "value": "1", "form_token": "t" * 32},
    )
    assert response.status_code == 404
    assert await _redeemed(scene) == []


async def test_it_never_spends_more_than_the_balance_with_two_posts_at_once(app: Any) -> None:
    scene = await make_scene()
    await screen(scene, "negative")
    await screen(scene, "negative")  # $6.50

    async def spend() -> str:
        try:
            await services.redeem(
                actor_id=scene.manager.id,
                resident_id=scene.resident_id,
                house_id=scene.house,
                stay_id=scene.ids["stay"],
                what="Gift card",
                cents=500,
                now=clock.now(),
            )
        except DomainError as exc:
            return exc.message
        return "ok"

    results = await asyncio.gather(*(spend() for _ in range(4)))
    assert sorted(results) == ["The balance is $1.50: redeem at most that."] * 3 + ["ok"]
    assert await ledger.balance(scene.resident_id, scene.house) == 150


async def test_it_answers_two_taps_of_the_same_form_at_once_with_one_redemption(
    client: Client, app: Any
) -> None:
    scene = await make_scene()
    await screen(scene, "negative")
    await screen(scene, "negative")
    await client.force_login(scene.manager)
    token = await _opened(client, scene)
    form = {"what": "Coffee card", "value": "2", "form_token": token}
    url = f"/residents/{scene.resident_id}/cm/redeem"
    answers = await asyncio.gather(client.post(url, form), client.post(url, form))
    assert [a.status_code for a in answers] == [303, 303]
    assert await _redeemed(scene) == [(-200, "Coffee card")]
