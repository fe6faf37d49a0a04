"""A positive goes to the lab and comes back confirmed or overturned; corrections are
amendments that keep the old value; nothing is deleted."""

from __future__ import annotations

import datetime as dt

from house.amendments.tables import Amendment
from house.lib import clock
from house.screens import services
from house.screens.tables import Screen
from tests.client import Client
from tests.screens.scene import Scene, values


async def _positive(scene: Scene) -> int:
    return await services.record_screen(
        actor_id=scene.manager.id,
        house_id=scene.house,
        values=values(scene, results={scene.codes["cocaine"]: "positive"}),
        now=clock.now(),
    )


async def _screen(screen_id: int) -> dict[str, object]:
    row = await Screen.select().where(Screen.id == screen_id).first()
    assert row is not None
    return row


async def test_it_sends_a_positive_to_the_lab_and_records_confirmation(
    client: Client, scene: Scene
) -> None:
    screen_id = await _positive(scene)
    await client.force_login(scene.manager)
    today = scene.today.isoformat()
    sent = await client.post(f"/screens/{screen_id}/lab", {"step": "send", "on": today})
    assert sent.status_code == 303
    again = await client.post(f"/screens/{screen_id}/lab", {"step": "send", "on": today})
    assert again.status_code == 422
    assert "It was sent already." in again.text
    row = await _screen(screen_id)
    assert (row["lab"], row["lab_sent_on"]) == ("pending", scene.today)

    no_ref = await client.post(f"/screens/{screen_id}/lab", {"step": "confirmed", "on": today})
    assert no_ref.status_code == 422
    assert "Enter the lab&#39;s reference." in no_ref.text
    future = (scene.today + dt.timedelta(days=1)).isoformat()
    too_soon = await client.post(
        f"/screens/{screen_id}/lab", {"step": "confirmed", "on": future, "reference": "L-1"}
    )
    assert too_soon.status_code == 422
    assert "That day has not come yet." in too_soon.text
    bogus = await client.post(
        f"/screens/{screen_id}/lab", {"step": "deleted", "on": today, "reference": "L-1"}
    )
    assert bogus.status_code == 422

    done = await client.post(
        f"/screens/{screen_id}/lab", {"step": "confirmed", "on": today, "reference": "LAB-77"}
    )
    assert done.status_code == 303
    row = await _screen(screen_id)
    assert (row["lab"], row["lab_reference"], row["outcome"]) == ("confirmed", "LAB-77", "positive")
    twice = await client.post(
        f"/screens/{screen_id}/lab", {"step": "overturned", "on": today, "reference": "LAB-78"}
    )
    assert twice.status_code == 422
    assert (await _screen(screen_id))["lab"] == "confirmed"
    page = await client.get(f"/screens/{screen_id}")
    assert "Lab confirmed" in page.text
    assert "LAB-77" in page.text


async def test_it_corrects_the_outcome_to_negative_when_the_lab_overturns(
    client: Client, scene: Scene
) -> None:
    screen_id = await _positive(scene)
    await client.force_login(scene.manager)
    today = scene.today.isoformat()
    await client.post(f"/screens/{screen_id}/lab", {"step": "send", "on": today})
    response = await client.post(
        f"/screens/{screen_id}/lab", {"step": "overturned", "on": today, "reference": "Q-9"}
    )
    assert response.status_code == 303
    row = await _screen(screen_id)
    assert (row["lab"], row["outcome"]) == ("overturned", "negative")
    amendment = (
        await Amendment.select()
        .where(Amendment.table_name == "screen", Amendment.record_id == screen_id)
        .first()
    )
    assert amendment is not None
    assert (amendment["field"], amendment["old_value"], amendment["new_value"]) == (
        "outcome",
        "positive",
        "negative",
    )
    assert amendment["reason"] == "lab overturned Q-9"


async def test_it_does_not_send_a_negative_to_the_lab(client: Client, scene: Scene) -> None:
    screen_id = await services.record_screen(
        actor_id=scene.manager.id, house_id=scene.house, values=values(scene), now=clock.now()
    )
    await client.force_login(scene.manager)
    response = await client.post(
        f"/screens/{screen_id}/lab", {"step": "send", "on": scene.today.isoformat()}
    )
    assert response.status_code == 422
    assert "Only a positive screen is sent to the lab." in response.text
    assert (await _screen(screen_id))["lab"] == ""


async def test_it_corrects_by_amendment_keeping_the_old_value(client: Client, scene: Scene) -> None:
    screen_id = await _positive(scene)
    await client.force_login(scene.manager)
    url = f"/screens/{screen_id}/amend"
    for data, message in (
        ({"field": "outcome", "value": "great", "reason": "typo"}, "Choose an outcome"),
        ({"field": "outcome", "value": "dilute"}, "Enter why it is corrected."),
        ({"field": "id", "value": "1", "reason": "x"}, "Choose what to correct."),
        ({"field": "observed", "value": "maybe", "reason": "x"}, "Write yes or no."),
        ({"field": "specimen_id", "value": "s" * 61, "reason": "x"}, "Use at most 60"),
        ({"field": "outcome", "value": "positive", "reason": "same"}, "already has"),
    ):
        response = await client.post(url, {**data, "version": "1"})
        assert response.status_code == 422, data
        assert message in response.text, data
    fixed = await client.post(
        url,
        {
            "field": "outcome",
            "value": "dilute",
            "reason": "Creatinine under 20 mg/dL",
            "version": "1",
        },
    )
    assert fixed.status_code == 303
    observed = await client.post(
        url, {"field": "observed", "value": "no", "reason": "Door shut", "version": "2"}
    )
    assert observed.status_code == 303
    row = await _screen(screen_id)
    assert (row["outcome"], row["observed"], row["version"]) == ("dilute", False, 3)
    amendments = (
        await Amendment.select(
            Amendment.field, Amendment.old_value, Amendment.new_value, Amendment.actor
        )
        .where(Amendment.table_name == "screen", Amendment.record_id == screen_id)
        .order_by(Amendment.id)
    )
    assert [(a["field"], a["old_value"], a["new_value"]) for a in amendments] == [
        ("outcome", "positive", "dilute"),
        ("observed", "yes", "no"),
    ]
    assert {a["actor"] for a in amendments} == {scene.manager.id}
    page = await client.get(f"/screens/{screen_id}")
    assert "Creatinine under 20 mg/dL" in page.text
    assert await Screen.count().where(Screen.id == screen_id) == 1


async def test_it_lets_only_staff_correct(client: Client, scene: Scene) -> None:
    screen_id = await _positive(scene)
    await client.force_login(scene.resident)
    response = await client.post(
        f"/screens/{screen_id}/amend",
        {"field": "outcome", "value": "negative", "reason": "no", "version": "1"},
    )
    assert response.status_code == 403
    assert (await _screen(screen_id))["outcome"] == "positive"
