"""The manager's home lists each of their houses with what waits there: today's chores to
check, meeting slips to verify, open violations; in the same queries for 1 or 3 houses."""

from __future__ import annotations

from typing import Any

import pytest

from house.accounts.tables import User
from house.violations.tables import Violation
from tests.chores.helpers import chore_house, with_rotation
from tests.client import Client
from tests.factories import make_house, make_outside_meeting, make_resident_in, make_user
from tests.violations.scene import make_scene, violation_form


@pytest.mark.usefixtures("wednesday")
async def test_it_counts_what_waits_in_each_house(client: Client) -> None:
    setup = await chore_house(residents=3)
    await with_rotation(setup)
    manager = setup["manager"]
    house = setup["house"]
    await make_outside_meeting(setup["residents"][0], house, setup["residents"][0]["person"].id)
    await make_outside_meeting(setup["residents"][1], house, setup["residents"][1]["person"].id)
    await client.force_login(manager)
    home = await client.get("/")
    assert home.status_code == 200
    menu = home.text.split(f'id="house-{house}-menu"')[1].split("</nav>")[0]
    # Wednesday: the daily kitchen and the Monday/Wednesday/Friday bathrooms.
    assert "2 left</span>" in menu.split("Today's chores")[1].split("</a>")[0]
    assert "2 to check</span>" in menu.split("Meeting slips")[1].split("</a>")[0]
    assert "open</span>" not in menu
    assert "to screen</span>" not in menu  # no random draw today


async def test_it_counts_residents_drawn_today_and_not_yet_screened(client: Client) -> None:
    from house.lib import clock
    from house.lib.dates import house_today
    from house.screens.tables import DrawSelection, RandomDraw

    house = await make_house()
    manager = await make_user(User.Role.manager, [house])
    today = house_today(clock.now(), "America/Chicago")
    rows = await RandomDraw.insert(
        RandomDraw(house=house, day=today, drawn_at=clock.now(), seed="ab", wanted=2)
    ).returning(RandomDraw.id)
    for status in ("selected", "screened"):
        person = await make_resident_in(house, manager.id)
        await DrawSelection.insert(
            DrawSelection(
                draw=rows[0]["id"],
                house=house,
                resident=person["resident"],
                stay=person["stay"],
                day=today,
                status=status,
            )
        )
    await client.force_login(manager)
    home = await client.get("/")
    assert '<span class="tag">1 to screen</span>' in home.text


async def test_it_counts_open_violations_only(app: Any) -> None:
    scene = await make_scene()
    async with Client(app) as client:
        await client.force_login(scene.manager)
        for _ in range(2):
            await client.post(f"/houses/{scene.house}/violations", violation_form(scene))
        first = await Violation.select(Violation.id).where(Violation.house == scene.house).first()
        assert first is not None
        await client.post(f"/violations/{first['id']}/resolve", {})
        home = await client.get("/")
    assert '<span class="tag">1 open</span>' in home.text


async def test_it_costs_the_same_queries_for_one_house_or_three(
    client: Client, queries: Any
) -> None:
    counts = []
    for size in (1, 3):
        houses = [await make_house() for _ in range(size)]
        manager = await make_user(User.Role.manager, houses)
        for house in houses:
            resident = await make_resident_in(house, manager.id)
            await make_outside_meeting(resident, house, manager.id)
        await client.force_login(manager)
        with queries() as counted:
            response = await client.get("/")
        assert response.status_code == 200
        assert response.text.count('class="house-menu"') == size
        counts.append(counted.count)
    assert counts[0] == counts[1]
