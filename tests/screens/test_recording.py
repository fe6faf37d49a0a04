"""A manager records a screen: what is stored, and what bad input gets."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

from house.screens.tables import Screen, ScreenResult
from tests.cast import Cast
from tests.client import Client
from tests.factories import make_house, make_resident_in
from tests.screens.scene import CUP, Scene, local_now, screen_form


async def test_it_records_a_negative_screen_with_a_result_per_panel_substance(
    client: Client, scene: Scene
) -> None:
    await client.force_login(scene.manager)
    form = await client.get(f"/houses/{scene.house}/screens/new?resident={scene.rae['resident']}")
    assert form.status_code == 200
    assert "12-panel cup" in form.text
    assert "Ketamine" in form.text

    response = await client.post(f"/houses/{scene.house}/screens", screen_form(scene))
    assert response.status_code == 303
    row = await Screen.select().where(Screen.resident == scene.rae["resident"]).first()
    assert row is not None
    assert response.headers["location"] == f"/screens/{row['id']}"
    assert (row["outcome"], row["method"], row["reason"], row["observed"]) == (
        "negative",
        "urine_cup",
        "random",
        True,
    )
    assert (row["collected_by"], row["recorded_by"], row["panel"]) == (
        scene.manager.id,
        scene.manager.id,
        scene.cup,
    )
    assert row["stay"] == scene.rae["stay"]
    assert row["specimen_id"] == "CUP-0042"
    results = await ScreenResult.select(ScreenResult.result).where(ScreenResult.screen == row["id"])
    assert sorted(r["result"] for r in results) == ["negative"] * len(CUP)


async def test_it_records_refused_and_missed_without_a_panel_or_results(
    client: Client, scene: Scene
) -> None:
    await client.force_login(scene.manager)
    for specimen in ("refused", "missed"):
        data = screen_form(scene, specimen=specimen, method="", panel="")
        data = {k: v for k, v in data.items() if not k.startswith("result-")}
        response = await client.post(f"/houses/{scene.house}/screens", data)
        assert response.status_code == 303, response.text[:2000]
    rows = await Screen.select(Screen.id, Screen.outcome, Screen.panel, Screen.method).where(
        Screen.house == scene.house
    )
    assert sorted(r["outcome"] for r in rows) == ["missed", "refused"]
    assert {(r["panel"], r["method"]) for r in rows} == {(None, None)}
    assert await ScreenResult.count().where(ScreenResult.screen.is_in([r["id"] for r in rows])) == 0


async def test_it_records_a_breath_test_with_its_reading(client: Client, scene: Scene) -> None:
    await client.force_login(scene.manager)
    alcohol = scene.codes["alcohol"]
    base = {k: v for k, v in screen_form(scene).items() if not k.startswith("result-")}
    clean = {**base, "method": "breath", "panel": str(scene.breath), "breath": "0.000"}
    drunk = {**clean, "breath": "0.08", "form_token": "another-token-0123456789"}
    assert (await client.post(f"/houses/{scene.house}/screens", clean)).status_code == 303
    assert (await client.post(f"/houses/{scene.house}/screens", drunk)).status_code == 303
    rows = (
        await Screen.select(Screen.id, Screen.outcome, Screen.breath_milli)
        .where(Screen.house == scene.house)
        .order_by(Screen.id)
    )
    assert [(r["outcome"], r["breath_milli"]) for r in rows] == [("negative", 0), ("positive", 80)]
    result = (
        await ScreenResult.select(ScreenResult.result)
        .where(ScreenResult.screen == rows[1]["id"], ScreenResult.substance == alcohol)
        .first()
    )
    assert result == {"result": "positive"}


def _hostile(scene: Scene) -> list[tuple[dict[str, str], str, str]]:
    now = local_now()
    later = now + dt.timedelta(hours=2)
    tomorrow = (now + dt.timedelta(days=1)).date().isoformat()
    first = f"result-{scene.codes[CUP[0]]}"
    return [
        ({"resident": ""}, "resident", "Choose who was screened."),
        ({"resident": "abc"}, "resident", "Choose who was screened."),
        ({"resident": "99999999999999"}, "resident", "Choose who was screened."),
        ({"collected_on": ""}, "collected_on", "Enter the date"),
        ({"collected_on": "2026-02-30"}, "collected_on", "Enter the date"),
        ({"collected_on": "1899-01-01"}, "collected_on", "Enter the date"),
        ({"collected_on": tomorrow}, "collected_on", "That time has not come yet."),
        (
            {"collected_on": later.date().isoformat(), "collected_time": later.strftime("%H:%M")}
            if later.date() == now.date()
            else {"collected_on": tomorrow},
            "collected_on",
            "That time has not come yet.",
        ),
        (
            {"collected_on": (now - dt.timedelta(days=8)).date().isoformat()},
            "collected_on",
            "within 7 days",
        ),
        (
            {
                "collected_on": (
                    scene.today - dt.timedelta(days=11) + dt.timedelta(days=5)
                ).isoformat()
            },
            "collected_on",
            "",
        ),
        ({"collected_time": "25:00"}, "collected_time", "Enter the time"),
        ({"method": "blood"}, "method", "Choose how it was collected."),
        ({"method": ""}, "method", "Choose how it was collected."),
        ({"reason": "<script>alert(1)</script>"}, "reason", "Choose why."),
        ({"specimen": "exploded"}, "specimen", "Choose what happened to the specimen."),
        ({"specimen_id": "x" * 61}, "specimen_id", "Use at most 60 characters"),
        ({"panel": "x1"}, "panel", "Choose the panel that was used."),
        ({"panel": ""}, "panel", "Choose the panel that was used."),
        ({first: "maybe"}, "results", "Choose negative or positive for each substance."),
        ({first: "expected_positive"}, "results", "Choose negative or positive"),
        ({f"result-{scene.codes['pcp']}": "positive"}, "results", "only for the panel"),
        ({"breath": "0.080"}, "breath", "Only a breath test has a reading."),
        ({"breath": "NaN"}, "breath", "between 0.000 and 0.500"),
        ({"breath": "0.9"}, "breath", "between 0.000 and 0.500"),
        ({"note": "n" * 1001}, "note", "Use at most 1000 characters"),
        ({"form_token": ""}, "form", "This form is out of date."),
    ]


async def test_it_answers_bad_input_by_the_field_keeps_it_and_stores_nothing(
    client: Client, scene: Scene
) -> None:
    await client.force_login(scene.manager)
    for fields, field, message in _hostile(scene):
        if field == "collected_on" and not message:
            continue  # the move-in case has its own test
        response = await client.post(f"/houses/{scene.house}/screens", screen_form(scene, **fields))
        assert response.status_code == 422, fields
        assert message in response.text, (fields, response.text[:3000])
        if field not in ("form", "results"):
            assert f'id="f-{field}-error"' in response.text, fields
        if field == "results":
            assert 'id="f-results-error"' in response.text, fields
        if field != "note":
            assert "downstairs bathroom" in response.text, fields  # what was typed is kept
        assert "<script>alert(1)</script>" not in response.text
    assert await Screen.count().where(Screen.house == scene.house) == 0


async def test_it_refuses_a_screen_before_move_in(client: Client, scene: Scene) -> None:
    await client.force_login(scene.manager)
    late = await make_resident_in(scene.house, scene.manager.id, preferred_name="Newcomer")
    yesterday = (local_now() - dt.timedelta(days=1)).date().isoformat()
    response = await client.post(
        f"/houses/{scene.house}/screens",
        screen_form(scene, resident=str(late["resident"]), collected_on=yesterday),
    )
    assert response.status_code == 422
    assert "moved in on" in response.text
    assert await Screen.count().where(Screen.resident == late["resident"]) == 0


async def test_it_refuses_another_houses_resident_and_panel(
    client: Client, scene: Scene, cast: Cast
) -> None:
    from house.lib import clock
    from house.screens.setup import services as setup

    elsewhere = await make_house()
    stranger = await make_resident_in(elsewhere, cast.admin.id)
    their_panel = await setup.save_panel(
        actor_id=cast.admin.id,
        house_id=elsewhere,
        panel_id=None,
        name="Theirs",
        substance_ids=[scene.codes[c] for c in CUP],
        now=clock.now(),
    )
    await client.force_login(scene.manager)
    for fields, message in (
        ({"resident": str(stranger["resident"])}, "Choose someone who lives in this house."),
        ({"panel": str(their_panel)}, "Choose one of this house&#39;s panels."),
    ):
        response = await client.post(f"/houses/{scene.house}/screens", screen_form(scene, **fields))
        assert response.status_code == 422
        assert message in response.text
    assert (await client.get(f"/houses/{elsewhere}/screens/new")).status_code == 404
    refused = await client.post(
        f"/houses/{elsewhere}/screens", screen_form(scene, resident=str(stranger["resident"]))
    )
    assert refused.status_code == 404
    assert await Screen.count().where(Screen.house.is_in([scene.house, elsewhere])) == 0


async def test_it_refuses_a_retired_panel(client: Client, scene: Scene) -> None:
    await client.force_login(scene.manager)
    await client.post(f"/houses/{scene.house}/panels/{scene.cup}/active", {})
    response = await client.post(f"/houses/{scene.house}/screens", screen_form(scene))
    assert response.status_code == 422
    assert await Screen.count().where(Screen.house == scene.house) == 0


async def test_it_records_a_double_submit_once(client: Client, scene: Scene) -> None:
    await client.force_login(scene.manager)
    data = screen_form(scene, note="<script>alert('x')</script> at the door")
    first = await client.post(f"/houses/{scene.house}/screens", data)
    second = await client.post(f"/houses/{scene.house}/screens", data)
    assert first.status_code == second.status_code == 303
    assert first.headers["location"] == second.headers["location"]
    assert await Screen.count().where(Screen.house == scene.house) == 1
    page = await client.get(first.headers["location"])
    assert "&lt;script&gt;alert(" in page.text
    assert "<script>alert(" not in page.text


async def test_it_records_five_simultaneous_submits_once(app: Any, scene: Scene) -> None:
    data = screen_form(scene)

    async def submit() -> int:
        async with Client(app) as client:
            await client.force_login(scene.manager)
            response = await client.post(f"/houses/{scene.house}/screens", data)
            return response.status_code

    codes = await asyncio.gather(*[submit() for _ in range(5)])
    assert set(codes) == {303}
    assert await Screen.count().where(Screen.house == scene.house) == 1


async def test_it_refuses_a_post_without_the_csrf_token(app: Any, scene: Scene) -> None:
    async with Client(app) as client:
        await client.force_login(scene.manager)
        response = await client.post(
            f"/houses/{scene.house}/screens", screen_form(scene), csrf=False
        )
    assert response.status_code == 403
    assert await Screen.count().where(Screen.house == scene.house) == 0
