"""The weekly job makes next week's rotation once its hour has come (and catches up after a
day down); the sweep marks open chores missed once their day has ended in the house's
timezone. Both run on the real arq worker, with the clock frozen, and are safe to run twice."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from house.chores import weeks
from house.chores.tables import ChoreAssignment, ChoreRotation
from house.houses.tables import House
from house.lib import clock
from tests.chores.helpers import MONDAY, TODAY, chore_house

pytestmark = pytest.mark.usefixtures("wednesday")
NEXT_MONDAY = MONDAY + dt.timedelta(weeks=1)


async def _weeks(house: int) -> list[dt.date]:
    rows = await ChoreRotation.select(ChoreRotation.week_start).where(ChoreRotation.house == house)
    return sorted(r["week_start"] for r in rows)


async def test_it_makes_next_weeks_rotation_at_the_houses_hour_on_the_real_worker(
    run_worker: Any,
) -> None:
    setup = await chore_house()
    # Sunday 18:00 in Chicago is Monday 00:00 UTC.
    await House.update({House.chore_rotation_day: 7, House.chore_rotation_hour: 18}).where(
        House.id == setup["house"]
    )
    await run_worker()
    # The worker was "down" on Monday: this week is made from today on; next week waits.
    assert await _weeks(setup["house"]) == [MONDAY]
    this_week = await ChoreRotation.select().where(ChoreRotation.house == setup["house"]).first()
    assert this_week is not None
    assert this_week["generated_by"] is None
    assert (
        min(
            r["day"]
            for r in await ChoreAssignment.select(ChoreAssignment.day).where(
                ChoreAssignment.rotation == this_week["id"]
            )
        )
        == TODAY
    )

    clock.freeze(dt.datetime(2026, 11, 29, 23, 59, tzinfo=dt.UTC))  # Sunday 17:59 there
    await run_worker()
    assert await _weeks(setup["house"]) == [MONDAY]
    clock.freeze(dt.datetime(2026, 11, 30, 0, 0, tzinfo=dt.UTC))  # Sunday 18:00 there
    await run_worker()
    await run_worker()
    assert await _weeks(setup["house"]) == [MONDAY, NEXT_MONDAY]
    assert await ChoreAssignment.count().where(ChoreAssignment.house == setup["house"]) == (
        (5 + 2 + 1) + (7 + 3 + 1)
    )


async def test_it_makes_the_week_earlier_when_the_house_says_so() -> None:
    setup = await chore_house()
    await House.update({House.chore_rotation_day: 3, House.chore_rotation_hour: 9}).where(
        House.id == setup["house"]
    )
    # Wednesday 10:00 in Chicago: after Wednesday 09:00, so next week is due already.
    await weeks.make_due_rotations(clock.now())
    assert await _weeks(setup["house"]) == [MONDAY, NEXT_MONDAY]


async def test_it_marks_open_chores_missed_after_their_day_on_the_real_worker(
    run_worker: Any,
) -> None:
    setup = await chore_house(residents=4, chores=[(f"C{i}", "", 1, "daily", "") for i in range(4)])
    await weeks.generate_rotation(
        house_id=setup["house"], week_start=MONDAY, today=TODAY, now=clock.now()
    )
    today = list(
        await ChoreAssignment.select()
        .where(ChoreAssignment.house == setup["house"], ChoreAssignment.day == TODAY)
        .order_by(ChoreAssignment.id)
    )
    assert len(today) == 4
    pending, sent_back, done, verified = (r["id"] for r in today)
    for assignment, status in ((sent_back, "sent_back"), (done, "done"), (verified, "verified")):
        await ChoreAssignment.update({ChoreAssignment.status: status}).where(
            ChoreAssignment.id == assignment
        )
    clock.freeze(dt.datetime(2026, 11, 26, 5, 59, tzinfo=dt.UTC))  # 23:59 Wednesday there
    await run_worker()
    statuses = {
        r["id"]: r["status"]
        for r in await ChoreAssignment.select().where(ChoreAssignment.house == setup["house"])
    }
    assert statuses[pending] == "pending"

    clock.freeze(dt.datetime(2026, 11, 26, 6, 0, tzinfo=dt.UTC))  # Thursday 00:00 there
    await run_worker()
    await run_worker()
    rows = {
        r["id"]: r
        for r in await ChoreAssignment.select().where(ChoreAssignment.house == setup["house"])
    }
    assert {i: rows[i]["status"] for i in (pending, sent_back, done, verified)} == {
        pending: "missed",
        sent_back: "missed",
        done: "done",
        verified: "verified",
    }
    assert rows[pending]["version"] == 2  # marked once, though the sweep ran twice
    assert {r["status"] for r in rows.values() if r["day"] > TODAY} == {"pending"}
