"""Drawing a day's list: what is stored (seed, eligible, excluded with why, wanted, the
list), one list a day whoever asks, the redraw check, and who may not be drawn."""

from __future__ import annotations

import asyncio
import datetime as dt
import json

import pytest

from house.audit.tables import AuditEvent
from house.lib import clock
from house.lib.errors import DomainError
from house.residents.tables import Stay
from house.screens.random import draw as algo
from house.screens.random import services
from house.screens.tables import DrawSelection, RandomDraw
from tests.factories import make_resident_in
from tests.screens.random.helpers import (
    MONDAY,
    TODAY,
    at_wednesday,  # noqa: F401 - a fixture
    random_house,
    screened,
)

pytestmark = pytest.mark.usefixtures("at_wednesday")


async def test_it_stores_the_seed_the_eligible_and_the_list_and_redraws_the_same() -> None:
    setup = await random_house(residents=5, rate=2)
    drawn = await services.draw_for_day(
        house_id=setup["house"], day=TODAY, now=clock.now(), by=setup["manager"].id
    )
    assert drawn.created
    draw = await RandomDraw.select().where(RandomDraw.id == drawn.draw_id).first()
    assert draw is not None
    ids = sorted(r["resident"] for r in setup["residents"])
    assert json.loads(draw["eligible"]) == ids
    assert json.loads(draw["excluded"]) == {}
    assert draw["wanted"] == 2
    assert len(draw["seed"]) == 32
    int(draw["seed"], 16)
    assert (draw["drawn_by"], draw["algorithm"], draw["day"]) == (
        setup["manager"].id,
        "sha256-shuffle-v1",
        TODAY,
    )
    selected = json.loads(draw["selected"])
    assert selected == algo.draw(TODAY, draw["seed"], ids, 2)
    rows = await DrawSelection.select().where(DrawSelection.draw == drawn.draw_id)
    stay_of = {r["resident"]: r["stay"] for r in setup["residents"]}
    assert sorted(r["resident"] for r in rows) == sorted(selected)
    for row in rows:
        assert (row["status"], row["day"], row["house"]) == ("selected", TODAY, setup["house"])
        assert row["stay"] == stay_of[row["resident"]]
    assert services.verifies(draw)
    audit = await AuditEvent.select().where(AuditEvent.record == f"random_draw:{drawn.draw_id}")
    assert [a["action"] for a in audit] == ["random_drawn"]
    # A tampered list no longer redraws the same.
    tampered = {**draw, "selected": json.dumps(list(reversed(selected)))}
    assert not services.verifies(tampered)


async def test_it_keeps_one_list_a_day_whoever_draws_and_however_often() -> None:
    setup = await random_house(residents=6, rate=3)
    now = clock.now()
    first = await services.draw_for_day(house_id=setup["house"], day=TODAY, now=now, by=None)
    again = await services.draw_for_day(
        house_id=setup["house"], day=TODAY, now=now, by=setup["manager"].id
    )
    assert (again.draw_id, again.created) == (first.draw_id, False)
    # Two at the same moment: one list.
    other_day = TODAY + dt.timedelta(days=1)
    both = await asyncio.gather(
        *[
            services.draw_for_day(house_id=setup["house"], day=other_day, now=now, by=None)
            for _ in range(3)
        ]
    )
    assert len({d.draw_id for d in both}) == 1
    assert sum(d.created for d in both) == 1
    assert await RandomDraw.count().where(RandomDraw.house == setup["house"]) == 2
    assert await DrawSelection.count().where(DrawSelection.house == setup["house"]) == 6


async def test_it_leaves_out_the_capped_and_the_lately_screened_and_says_why() -> None:
    setup = await random_house(residents=5, rate=5, cap=1, hours=48)
    capped, recent, old, missed, later = setup["residents"]
    now = clock.now()
    # Monday's list took `capped` (cap 1 a week).
    monday = await RandomDraw.insert(
        RandomDraw(
            house=setup["house"],
            day=MONDAY,
            drawn_at=now - dt.timedelta(days=2),
            seed="0" * 32,
            eligible=json.dumps([capped["resident"]]),
            wanted=1,
            selected=json.dumps([capped["resident"]]),
        )
    ).returning(RandomDraw.id)
    await DrawSelection.insert(
        DrawSelection(
            draw=monday[0]["id"],
            house=setup["house"],
            resident=capped["resident"],
            stay=capped["stay"],
            day=MONDAY,
            status="excused",
        )
    )
    await screened(recent, setup["house"], now - dt.timedelta(hours=47))
    await screened(old, setup["house"], now - dt.timedelta(hours=49))
    await screened(missed, setup["house"], now - dt.timedelta(hours=3), outcome="missed")
    # A screen after the draw's moment (a day drawn late, as the demo does) excludes nobody.
    await screened(later, setup["house"], now + dt.timedelta(hours=5))
    drawn = await services.draw_for_day(house_id=setup["house"], day=TODAY, now=now, by=None)
    draw = await RandomDraw.select().where(RandomDraw.id == drawn.draw_id).first()
    assert draw is not None
    assert json.loads(draw["excluded"]) == {
        str(capped["resident"]): "weekly cap",
        str(recent["resident"]): "screened lately",
    }
    eligible = json.loads(draw["eligible"])
    assert capped["resident"] not in eligible
    assert recent["resident"] not in eligible
    assert old["resident"] in eligible
    assert missed["resident"] in eligible  # a missed screen spares nobody the next draw
    assert later["resident"] in eligible
    assert sorted(json.loads(draw["selected"])) == sorted(eligible)  # 5 wanted, 3 eligible


async def test_it_draws_only_residents_living_there_on_the_day() -> None:
    setup = await random_house(residents=2, rate=10)
    later = await make_resident_in(
        setup["house"], setup["manager"].id, admitted_on=TODAY + dt.timedelta(days=1)
    )
    gone = setup["residents"][1]
    await Stay.update({Stay.status: Stay.Status.exited}).where(Stay.id == gone["stay"])
    drawn = await services.draw_for_day(
        house_id=setup["house"], day=TODAY, now=clock.now(), by=None
    )
    draw = await RandomDraw.select().where(RandomDraw.id == drawn.draw_id).first()
    assert draw is not None
    assert json.loads(draw["eligible"]) == [setup["residents"][0]["resident"]]
    assert later["resident"] not in json.loads(draw["selected"])


@pytest.mark.parametrize(
    ("kind", "rate", "residents", "wanted"), [("share", 25, 10, 3), ("count", 0, 3, 0)]
)
async def test_it_wants_a_share_rounded_up_or_a_count(
    kind: str, rate: int, residents: int, wanted: int
) -> None:
    setup = await random_house(residents=residents, kind=kind, rate=rate)
    drawn = await services.draw_for_day(
        house_id=setup["house"], day=TODAY, now=clock.now(), by=None
    )
    draw = await RandomDraw.select().where(RandomDraw.id == drawn.draw_id).first()
    assert draw is not None
    assert draw["wanted"] == wanted
    assert len(json.loads(draw["selected"])) == wanted
    assert await DrawSelection.count().where(DrawSelection.draw == drawn.draw_id) == wanted


async def test_it_refuses_to_draw_while_random_screens_are_off() -> None:
    setup = await random_house(residents=2, enabled=False)
    with pytest.raises(DomainError, match="Random screens are off"):
        await services.draw_for_day(house_id=setup["house"], day=TODAY, now=clock.now(), by=None)
    assert await RandomDraw.count().where(RandomDraw.house == setup["house"]) == 0


async def test_it_never_exceeds_the_weekly_cap_over_two_weeks_of_real_draws() -> None:
    setup = await random_house(residents=4, rate=3, cap=2, hours=0)
    for offset in range(14):
        day = MONDAY + dt.timedelta(days=offset)
        now = dt.datetime.combine(day, dt.time(14), tzinfo=dt.UTC)
        await services.draw_for_day(house_id=setup["house"], day=day, now=now, by=None)
    rows = await DrawSelection.select(DrawSelection.resident, DrawSelection.day).where(
        DrawSelection.house == setup["house"]
    )
    weeks: dict[tuple[dt.date, int], int] = {}
    for r in rows:
        key = (algo.week_start(r["day"]), r["resident"])
        weeks[key] = weeks.get(key, 0) + 1
    assert max(weeks.values()) == 2
    assert len(rows) == 2 * 4 * 2  # 4 residents x cap 2 x 2 weeks: the cap stopped it
