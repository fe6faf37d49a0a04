"""A house's CM settings: the schedule, voucher amounts, the bowl in percent, prize values,
meetings; every bad value answered by its field with nothing saved."""

from __future__ import annotations

import html

import pytest

from house.audit.tables import AuditEvent
from house.houses.tables import House
from tests.cast import Cast
from tests.client import Client, form_value
from tests.cm.kit import make_scene

GOOD = {
    "schedule": "prizes",
    "voucher_start": "3",
    "voucher_step": "1.50",
    "voucher_max": "$40",
    "bonus_every": "4",
    "bonus": "12.5",
    "draws_max": "10",
    "bowl_good_job": "45",
    "bowl_small": "45.5",
    "bowl_large": "9.3",
    "bowl_jumbo": "0.2",
    "prize_small": "1",
    "prize_large": "20",
    "prize_jumbo": "100",
    "meetings_earn": "yes",
    "meeting_amount": "0.75",
}


async def _house(house: int) -> dict[str, object]:
    row = await House.select().where(House.id == house).first()
    assert row is not None
    return row


async def _form(client: Client, house: int) -> dict[str, str]:
    page = await client.get(f"/houses/{house}/cm/settings")
    assert page.status_code == 200
    version = form_value(page.text, "version")
    assert version
    return {**GOOD, "version": version}


async def test_it_saves_the_settings_in_cents_and_slips(client: Client) -> None:
    scene = await make_scene(settings={House.cm_schedule: ""})
    await client.force_login(scene.manager)
    saved = await client.post(
        f"/houses/{scene.house}/cm/settings", await _form(client, scene.house)
    )
    assert saved.status_code == 303
    house = await _house(scene.house)
    assert {k: house[k] for k in house if str(k).startswith("cm_")} == {
        "cm_schedule": "prizes",
        "cm_voucher_start": 300,
        "cm_voucher_step": 150,
        "cm_voucher_max": 4000,
        "cm_bonus_every": 4,
        "cm_bonus": 1250,
        "cm_draws_max": 10,
        "cm_bowl_good_job": 450,
        "cm_bowl_small": 455,
        "cm_bowl_large": 93,
        "cm_bowl_jumbo": 2,
        "cm_prize_small": 100,
        "cm_prize_large": 2000,
        "cm_prize_jumbo": 10000,
        "cm_meetings_earn": True,
        "cm_meeting_amount": 75,
    }
    assert await AuditEvent.exists().where(
        AuditEvent.action == "cm_settings_changed", AuditEvent.record == f"house:{scene.house}"
    )
    # The form shows what was saved.
    page = await client.get(f"/houses/{scene.house}/cm/settings")
    assert form_value(page.text, "bowl_small") == "45.5"
    assert form_value(page.text, "voucher_max") == "40.00"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"schedule": "cash"}, "schedule", "Choose off, vouchers or prizes."),
        ({"voucher_start": ""}, "voucher_start", "from $0.01"),
        ({"voucher_start": "0"}, "voucher_start", "from $0.01"),
        ({"voucher_step": "-1"}, "voucher_step", "in dollars and cents"),
        ({"voucher_step": "1.005"}, "voucher_step", "in dollars and cents"),
        ({"voucher_max": "1000.01"}, "voucher_max", "in dollars and cents"),
        ({"voucher_max": "2.99"}, "voucher_max", "The maximum cannot be below the first voucher."),
        ({"bonus_every": "x"}, "bonus_every", "from 0 (no bonus) to 52"),
        ({"bonus_every": "53"}, "bonus_every", "from 0 (no bonus) to 52"),
        ({"draws_max": "0"}, "draws_max", "from 1 to 50"),
        ({"draws_max": "2026-11-26"}, "draws_max", "from 1 to 50"),
        ({"bowl_small": "45.55"}, "bowl_small", "at most one decimal"),
        ({"bowl_small": "101"}, "bowl_small", "from 0 to 100"),
        ({"bowl_small": "<script>"}, "bowl_small", "from 0 to 100"),
        ({"bowl_small": "45.4"}, "bowl", "add up to 99.9 %; they must add up to 100.0 %."),
        ({"prize_jumbo": "1" * 300}, "prize_jumbo", "in dollars and cents"),
        ({"meeting_amount": "abc"}, "meeting_amount", "in dollars and cents"),
    ],
)
async def test_it_answers_a_bad_setting_by_its_field_and_saves_nothing(
    client: Client, changes: dict[str, str], field: str, message: str
) -> None:
    scene = await make_scene()
    await client.force_login(scene.manager)
    before = await _house(scene.house)
    form = {**await _form(client, scene.house), **changes}
    response = await client.post(f"/houses/{scene.house}/cm/settings", form)
    assert response.status_code == 422
    error = response.text.split(f'id="f-{field}-error">')[1].split("</p>")[0]
    assert message in error
    assert "<script>" not in response.text.split("<main")[1]
    typed = next(iter(changes.values()))
    if field != "schedule":
        assert form_value(response.text, next(iter(changes))) == html.escape(typed[:20])
    assert await _house(scene.house) == before


async def test_it_refuses_a_stale_form_and_one_without_its_version(client: Client) -> None:
    scene = await make_scene()
    await client.force_login(scene.manager)
    form = await _form(client, scene.house)
    assert (await client.post(f"/houses/{scene.house}/cm/settings", form)).status_code == 303
    stale = await client.post(
        f"/houses/{scene.house}/cm/settings", {**form, "schedule": "vouchers"}
    )
    assert stale.status_code == 422
    assert "changed this house today at" in stale.text
    missing = await client.post(
        f"/houses/{scene.house}/cm/settings", {k: v for k, v in form.items() if k != "version"}
    )
    assert missing.status_code == 422
    assert "This form is out of date" in missing.text
    no_csrf = await client.post(f"/houses/{scene.house}/cm/settings", form, csrf=False)
    assert no_csrf.status_code == 403
    assert (await _house(scene.house))["cm_schedule"] == "prizes"


async def test_it_answers_another_houses_settings_with_404(client: Client, cast: Cast) -> None:
    scene = await make_scene()
    await client.force_login(cast.manager_a)
    assert (await client.get(f"/houses/{scene.house}/cm/settings")).status_code == 404
    response = await client.post(f"/houses/{scene.house}/cm/settings", {**GOOD, "version": "1"})
    assert response.status_code == 404
    assert (await _house(scene.house))["cm_schedule"] == "vouchers"
