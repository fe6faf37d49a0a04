"""The demo: chores in each house, last week's rotation with a real mix, this week's so far."""

from __future__ import annotations

import datetime as dt

from house.chores.tables import Chore, ChoreAssignment, ChoreRotation
from house.houses.tables import House
from house.lib import clock
from house.lib.dates import house_today, week_start


async def test_it_loads_chores_and_two_weeks_of_rotation(demo: dict[str, int]) -> None:
    house = await House.select().where(House.name == "Maple House").first()
    assert house is not None
    assert await Chore.count().where(Chore.house == house["id"]) == 7
    this_week = week_start(house_today(clock.now(), house["timezone"]))
    weeks = await ChoreRotation.select(ChoreRotation.id, ChoreRotation.week_start).where(
        ChoreRotation.house == house["id"]
    )
    by_week = {w["week_start"]: w["id"] for w in weeks}
    assert set(by_week) >= {this_week, this_week - dt.timedelta(weeks=1)}
    last = await ChoreAssignment.select(ChoreAssignment.status).where(
        ChoreAssignment.rotation == by_week[this_week - dt.timedelta(weeks=1)]
    )
    assert {"verified", "missed", "excused"} <= {r["status"] for r in last}
    current = await ChoreAssignment.select(ChoreAssignment.status).where(
        ChoreAssignment.rotation == by_week[this_week]
    )
    assert len(current) > 20
    assert {r["status"] for r in current} & {"verified", "done"}
