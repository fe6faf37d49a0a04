"""The roll call costs the same number of queries for 3 residents as for 20 (GET and POST)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from house.lib import clock
from house.meetings.tables import Attendance
from tests.cast import Cast
from tests.client import Client
from tests.factories import make_house, make_house_meeting, make_resident_in, make_user


async def _measure(client: Client, queries: Any, size: int) -> tuple[int, int, int]:
    house = await make_house()
    manager = await make_user("manager", [house])
    month_ago = clock.now().date() - dt.timedelta(days=30)
    residents = [
        (await make_resident_in(house, manager.id, admitted_on=month_ago))["resident"]
        for _ in range(size)
    ]
    meeting = await make_house_meeting(house)
    await client.force_login(manager)
    await client.get(f"/meetings/{meeting}/roll")  # warm the session
    with queries() as get:
        page = await client.get(f"/meetings/{meeting}/roll")
    assert page.text.count('class="roll-row') == size
    data = {"version": "1", **{f"status-{r}": "present" for r in residents}}
    with queries() as post:
        saved = await client.post(f"/meetings/{meeting}/roll", data)
    assert saved.status_code == 303
    assert await Attendance.count().where(Attendance.meeting == meeting) == size
    with queries() as listing:
        await client.get(f"/houses/{house}/meetings")
    return get.count, post.count, listing.count


async def test_it_takes_the_roll_call_with_the_same_queries_for_3_and_20_residents(
    client: Client, cast: Cast, queries: Any
) -> None:
    few = await _measure(client, queries, 3)
    many = await _measure(client, queries, 20)
    assert few == many
