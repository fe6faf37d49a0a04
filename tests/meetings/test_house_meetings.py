"""A house's meetings: the weekly one from the house settings, made on demand when the roll
call is taken (once, however many taps), and listed with its counts."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from typing import Any

from house.houses.tables import House
from house.lib import clock
from house.meetings import services
from house.meetings.tables import HouseMeeting
from tests.cast import Cast
from tests.client import Client
from tests.factories import make_house, make_resident_in, make_user

# Wednesday 2026-03-11, 15:00 in Chicago (CDT, UTC-5).
WEDNESDAY = dt.datetime(2026, 3, 11, 20, 0, tzinfo=dt.UTC)


async def _house(day: int = 7, time: str = "19:00") -> dict[str, Any]:
    house = await make_house(timezone="America/Chicago")
    await House.update({House.meeting_day: day, House.meeting_time: time}).where(House.id == house)
    return {"id": house, "manager": await make_user("manager", [house])}


async def test_it_shows_this_weeks_and_next_weeks_meeting_from_the_settings(
    client: Client, cast: Cast, frozen_clock: Any
) -> None:
    clock.freeze(WEDNESDAY)
    house = await _house(day=4, time="18:30")  # Thursdays at 18:30
    await client.force_login(house["manager"])
    page = await client.get(f"/houses/{house['id']}/meetings")
    assert page.status_code == 200
    assert "every Thursday at 18:30" in page.text
    assert "tomorrow at 18:30" in page.text  # house time, one way (house.lib.datewords)
    assert "Thu 19 Mar at 18:30" in page.text
    # Both are days ahead: the roll call opens on each meeting's day.
    assert page.text.count("Take roll call") == 0
    assert "Roll call opens on the day (Thu 12 Mar)." in page.text
    assert "Roll call opens on the day (Thu 19 Mar)." in page.text
    assert await HouseMeeting.count().where(HouseMeeting.house == house["id"]) == 0


async def test_it_creates_the_weekly_meeting_once_however_many_taps(
    client: Client, cast: Cast, frozen_clock: Any, app: Any
) -> None:
    clock.freeze(WEDNESDAY)
    house = await _house(day=1, time="19:00")  # Monday: this week's was two days ago
    await make_resident_in(
        house["id"], house["manager"].id, preferred_name="Ann", admitted_on=dt.date(2026, 2, 1)
    )
    await client.force_login(house["manager"])
    page = await client.get(f"/houses/{house['id']}/meetings")
    assert "Mon 9 Mar at 19:00" in page.text  # in the past list, not yet taken
    offered = re.findall(r'name="starts_at" value="([^"]+)"', page.text)
    # Next week's is not offered yet (its roll call opens on its day).
    assert offered == ["2026-03-10T00:00:00+00:00"]
    starts_at = offered[0]
    url = f"/houses/{house['id']}/meetings/weekly"
    first = await client.post(url, {"starts_at": starts_at})
    second = await client.post(url, {"starts_at": starts_at})
    assert first.status_code == second.status_code == 303
    assert first.headers["location"] == second.headers["location"]
    assert first.headers["location"].endswith("/roll")
    # Two managers at the same moment: still one row, no error page.
    async with Client(app) as other:
        await other.force_login(cast.admin)
        next_week = "2026-03-17T00:00:00+00:00"
        both = await asyncio.gather(
            client.post(url, {"starts_at": next_week}), other.post(url, {"starts_at": next_week})
        )
    assert [r.status_code for r in both] == [303, 303]
    assert both[0].headers["location"] == both[1].headers["location"]
    rows = await HouseMeeting.select(HouseMeeting.kind, HouseMeeting.starts_at).where(
        HouseMeeting.house == house["id"]
    )
    assert sorted(r["starts_at"] for r in rows) == [
        dt.datetime(2026, 3, 10, 0, 0, tzinfo=dt.UTC),
        dt.datetime(2026, 3, 17, 0, 0, tzinfo=dt.UTC),
    ]
    assert {r["kind"] for r in rows} == {"weekly"}
    listing = await client.get(f"/houses/{house['id']}/meetings")
    assert listing.text.count('id="meeting-') == 2  # the stored rows replace the computed slots
    assert 'id="weekly-' not in listing.text
    roll = await client.get(first.headers["location"])
    assert "<legend>Ann</legend>" in roll.text


async def test_it_refuses_a_weekly_start_that_is_not_on_the_schedule(
    client: Client, cast: Cast, frozen_clock: Any
) -> None:
    clock.freeze(WEDNESDAY)
    house = await _house(day=7, time="19:00")
    await client.force_login(house["manager"])
    url = f"/houses/{house['id']}/meetings/weekly"
    for value in (
        "",
        "2026-03-15T00:00:01+00:00",  # a second off
        "2025-03-16T00:00:00+00:00",  # a year ago
        "2026-03-16T00:00:00",  # no zone
        "<script>alert(1)</script>",
        "9" * 100,
    ):
        response = await client.post(url, {"starts_at": value})
        assert response.status_code == 422, value
        assert "not on this house&#39;s weekly schedule" in response.text
        assert "<script>alert(1)</script>" not in response.text
    assert await HouseMeeting.count().where(HouseMeeting.house == house["id"]) == 0


async def test_it_computes_weekly_starts_in_house_time_across_daylight_saving(
    frozen_clock: Any,
) -> None:
    house = {"meeting_day": 7, "meeting_time": "19:00", "timezone": "America/Chicago"}
    # Sunday 8 March 2026 is the first day of daylight saving time in Chicago.
    assert services.weekly_start(house, dt.date(2026, 3, 4)) == dt.datetime(
        2026, 3, 9, 0, 0, tzinfo=dt.UTC
    )
    assert services.weekly_start(house, dt.date(2026, 3, 1)) == dt.datetime(
        2026, 3, 2, 1, 0, tzinfo=dt.UTC
    )
    # An unreadable setting falls back to 19:00 rather than failing the page.
    assert services.weekly_start({**house, "meeting_time": "7pm"}, dt.date(2026, 3, 4)) == (
        dt.datetime(2026, 3, 9, 0, 0, tzinfo=dt.UTC)
    )


async def test_it_links_the_meetings_from_the_board_and_the_manager_home(
    client: Client, cast: Cast
) -> None:
    await client.force_login(cast.manager_a)
    board = await client.get(f"/houses/{cast.house_a}/board")
    assert f'href="/houses/{cast.house_a}/meetings"' in board.text
    home = await client.get("/")
    assert f'href="/houses/{cast.house_a}/meetings"' in home.text
