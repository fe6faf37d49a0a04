"""The demo: Maple House draws 2 a day at 06:00, with the last 10 days drawn, screened,
one excused and one missed, each draw redrawing the same from its seed."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from house.houses.tables import House
from house.lib import clock
from house.lib.dates import house_today
from house.screens.random import services as random_services
from house.screens.tables import DrawSelection, RandomDraw, Screen


async def test_it_loads_ten_days_of_past_draws_for_maple_house(demo: dict[str, int]) -> None:
    house = await House.select().where(House.name == "Maple House").first()
    assert house is not None
    assert (house["random_enabled"], house["random_rate"], house["random_draw_time"]) == (
        True,
        2,
        "06:00",
    )
    # The demo's draws: made "by the job" at 06:00 house time on each of the last ten days.
    # (Other tests' frozen-clock job runs may draw in this shared demo house too, at other
    # times of day; they are left out.)
    zone = ZoneInfo(house["timezone"])
    today = house_today(clock.now(), house["timezone"])
    draws = [
        d
        for d in await RandomDraw.select().where(RandomDraw.house == house["id"])
        if d["drawn_by"] is None
        and d["day"] < today
        and d["drawn_at"].astimezone(zone).time() == dt.time(6)
    ]
    assert len(draws) == 10
    assert all(random_services.verifies(d) for d in draws)
    rows = await DrawSelection.select(
        DrawSelection.status, DrawSelection.screen.outcome.as_alias("outcome")
    ).where(DrawSelection.draw.is_in([d["id"] for d in draws]))
    statuses = [r["status"] for r in rows]
    assert statuses.count("excused") == 1
    assert statuses.count("missed") == 1
    assert statuses.count("screened") >= 8
    assert "selected" not in statuses
    # The sweep wrote the missed selection's screen.
    assert [r["outcome"] for r in rows if r["status"] == "missed"] == ["missed"]
    assert await Screen.count().where(Screen.house == house["id"], Screen.outcome == "missed")
