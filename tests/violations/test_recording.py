"""A manager records a violation; staff list, correct and resolve it; nothing is deleted."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from house.amendments.tables import Amendment
from house.violations.tables import Violation
from tests.cast import Cast
from tests.client import Client
from tests.factories import make_house, make_resident_in
from tests.violations.scene import Scene, violation_form


async def test_it_records_a_violation_and_lists_it_open_first(client: Client, scene: Scene) -> None:
    await client.force_login(scene.manager)
    form = await client.get(f"/houses/{scene.house}/violations/new")
    assert form.status_code == 200
    assert "No guests after 9 pm." in form.text
    assert "Discharge review" in form.text  # the house's ladder, a setting

    response = await client.post(f"/houses/{scene.house}/violations", violation_form(scene))
    assert response.status_code == 303
    row = await Violation.select().where(Violation.stay == scene.stay).first()
    assert row is not None
    assert (row["severity"], row["consequence"], row["status"]) == ("minor", "Warning", "open")
    assert row["recorded_by"] == scene.manager.id
    assert row["description"] == "Had a guest over after 9 pm.\nAsked to leave at 21:50."
    # 21:40 in Chicago is stored in UTC.
    local = row["occurred_at"].astimezone(dt.timezone(dt.timedelta(hours=-6)))
    assert local.hour in (21, 22)
    assert response.headers["location"] == f"/violations/{row['id']}"

    listing = await client.get(f"/houses/{scene.house}/violations")
    assert f'id="violation-{row["id"]}"' in listing.text
    assert "Rae" in listing.text


async def test_it_uses_the_house_ladder_not_a_fixed_list(client: Client, scene: Scene) -> None:
    await client.force_login(scene.manager)
    from house.houses.tables import House

    await House.update({House.consequence_ladder: "Talk\nWrite an essay"}).where(
        House.id == scene.house
    )
    refused = await client.post(
        f"/houses/{scene.house}/violations", violation_form(scene, consequence="Warning")
    )
    assert refused.status_code == 422
    assert "Choose a consequence from the house" in refused.text
    ok = await client.post(
        f"/houses/{scene.house}/violations", violation_form(scene, consequence="Write an essay")
    )
    assert ok.status_code == 303


def _hostile(scene: Scene) -> list[tuple[dict[str, str], str, str]]:
    tomorrow = (scene.yesterday + dt.timedelta(days=2)).isoformat()
    return [
        ({"stay": ""}, "stay", "Choose who it was."),
        ({"stay": "abc"}, "stay", "Choose who it was."),
        ({"rule": "1e9"}, "rule", "Choose the rule that was broken."),
        ({"occurred_on": ""}, "occurred_on", "Enter the date it happened"),
        ({"occurred_on": "2026-02-30"}, "occurred_on", "Enter the date it happened"),
        ({"occurred_on": tomorrow}, "occurred_on", "That time has not come yet."),
        ({"occurred_on": "2025-01-01"}, "occurred_on", "Record violations within 30 days."),
        (
            {"occurred_on": (scene.yesterday - dt.timedelta(days=6)).isoformat()},
            "occurred_on",
            "moved in on",
        ),
        ({"occurred_time": "25:00"}, "occurred_time", "Enter the time"),
        ({"description": ""}, "description", "Enter what happened."),
        ({"description": "x" * 2001}, "description", "Use at most 2000 characters"),
        ({"location": "y" * 121}, "location", "Use at most 120 characters"),
        ({"severity": "apocalyptic"}, "severity", "Choose how serious it was."),
        ({"consequence": ""}, "consequence", "Choose a consequence"),
        ({"consequence": "<script>alert(1)</script>"}, "consequence", "Choose a consequence"),
        ({"form_token": ""}, "form", "This form is out of date."),
    ]


async def test_it_answers_bad_input_by_the_field_keeps_it_and_stores_nothing(
    client: Client, scene: Scene
) -> None:
    await client.force_login(scene.manager)
    for fields, field, message in _hostile(scene):
        response = await client.post(
            f"/houses/{scene.house}/violations", violation_form(scene, **fields)
        )
        assert response.status_code == 422, fields
        assert message in response.text, fields
        if field != "form":
            assert f'id="f-{field}-error"' in response.text, fields
        if field != "location":
            assert "Living room" in response.text, fields  # what was typed is kept
    assert await Violation.count().where(Violation.house == scene.house) == 0


async def test_it_refuses_another_houses_resident_and_rule(
    client: Client, scene: Scene, cast: Cast
) -> None:
    elsewhere = await make_house()
    stranger = await make_resident_in(elsewhere, cast.admin.id)
    await client.force_login(scene.manager)
    for fields, message in (
        ({"stay": str(stranger["stay"])}, "Choose someone who lives in this house."),
        ({"rule": "2000000000"}, "Choose a rule from the house&#39;s current rules."),
    ):
        response = await client.post(
            f"/houses/{scene.house}/violations", violation_form(scene, **fields)
        )
        assert response.status_code == 422
        assert message in response.text
    # And another house's form is not reachable at all.
    assert (await client.get(f"/houses/{elsewhere}/violations/new")).status_code == 404
    assert await Violation.count() == await Violation.count().where(Violation.house != elsewhere)


async def test_it_escapes_markup_and_records_a_double_submit_once(
    client: Client, scene: Scene
) -> None:
    await client.force_login(scene.manager)
    data = violation_form(scene, description="<script>alert('x')</script> in the kitchen")
    first = await client.post(f"/houses/{scene.house}/violations", data)
    second = await client.post(f"/houses/{scene.house}/violations", data)
    assert first.status_code == second.status_code == 303
    assert first.headers["location"] == second.headers["location"]
    assert await Violation.count().where(Violation.house == scene.house) == 1
    page = await client.get(first.headers["location"])
    assert "&lt;script&gt;alert(" in page.text
    assert "<script>alert(" not in page.text


async def test_it_refuses_a_post_without_the_csrf_token(app: Any, scene: Scene) -> None:
    async with Client(app) as client:
        await client.force_login(scene.manager)
        response = await client.post(
            f"/houses/{scene.house}/violations", violation_form(scene), csrf=False
        )
    assert response.status_code == 403
    assert await Violation.count().where(Violation.house == scene.house) == 0


async def test_it_corrects_by_amendment_and_resolves_once(client: Client, scene: Scene) -> None:
    await client.force_login(scene.manager)
    created = await client.post(f"/houses/{scene.house}/violations", violation_form(scene))
    url = created.headers["location"]
    violation_id = int(url.rsplit("/", 1)[1])

    bad = await client.post(
        f"{url}/amend", {"field": "consequence", "value": "Hug", "reason": "typo", "version": "1"}
    )
    assert bad.status_code == 422
    assert "Choose a consequence from the house" in bad.text
    no_reason = await client.post(
        f"{url}/amend", {"field": "severity", "value": "major", "version": "1"}
    )
    assert no_reason.status_code == 422
    assert "Enter why it is corrected." in no_reason.text

    fixed = await client.post(
        f"{url}/amend",
        {"field": "severity", "value": "major", "reason": "It was the third time.", "version": "1"},
    )
    assert fixed.status_code == 303
    row = await Violation.select(Violation.severity).where(Violation.id == violation_id).first()
    assert row == {"severity": "major"}
    amendment = (
        await Amendment.select()
        .where(Amendment.table_name == "violation", Amendment.record_id == violation_id)
        .first()
    )
    assert amendment is not None
    assert (amendment["old_value"], amendment["new_value"]) == ("minor", "major")
    assert amendment["actor"] == scene.manager.id
    page = await client.get(url)
    assert "It was the third time." in page.text

    assert (await client.post(f"{url}/resolve", {})).status_code == 303
    again = await client.post(f"{url}/resolve", {})
    assert again.status_code == 303
    row = (
        await Violation.select(Violation.status, Violation.resolved_by)
        .where(Violation.id == violation_id)
        .first()
    )
    assert row == {"status": "resolved", "resolved_by": scene.manager.id}


@pytest.mark.parametrize("count", [2, 12])
async def test_it_lists_a_house_in_the_same_number_of_queries(
    client: Client, scene: Scene, queries: Any, count: int
) -> None:
    from house.violations import services

    for _ in range(count):
        await services.record_violation(
            actor_id=scene.manager.id,
            house_id=scene.house,
            values={
                "stay": scene.stay,
                "rule": scene.rule,
                "occurred_on": scene.yesterday,
                "occurred_at": dt.datetime.combine(scene.yesterday, dt.time(12), dt.UTC),
                "location": "",
                "description": "late",
                "severity": "minor",
                "consequence": "Warning",
            },
            now=dt.datetime.now(dt.UTC),
        )
    await client.force_login(scene.manager)
    with queries() as q:
        response = await client.get(f"/houses/{scene.house}/violations")
    assert response.status_code == 200
    assert response.text.count('class="row" id="violation-') == count
    assert q.count <= 6  # session + house + list, whatever the number of rows
