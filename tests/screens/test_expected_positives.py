"""Outcome rules: a positive covered by a current prescription is expected, never use; the
outcome is derived from the results unless the specimen was dilute or invalid."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from house.lib import clock
from house.screens import outcomes, services
from house.screens.setup import services as setup
from house.screens.tables import Prescription, Screen, ScreenResult
from tests.client import Client
from tests.screens.scene import TIMEZONE, Scene, screen_form, values


async def _outcome(screen_id: int) -> str:
    row = await Screen.select(Screen.outcome).where(Screen.id == screen_id).first()
    assert row is not None
    return str(row["outcome"])


async def test_it_records_a_prescribed_positive_as_expected(client: Client, scene: Scene) -> None:
    await client.force_login(scene.manager)
    bup = scene.codes["buprenorphine"]
    response = await client.post(
        f"/houses/{scene.house}/screens", screen_form(scene, **{f"result-{bup}": "positive"})
    )
    assert response.status_code == 303
    screen_id = int(response.headers["location"].rsplit("/", 1)[1])
    assert await _outcome(screen_id) == "expected_positive"
    result = (
        await ScreenResult.select()
        .where(ScreenResult.screen == screen_id, ScreenResult.substance == bup)
        .first()
    )
    prescription = (
        await Prescription.select(Prescription.id)
        .where(Prescription.resident == scene.rae["resident"])
        .first()
    )
    assert result is not None
    assert prescription is not None
    assert (result["result"], result["prescription"]) == ("expected_positive", prescription["id"])
    page = await client.get(f"/screens/{screen_id}")
    assert "Expected positive (prescribed)" in page.text
    assert "Suboxone 8 mg" in page.text


async def test_it_counts_an_unprescribed_positive_as_positive_even_beside_an_expected_one(
    scene: Scene,
) -> None:
    results = {scene.codes["buprenorphine"]: "positive", scene.codes["fentanyl"]: "positive"}
    screen_id = await services.record_screen(
        actor_id=scene.manager.id,
        house_id=scene.house,
        values=values(scene, results=results),
        now=clock.now(),
    )
    assert await _outcome(screen_id) == "positive"
    rows = {
        r["substance"]: r["result"]
        for r in await ScreenResult.select(ScreenResult.substance, ScreenResult.result).where(
            ScreenResult.screen == screen_id
        )
    }
    assert rows[scene.codes["buprenorphine"]] == "expected_positive"
    assert rows[scene.codes["fentanyl"]] == "positive"


async def test_it_does_not_cover_another_resident_or_an_ended_prescription(scene: Scene) -> None:
    bup = {scene.codes["buprenorphine"]: "positive"}
    neighbour = await services.record_screen(
        actor_id=scene.manager.id,
        house_id=scene.house,
        values=values(scene, resident=scene.ned["resident"], results=bup),
        now=clock.now(),
    )
    assert await _outcome(neighbour) == "positive"
    prescription = (
        await Prescription.select(Prescription.id)
        .where(Prescription.resident == scene.rae["resident"])
        .first()
    )
    assert prescription is not None
    await setup.end_prescription(
        actor_id=scene.manager.id,
        prescription_id=prescription["id"],
        ends_on=scene.today - dt.timedelta(days=2),
        reason="Tapered off",
        now=clock.now(),
    )
    ended = await services.record_screen(
        actor_id=scene.manager.id,
        house_id=scene.house,
        values=values(scene, results=bup),
        now=clock.now(),
    )
    assert await _outcome(ended) == "positive"
    # A screen collected while it was current is still expected.
    earlier = clock.now() - dt.timedelta(days=4)
    covered = await services.record_screen(
        actor_id=scene.manager.id,
        house_id=scene.house,
        values=values(
            scene,
            results=bup,
            collected_at=earlier,
            collected_on=earlier.astimezone(ZoneInfo(TIMEZONE)).date(),
        ),
        now=clock.now(),
    )
    assert await _outcome(covered) == "expected_positive"


async def test_it_takes_dilute_and_invalid_from_the_manager_over_the_results(
    scene: Scene,
) -> None:
    for specimen in ("dilute", "invalid"):
        screen_id = await services.record_screen(
            actor_id=scene.manager.id,
            house_id=scene.house,
            values=values(scene, specimen=specimen, results={scene.codes["thc"]: "positive"}),
            now=clock.now(),
        )
        assert await _outcome(screen_id) == specimen


def test_it_derives_the_outcome_in_order() -> None:
    assert outcomes.derive([], "") == "negative"
    assert outcomes.derive(["negative", "expected_positive"], "") == "expected_positive"
    assert outcomes.derive(["expected_positive", "positive"], "") == "positive"
    assert outcomes.derive(["positive"], "dilute") == "dilute"
    assert outcomes.derive([], "refused") == "refused"
