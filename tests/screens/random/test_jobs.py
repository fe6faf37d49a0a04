"""The daily draw and the missed sweep on the real arq worker, with the clock frozen across
a daylight-saving change: the list is drawn once the house's draw time has come (house
time), once; a selection not screened by the end of its day (house time) is missed, with a
"missed" screen, once; excused and screened ones are left alone."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest

from house.audit.tables import AuditEvent
from house.lib import clock
from house.screens.random import services
from house.screens.tables import DrawSelection, RandomDraw, Screen
from tests.screens.random.helpers import random_house

# Chicago leaves daylight saving on Sunday 1 November 2026 (the day has 25 hours) and
# starts it on Sunday 8 March 2026 (23 hours; 02:00-02:59 does not happen).
FALL_BACK = dt.date(2026, 11, 1)
SPRING_FORWARD = dt.date(2026, 3, 8)


@pytest.fixture(autouse=True)
def _release_clock() -> Iterator[None]:
    yield
    clock.freeze(None)


def _at(year: int, month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return clock.freeze(dt.datetime(year, month, day, hour, minute, tzinfo=dt.UTC)) or clock.now()


async def _draws(house: int) -> list[dict[str, Any]]:
    return list(await RandomDraw.select().where(RandomDraw.house == house).order_by(RandomDraw.day))


async def test_it_draws_at_the_houses_time_on_a_daylight_saving_day_once(
    run_worker: Any,
) -> None:
    setup = await random_house(residents=4, rate=3, admitted_on=dt.date(2026, 10, 1))
    _at(2026, 11, 1, 11, 30)  # 05:30 CST: an hour after 06:00 CDT would have been
    await run_worker()
    assert await _draws(setup["house"]) == []
    _at(2026, 11, 1, 12, 0)  # 06:00 CST
    await run_worker()
    await run_worker()
    draws = await _draws(setup["house"])
    assert [(d["day"], d["drawn_by"]) for d in draws] == [(FALL_BACK, None)]
    assert len(json.loads(draws[0]["selected"])) == 3
    assert services.verifies(draws[0])
    assert await DrawSelection.count().where(DrawSelection.house == setup["house"]) == 3


async def test_it_draws_after_a_draw_time_that_the_spring_change_skips(run_worker: Any) -> None:
    setup = await random_house(residents=2, draw_time="02:30", admitted_on=dt.date(2026, 2, 1))
    _at(2026, 3, 8, 7, 59)  # 01:59 CST
    await run_worker()
    assert await _draws(setup["house"]) == []
    _at(2026, 3, 8, 8, 0)  # 03:00 CDT: 02:30 never came, and it is past it
    await run_worker()
    assert [d["day"] for d in await _draws(setup["house"])] == [SPRING_FORWARD]


async def test_it_marks_a_selection_missed_after_its_25_hour_day_once(run_worker: Any) -> None:
    setup = await random_house(residents=3, rate=3, admitted_on=dt.date(2026, 10, 1))
    now = _at(2026, 11, 1, 12, 0)
    drawn = await services.draw_for_day(house_id=setup["house"], day=FALL_BACK, now=now, by=None)
    rows = list(
        await DrawSelection.select()
        .where(DrawSelection.draw == drawn.draw_id)
        .order_by(DrawSelection.id)
    )
    missing, excused, screened = rows
    await services.excuse(
        actor_id=setup["manager"].id, selection_id=excused["id"], reason="At court", now=now
    )
    # The screens core marks a selection screened when it records the screen.
    await DrawSelection.update({DrawSelection.status: "screened"}).where(
        DrawSelection.id == screened["id"]
    )
    _at(2026, 11, 2, 5, 59)  # 23:59 CST on the 1st: the day is not over
    await run_worker()
    still = await DrawSelection.select().where(DrawSelection.id == missing["id"]).first()
    assert still is not None
    assert (still["status"], still["screen"]) == ("selected", None)

    _at(2026, 11, 2, 6, 0)  # midnight in Chicago, 25 hours after the last one
    await run_worker()
    await run_worker()
    after = {
        r["id"]: r for r in await DrawSelection.select().where(DrawSelection.draw == drawn.draw_id)
    }
    assert {i: after[i]["status"] for i in after} == {
        missing["id"]: "missed",
        excused["id"]: "excused",
        screened["id"]: "screened",
    }
    screens = await Screen.select().where(Screen.resident == missing["resident"])
    assert len(screens) == 1
    screen = screens[0]
    assert after[missing["id"]]["screen"] == screen["id"]
    assert (screen["outcome"], screen["reason"], screen["method"], screen["panel"]) == (
        "missed",
        "random",
        None,
        None,
    )
    assert (screen["collected_by"], screen["recorded_by"]) == (None, None)
    assert (screen["house"], screen["stay"]) == (setup["house"], missing["stay"])
    # The end of the 1st in Chicago (CST, UTC-6).
    assert screen["collected_at"] == dt.datetime(2026, 11, 2, 5, 59, 59, tzinfo=dt.UTC)
    assert (
        await Screen.count().where(
            Screen.resident.is_in([excused["resident"], screened["resident"]])
        )
        == 0
    )
    audit = await AuditEvent.select(AuditEvent.action).where(
        AuditEvent.record == f"draw_selection:{missing['id']}"
    )
    assert [a["action"] for a in audit] == ["random_missed"]


async def test_it_catches_up_after_a_day_down_without_drawing_the_day_gone_by(
    run_worker: Any,
) -> None:
    setup = await random_house(residents=2, rate=1, admitted_on=dt.date(2026, 10, 1))
    now = _at(2026, 11, 3, 13, 0)  # 07:00 on the 3rd; the worker was down on the 2nd
    await services.draw_for_day(
        house_id=setup["house"],
        day=dt.date(2026, 11, 1),
        now=now - dt.timedelta(days=2),
        by=None,
    )
    await run_worker()
    draws = await _draws(setup["house"])
    assert [d["day"] for d in draws] == [dt.date(2026, 11, 1), dt.date(2026, 11, 3)]
    first = await DrawSelection.select().where(DrawSelection.draw == draws[0]["id"]).first()
    assert first is not None
    assert first["status"] == "missed"
