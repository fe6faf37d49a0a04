"""The immediate rules: a positive, dilute, refused or missed screen and a lab's answer
alert the managers once (through the AlertEvent row written with the screen); an appeal
alerts the admins only, never the managers."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from house.accounts.tables import User
from house.alerts import services as alerts
from house.alerts.tables import Delivery
from house.events import services as emitted
from house.events.tables import AlertEvent
from house.lib import clock
from house.lib.dates import house_today
from house.screens import services
from house.screens.tables import Screen
from tests.alerts.sweep_setup import alerts_of
from tests.client import Client
from tests.factories import make_user
from tests.screens.scene import Scene, make_scene, screen_form, values
from tests.violations.scene import make_scene as make_violation_scene
from tests.violations.scene import violation_form


@pytest.fixture
async def scene(frozen_clock: Any) -> Scene:
    return await make_scene()


async def _screen(scene: Scene, result: str, **changes: object) -> int:
    return await services.record_screen(
        actor_id=scene.manager.id,
        house_id=scene.house,
        values=values(scene, results={scene.codes["fentanyl"]: result}, **changes),
        now=clock.now(),
    )


async def test_it_alerts_the_managers_once_for_a_positive_screen(scene: Scene) -> None:
    screen_id = await _screen(scene, "positive")
    events = await AlertEvent.select().where(AlertEvent.record == f"screen:{screen_id}")
    assert len(events) == 1
    assert events[0]["processed_at"] is None
    assert await alerts.process_events(clock.now()) >= 1
    raised = await alerts_of(scene.house, "screen_result")
    assert [a["key"] for a in raised] == [f"screen_result:screen:{screen_id}"]
    assert raised[0]["severity"] == "critical"
    assert raised[0]["resident"] == scene.rae["resident"]
    assert raised[0]["summary"].endswith(": a positive screen")
    deliveries = await Delivery.select(Delivery.user).where(Delivery.alert == raised[0]["id"])
    assert scene.manager.id in {d["user"] for d in deliveries}
    assert scene.resident.id not in {d["user"] for d in deliveries}

    # The same event again, or a sweep: nothing new.
    await emitted.record_event("screen", f"screen:{screen_id}", scene.house, clock.now())
    await alerts.sweep(clock.now())
    assert len(await alerts_of(scene.house)) == 1


async def test_it_does_not_alert_for_a_negative_or_an_expected_positive(scene: Scene) -> None:
    await _screen(scene, "negative")
    await alerts.sweep(clock.now())
    assert await alerts_of(scene.house) == []


async def test_it_rates_a_dilute_screen_as_attention_and_a_refusal_as_critical(
    client: Client, scene: Scene
) -> None:
    dilute = await _screen(scene, "negative", specimen="dilute")
    await alerts.sweep(clock.now())
    await client.force_login(scene.manager)
    data = screen_form(scene, specimen="refused", method="", panel="")
    data = {k: v for k, v in data.items() if not k.startswith("result-")}
    response = await client.post(f"/houses/{scene.house}/screens", data)
    assert response.status_code == 303
    row = (
        await Screen.select(Screen.id)
        .where(Screen.house == scene.house, Screen.outcome == "refused")
        .first()
    )
    assert row is not None
    refused = row["id"]
    await alerts.sweep(clock.now())
    got = {a["key"]: a["severity"] for a in await alerts_of(scene.house)}
    assert got == {
        f"screen_result:screen:{dilute}": "attention",
        f"screen_result:screen:{refused}": "critical",
    }


async def test_it_alerts_once_when_the_lab_confirms_or_overturns(scene: Scene) -> None:
    first = await _screen(scene, "positive")
    second = await _screen(scene, "positive")
    today = house_today(clock.now(), "America/Chicago")
    for screen_id, answer in ((first, "confirmed"), (second, "overturned")):
        for step in ("send", answer):
            await services.lab_step(
                actor_id=scene.manager.id,
                screen_id=screen_id,
                step=step,
                on=today,
                reference="LAB-1" if step != "send" else "",
                today=today,
                now=clock.now(),
            )
    await alerts.sweep(clock.now())
    got = {a["key"]: a["severity"] for a in await alerts_of(scene.house)}
    assert got == {
        f"screen_result:screen:{first}": "critical",
        f"screen_result:screen:{second}": "critical",
        f"lab_result:screen:{first}": "critical",
        f"lab_result:screen:{second}": "attention",
    }
    await alerts.sweep(clock.now())
    assert len(await alerts_of(scene.house)) == 4


async def test_it_leaves_the_event_for_the_sweep_when_processing_fails(
    scene: Scene, monkeypatch: pytest.MonkeyPatch
) -> None:
    screen_id = await _screen(scene, "positive")

    async def broken(*args: object) -> list[int]:
        raise RuntimeError("the deliveries are down")

    monkeypatch.setattr("house.alerts.planning.plan", broken)
    with pytest.raises(RuntimeError):
        await alerts.process_events(clock.now())
    assert await alerts_of(scene.house) == []
    monkeypatch.undo()
    await alerts.sweep(clock.now())
    assert [a["key"] for a in await alerts_of(scene.house)] == [f"screen_result:screen:{screen_id}"]


async def test_it_sends_an_appeal_to_the_admins_and_never_the_managers(
    app: Any, frozen_clock: Any
) -> None:
    scene = await make_violation_scene()
    await make_user(User.Role.admin, name="Ada Admin")
    async with Client(app) as manager:
        await manager.force_login(scene.manager)
        response = await manager.post(f"/houses/{scene.house}/violations", violation_form(scene))
    violation_id = int(response.headers["location"].rsplit("/", 1)[1])
    await alerts.sweep(clock.now())
    assert await alerts_of(scene.house, "appeal") == []

    async with Client(app) as resident:
        await resident.force_login(scene.resident)
        response = await resident.post(
            f"/violations/{violation_id}/appeal", {"statement": "It was not my guest."}
        )
        assert response.status_code == 303
    await alerts.sweep(clock.now() + dt.timedelta(minutes=1))
    raised = await alerts_of(scene.house, "appeal")
    assert len(raised) == 1
    assert raised[0]["key"].startswith("appeal:appeal:")
    people = {
        d["role"]
        for d in await Delivery.select(Delivery.user.role.as_alias("role")).where(
            Delivery.alert == raised[0]["id"]
        )
    }
    assert people == {"admin"}
    await alerts.sweep(clock.now())
    assert len(await alerts_of(scene.house, "appeal")) == 1
