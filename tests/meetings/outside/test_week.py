"""The week: required vs logged vs verified, Monday to Sunday in the house's timezone."""

from __future__ import annotations

import datetime as dt
from typing import Any

from house.houses.tables import House
from house.lib import clock
from house.lib.dates import week_start
from house.meetings.outside import services
from tests.cast import Cast
from tests.client import Client
from tests.factories import make_house, make_outside_meeting, make_resident_in
from tests.meetings.outside.kit import CHICAGO, resident_in_house


def _this_monday() -> dt.date:
    return week_start(clock.now().astimezone(CHICAGO).date())


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=CHICAGO)


def test_it_bounds_a_week_monday_to_monday_in_the_house_timezone() -> None:
    start, end = services.week_bounds(dt.date(2026, 3, 2), "America/Chicago")
    assert start == dt.datetime(2026, 3, 2, 6, 0, tzinfo=dt.UTC)
    # The clocks go forward on 8 March: the week is an hour short, and ends at 05:00 UTC.
    assert end == dt.datetime(2026, 3, 9, 5, 0, tzinfo=dt.UTC)
    assert week_start(dt.date(2026, 3, 8)) == dt.date(2026, 3, 2)
    now = dt.datetime(2026, 3, 9, 3, 0, tzinfo=dt.UTC)  # Sunday night in Chicago
    assert services.chosen_week(None, now, "America/Chicago") == dt.date(2026, 3, 2)
    assert services.chosen_week("2026-02-30", now, "America/Chicago") == dt.date(2026, 3, 2)
    assert services.chosen_week("1900-01-01", now, "America/Chicago") == dt.date(2026, 3, 2)
    assert services.chosen_week("2026-02-26", now, "America/Chicago") == dt.date(2026, 2, 23)


async def test_it_counts_only_verified_meetings_toward_the_residents_week(
    client: Client, cast: Cast, frozen_clock: Any
) -> None:
    clock.freeze(dt.datetime(2026, 3, 4, 18, 0, tzinfo=dt.UTC))  # a Wednesday noon in Chicago
    person, ids, house, _ = await resident_in_house()
    await House.update({House.outside_meetings_required: 3}).where(House.id == house)
    monday = _this_monday()
    assert monday == dt.date(2026, 3, 2)
    # This week: two verified, one waiting, one rejected (Monday 00:05 is this week's).
    statuses = ["verified", "verified", "pending", "rejected"]
    for i, status in enumerate(statuses):
        when = _at(monday, 0, 5) if i == 0 else clock.now() - dt.timedelta(hours=i)
        await make_outside_meeting(ids, house, person.id, held_at=when, status=status)
    # Sunday 23:30 of last week, house time: last week's, not this week's.
    await make_outside_meeting(
        ids, house, person.id, held_at=_at(monday - dt.timedelta(days=1), 23, 30), status="verified"
    )
    await client.force_login(person)
    page = await client.get("/meetings/week")
    assert page.status_code == 200
    assert "<strong>2 of 3</strong> verified" in page.text
    assert "<strong>1</strong> waiting for staff" in page.text
    assert "<strong>4</strong> logged" in page.text
    assert "1 more verified meeting needed this week (1 waiting to be checked)" in page.text
    last = await client.get(f"/meetings/week?week={(monday - dt.timedelta(days=3)).isoformat()}")
    assert "<strong>1 of 3</strong> verified" in last.text
    assert "<strong>1</strong> logged" in last.text
    hostile = await client.get("/meetings/week?week=<script>")
    assert hostile.status_code == 200
    assert "<strong>2 of 3</strong> verified" in hostile.text


async def test_it_shows_a_house_week_with_who_is_behind(client: Client, cast: Cast) -> None:
    house = await make_house()
    await House.update({House.outside_meetings_required: 2}).where(House.id == house)
    done, done_ids, _, manager = await resident_in_house(house, "Alpha")
    behind, behind_ids, _, _ = await resident_in_house(house, "Bravo")
    for status in ("verified", "verified"):
        await make_outside_meeting(done_ids, house, done.id, status=status, held_at=clock.now())
    await make_outside_meeting(behind_ids, house, behind.id, held_at=clock.now())
    await client.force_login(manager)
    page = await client.get(f"/houses/{house}/meetings/week")
    assert page.status_code == 200
    assert f'<tr id="week-{done_ids["resident"]}" class="on-track">' in page.text
    assert f'<tr id="week-{behind_ids["resident"]}" class="behind">' in page.text
    assert "<strong>1</strong> of 2 residents have fewer than 2 verified" in page.text


async def test_it_shows_the_house_week_with_the_same_queries_for_3_or_30_residents(
    client: Client, cast: Cast, queries: Any
) -> None:
    async def fill(house: int, manager_id: int, user_ids: list[int], count: int) -> None:
        for i in range(count):
            ids = await make_resident_in(
                house,
                manager_id,
                admitted_on=clock.now().date() - dt.timedelta(days=20),
            )
            for status in ("verified", "pending", "rejected")[: 1 + i % 3]:
                await make_outside_meeting(ids, house, user_ids[0], status=status)

    small = await make_house()
    _, _, _, small_manager = await resident_in_house(small)
    big = await make_house()
    big_resident, _, _, big_manager = await resident_in_house(big)
    await fill(small, small_manager.id, [big_resident.id], 2)
    await fill(big, big_manager.id, [big_resident.id], 29)

    await client.force_login(small_manager)
    await client.get(f"/houses/{small}/meetings/week")
    with queries() as few:
        page = await client.get(f"/houses/{small}/meetings/week")
    assert page.text.count('<tr id="week-') == 3
    await client.force_login(big_manager)
    await client.get(f"/houses/{big}/meetings/week")
    with queries() as many:
        page = await client.get(f"/houses/{big}/meetings/week")
    assert page.text.count('<tr id="week-') == 30
    assert few.count == many.count
    # The queue too: one page of any length costs the same.
    await client.force_login(small_manager)
    with queries() as few_queue:
        await client.get(f"/houses/{small}/meetings/outside")
    await client.force_login(big_manager)
    with queries() as many_queue:
        await client.get(f"/houses/{big}/meetings/outside")
    assert few_queue.count == many_queue.count
