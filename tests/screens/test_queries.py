"""Queries per request stay constant as the house and the history grow."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from house.lib import clock
from house.screens import services
from tests.client import Client
from tests.factories import make_resident_in
from tests.screens.scene import Scene, draw, values


@pytest.mark.parametrize("count", [3, 30])
async def test_it_shows_screens_today_in_the_same_number_of_queries(
    client: Client, scene: Scene, queries: Any, count: int
) -> None:
    people = [scene.rae, scene.ned]
    for _ in range(count - 2):
        people.append(
            await make_resident_in(
                scene.house, scene.manager.id, admitted_on=scene.today - dt.timedelta(days=3)
            )
        )
    await draw(scene, *people[: count // 3])
    for person in people[::2]:
        await services.record_screen(
            actor_id=scene.manager.id,
            house_id=scene.house,
            values=values(scene, resident=person["resident"]),
            now=clock.now(),
        )
    await client.force_login(scene.manager)
    with queries() as q:
        response = await client.get(f"/houses/{scene.house}/screens")
    assert response.status_code == 200
    assert response.text.count('class="row screen-row"') == count
    assert q.count <= 16, q.count


@pytest.mark.parametrize("count", [3, 30])
async def test_it_shows_a_history_in_the_same_number_of_queries(
    client: Client, scene: Scene, queries: Any, count: int
) -> None:
    now = clock.now()
    for i in range(count):
        at = now - dt.timedelta(hours=i * 5)
        await services.record_screen(
            actor_id=scene.manager.id,
            house_id=scene.house,
            values=values(
                scene,
                collected_at=at,
                collected_on=scene.today - dt.timedelta(days=10) + dt.timedelta(days=9),
                specimen="refused",
                method=None,
                panel=None,
            ),
            now=now,
        )
    await client.force_login(scene.manager)
    with queries() as q:
        response = await client.get(f"/residents/{scene.rae['resident']}/screens")
    assert response.status_code == 200
    assert response.text.count('class="row" id="screen-') == count
    assert q.count <= 12, q.count
    await client.force_login(scene.resident)
    with queries() as q:
        mine = await client.get("/screens")
    assert mine.text.count('class="row" id="screen-') == count
    assert q.count <= 6, q.count
