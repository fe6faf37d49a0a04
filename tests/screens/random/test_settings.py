"""A house's random-screen settings: saved by the field, refused by the field with what was
typed kept (422) and nothing stored, markup escaped, a stale page refused, a double submit
harmless, a missing CSRF token refused."""

from __future__ import annotations

from typing import Any

import pytest

from house.houses.tables import House
from tests.cast import Cast
from tests.client import Client
from tests.screens.random.helpers import random_house

FIELDS = (
    "random_enabled",
    "random_rate_kind",
    "random_rate",
    "random_draw_time",
    "random_weekly_cap",
    "random_exclusion_hours",
    "version",
)
VALID = {
    "random_enabled": "yes",
    "random_rate_kind": "share",
    "random_rate": "25",
    "random_draw_time": "07:30",
    "random_weekly_cap": "3",
    "random_exclusion_hours": "72",
}


async def _stored(house: int) -> dict[str, Any]:
    row = await House.select(*[getattr(House, f) for f in FIELDS]).where(House.id == house)
    return dict(row[0])


async def test_it_saves_the_settings_and_shows_them(client: Client) -> None:
    setup = await random_house(residents=0, enabled=False)
    await client.force_login(setup["manager"])
    form = await client.get(f"/houses/{setup['house']}/draws/settings")
    assert form.status_code == 200
    assert 'name="version" value="1"' in form.text
    saved = await client.post(f"/houses/{setup['house']}/draws/settings", {**VALID, "version": "1"})
    assert saved.status_code == 303
    assert saved.headers["location"] == f"/houses/{setup['house']}/draws"
    assert await _stored(setup["house"]) == {
        "random_enabled": True,
        "random_rate_kind": "share",
        "random_rate": 25,
        "random_draw_time": "07:30",
        "random_weekly_cap": 3,
        "random_exclusion_hours": 72,
        "version": 2,
    }
    listing = await client.get(f"/houses/{setup['house']}/draws")
    assert "Settings saved. Random screens are on." in listing.text
    assert "25 % of current residents a day, drawn at 07:30" in listing.text
    # Unticked: off again.
    off = {k: v for k, v in VALID.items() if k != "random_enabled"}
    await client.post(f"/houses/{setup['house']}/draws/settings", {**off, "version": "2"})
    assert (await _stored(setup["house"]))["random_enabled"] is False


HOSTILE = [
    ({"random_rate_kind": ""}, "random_rate_kind", "Choose a number or a share."),
    ({"random_rate_kind": "<script>"}, "random_rate_kind", "Choose a number or a share."),
    ({"random_rate_kind": "count", "random_rate": "51"}, "random_rate", "from 0 to 50"),
    ({"random_rate_kind": "count", "random_rate": "-1"}, "random_rate", "from 0 to 50"),
    ({"random_rate_kind": "share", "random_rate": "0"}, "random_rate", "percentage from 1 to 100"),
    ({"random_rate_kind": "share", "random_rate": "101"}, "random_rate", "from 1 to 100"),
    ({"random_rate": "two"}, "random_rate", "from 1 to 100"),
    ({"random_rate": "9" * 500}, "random_rate", "from 1 to 100"),
    ({"random_rate": ""}, "random_rate", "from 1 to 100"),
    ({"random_draw_time": ""}, "random_draw_time", "Enter the time of the draw."),
    ({"random_draw_time": "24:00"}, "random_draw_time", "Enter a time like 06:00."),
    ({"random_draw_time": "6am"}, "random_draw_time", "Enter a time like 06:00."),
    ({"random_draw_time": "x" * 400}, "random_draw_time", "Use at most 5 characters"),
    ({"random_weekly_cap": "8"}, "random_weekly_cap", "from 0 to 7"),
    ({"random_weekly_cap": "1.5"}, "random_weekly_cap", "from 0 to 7"),
    ({"random_exclusion_hours": "169"}, "random_exclusion_hours", "from 0 to 168"),
    ({"random_exclusion_hours": "<b>1</b>"}, "random_exclusion_hours", "from 0 to 168"),
]


@pytest.mark.parametrize(("fields", "field", "message"), HOSTILE, ids=lambda v: str(v)[:30])
async def test_it_answers_bad_settings_by_the_field_and_stores_nothing(
    client: Client, fields: dict[str, str], field: str, message: str
) -> None:
    setup = await random_house(residents=0, enabled=False)
    await client.force_login(setup["manager"])
    before = await _stored(setup["house"])
    response = await client.post(
        f"/houses/{setup['house']}/draws/settings", {**VALID, "version": "1", **fields}
    )
    assert response.status_code == 422
    assert f'id="f-{field}-error"' in response.text
    assert message in response.text
    assert await _stored(setup["house"]) == before
    # What was typed comes back (escaped), the rest of the form too.
    typed = fields.get(field, "")
    if field in ("random_rate", "random_draw_time", "random_exclusion_hours") and len(typed) < 20:
        escaped = typed.replace("<", "&lt;").replace(">", "&gt;")
        assert f'value="{escaped}"' in response.text
    assert "<script>" not in response.text.split("<main", 1)[1]
    if field != "random_draw_time":
        assert 'value="07:30"' in response.text


async def test_it_refuses_a_stale_page_but_not_a_double_submit(client: Client) -> None:
    setup = await random_house(residents=0, enabled=False)
    await client.force_login(setup["manager"])
    url = f"/houses/{setup['house']}/draws/settings"
    first = await client.post(url, {**VALID, "version": "1"})
    twice = await client.post(url, {**VALID, "version": "1"})
    assert (first.status_code, twice.status_code) == (303, 303)
    assert (await _stored(setup["house"]))["version"] == 2
    stale = await client.post(url, {**VALID, "random_rate": "50", "version": "1"})
    assert stale.status_code == 422
    assert "after you opened the page" in stale.text
    assert 'name="version" value="2"' in stale.text
    assert 'value="50"' in stale.text
    assert (await _stored(setup["house"]))["random_rate"] == 25
    no_version = await client.post(url, {**VALID, "random_rate": "50"})
    assert no_version.status_code == 422
    assert "This form is out of date. Reload the page and try again." in no_version.text


async def test_it_refuses_without_csrf_and_for_another_house(client: Client, cast: Cast) -> None:
    setup = await random_house(residents=0, enabled=False)
    await client.force_login(setup["manager"])
    url = f"/houses/{setup['house']}/draws/settings"
    no_token = await client.post(url, {**VALID, "version": "1"}, csrf=False)
    assert no_token.status_code == 403
    await client.force_login(cast.manager_a)
    other = await client.post(url, {**VALID, "version": "1"})
    assert other.status_code == 404
    assert (await _stored(setup["house"]))["version"] == 1
