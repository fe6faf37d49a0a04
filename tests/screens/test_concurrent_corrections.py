"""Corrections of one screen by two people: the form carries the version it showed, so a
correction from an old page (or the slower of two at once) is told who changed the screen
and when, and stores nothing (no silent overwrite)."""

from __future__ import annotations

import asyncio
from typing import Any

from house.accounts.tables import User
from house.amendments.tables import Amendment
from house.lib import clock
from house.screens import services
from house.screens.tables import Screen
from tests.client import Client
from tests.factories import make_user
from tests.screens.scene import Scene, values


async def _positive(scene: Scene) -> int:
    return await services.record_screen(
        actor_id=scene.manager.id,
        house_id=scene.house,
        values=values(scene, results={scene.codes["cocaine"]: "positive"}),
        now=clock.now(),
    )


async def _amendments(screen_id: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = await Amendment.select(
        Amendment.field, Amendment.old_value, Amendment.new_value
    ).where(Amendment.table_name == "screen", Amendment.record_id == screen_id)
    return rows


async def test_it_puts_the_version_in_the_correction_form(client: Client, scene: Scene) -> None:
    screen_id = await _positive(scene)
    await client.force_login(scene.manager)
    page = await client.get(f"/screens/{screen_id}")
    assert '<input type="hidden" name="version" value="1">' in page.text


async def test_it_refuses_a_correction_made_on_an_old_page(
    app: Any, client: Client, scene: Scene
) -> None:
    screen_id = await _positive(scene)
    url = f"/screens/{screen_id}/amend"
    second = await make_user(User.Role.manager, [scene.house], name="Sam Second")
    async with Client(app) as other:
        await other.force_login(second)
        fixed = await other.post(
            url,
            {"field": "note", "value": "Cup was warm.", "reason": "Not written.", "version": "1"},
        )
    assert fixed.status_code == 303

    # The first manager's page was opened before that correction: it still says version 1.
    await client.force_login(scene.manager)
    stale = await client.post(
        url, {"field": "outcome", "value": "dilute", "reason": "Creatinine low.", "version": "1"}
    )
    assert stale.status_code == 422
    assert "Sam Second changed this screen today at" in stale.text
    assert "Check it and try again." in stale.text
    assert "Creatinine low." in stale.text  # what was typed comes back
    row = await Screen.select(Screen.outcome, Screen.note, Screen.version).where(
        Screen.id == screen_id
    )
    assert row == [{"outcome": "positive", "note": "Cup was warm.", "version": 2}]
    assert await _amendments(screen_id) == [
        {"field": "note", "old_value": "", "new_value": "Cup was warm."}
    ]

    # The page now shows the screen as it is, with its version: sent again, it goes through.
    assert '<input type="hidden" name="version" value="2">' in stale.text
    again = await client.post(
        url, {"field": "outcome", "value": "dilute", "reason": "Creatinine low.", "version": "2"}
    )
    assert again.status_code == 303
    assert (await Screen.select(Screen.outcome).where(Screen.id == screen_id)) == [
        {"outcome": "dilute"}
    ]


async def test_it_refuses_a_correction_without_a_version(client: Client, scene: Scene) -> None:
    screen_id = await _positive(scene)
    await client.force_login(scene.manager)
    response = await client.post(
        f"/screens/{screen_id}/amend",
        {"field": "outcome", "value": "dilute", "reason": "Creatinine low."},
    )
    assert response.status_code == 422
    assert "This form is out of date. Reload the page and try again." in response.text
    assert await _amendments(screen_id) == []


async def test_it_saves_one_of_two_simultaneous_corrections(app: Any, scene: Scene) -> None:
    screen_id = await _positive(scene)
    url = f"/screens/{screen_id}/amend"
    async with Client(app) as first, Client(app) as second:
        await first.force_login(scene.manager)
        await second.force_login(scene.manager)
        answers = await asyncio.gather(
            first.post(
                url, {"field": "outcome", "value": "dilute", "reason": "Low.", "version": "1"}
            ),
            second.post(
                url, {"field": "outcome", "value": "invalid", "reason": "Cold.", "version": "1"}
            ),
        )

    assert sorted(a.status_code for a in answers) == [303, 422]
    refused = next(a for a in answers if a.status_code == 422)
    assert "changed this screen" in refused.text
    winner = "dilute" if answers[0].status_code == 303 else "invalid"
    row = await Screen.select(Screen.outcome, Screen.version).where(Screen.id == screen_id)
    assert row == [{"outcome": winner, "version": 2}]
    assert await _amendments(screen_id) == [
        {"field": "outcome", "old_value": "positive", "new_value": winner}
    ]
