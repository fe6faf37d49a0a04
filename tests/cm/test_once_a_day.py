"""A resident earns at most once per house day from screens (the day the screen was collected,
in the house's timezone); a later positive, dilute, refused or missed screen that day still
resets. Corrections keep their behaviour: an entry once written stays."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from house.cm import ledger, services
from house.cm.tables import CmEntry
from house.db import is_unique_violation, write_transaction
from house.lib import clock
from house.lib.dates import at_local, house_today
from house.screens import services as screens
from house.screens.tables import Screen
from tests.cm.kit import Scene, make_scene, screen

TIMEZONE = "America/Chicago"  # make_house's


def _day(back: int) -> dt.date:
    return house_today(clock.now(), TIMEZONE) - dt.timedelta(days=back)


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return at_local(day, dt.time(hour, minute), TIMEZONE)


async def _entries(scene: Scene) -> list[tuple[str, int, int, dt.date | None]]:
    rows = (
        await CmEntry.select(CmEntry.kind, CmEntry.amount, CmEntry.streak, CmEntry.earned_on)
        .where(CmEntry.resident == scene.resident_id)
        .order_by(CmEntry.id)
    )
    return [(r["kind"], r["amount"], r["streak"], r["earned_on"]) for r in rows]


async def test_it_pays_once_for_two_negatives_minutes_apart_and_a_later_positive_resets() -> None:
    scene = await make_scene()
    day, next_day = _day(3), _day(2)
    first = await screen(scene, "negative", at=_at(day, 9, 0))
    second = await screen(scene, "negative", at=_at(day, 9, 7))
    assert await CmEntry.count().where(CmEntry.screen == first) == 1
    assert await CmEntry.count().where(CmEntry.screen == second) == 0
    assert await ledger.current_streak(scene.resident_id, scene.house) == 1
    await screen(scene, "positive", at=_at(day, 15))  # still resets
    await screen(scene, "negative", at=_at(day, 20))  # the day has earned already
    await screen(scene, "negative", at=_at(next_day, 9))
    assert await _entries(scene) == [
        ("earned", 250, 1, day),
        ("reset", 0, 0, None),
        ("earned", 250, 1, next_day),
    ]
    assert await ledger.balance(scene.resident_id, scene.house) == 500


async def test_it_counts_the_house_day_not_the_utc_day() -> None:
    scene = await make_scene()
    day, next_day = _day(4), _day(3)
    # 17:30 and 18:30 in Chicago are one house day but two UTC dates.
    evening, later = _at(day, 17, 30), _at(day, 18, 30)
    assert evening.date() != later.date()
    await screen(scene, "negative", at=evening)
    await screen(scene, "negative", at=later)
    # 23:50 and 00:10 are two house days (one UTC date): both earn.
    late, early = _at(next_day, 23, 50), _at(next_day + dt.timedelta(days=1), 0, 10)
    assert late.date() == early.date()
    await screen(scene, "negative", at=late)
    await screen(scene, "negative", at=early)
    assert [(kind, streak) for kind, _, streak, _ in await _entries(scene)] == [
        ("earned", 1),
        ("earned", 2),
        ("earned", 3),
    ]


async def test_it_keeps_what_corrections_did_and_pays_a_corrected_screen_only_on_a_new_day() -> (
    None
):
    scene = await make_scene()
    day = _day(5)
    invalid = await screen(scene, "invalid", at=_at(day, 8))
    await screen(scene, "negative", at=_at(day, 10))
    # The invalid one is corrected to negative: its day has earned, so nothing.
    await Screen.update({Screen.outcome: "negative"}).where(Screen.id == invalid)
    await services.screen_recorded(invalid, clock.now())
    assert await CmEntry.count().where(CmEntry.screen == invalid) == 0
    # A positive the lab overturns keeps its reset (the ledger is append-only)...
    positive = await screen(scene, "positive", at=_at(_day(4), 9))
    await Screen.update({Screen.outcome: "negative"}).where(Screen.id == positive)
    await services.screen_recorded(positive, clock.now())
    # ... and an invalid screen of a day without an earning, corrected, earns.
    alone = await screen(scene, "invalid", at=_at(_day(3), 9))
    await Screen.update({Screen.outcome: "negative"}).where(Screen.id == alone)
    await services.screen_recorded(alone, clock.now())
    assert [kind for kind, *_ in await _entries(scene)] == ["earned", "reset", "earned"]
    # A second negative of a day that earned, corrected to a positive, resets.
    twin = await screen(scene, "negative", at=_at(_day(3), 11))
    assert await CmEntry.count().where(CmEntry.screen == twin) == 0
    await Screen.update({Screen.outcome: "positive"}).where(Screen.id == twin)
    await services.screen_recorded(twin, clock.now())
    assert [kind for kind, *_ in await _entries(scene)] == ["earned", "reset", "earned", "reset"]


async def test_it_counts_an_earning_written_before_entries_carried_their_day() -> None:
    scene = await make_scene()
    day = _day(2)
    first = await screen(scene, "negative", at=_at(day, 9))
    await CmEntry.update({CmEntry.earned_on: None}).where(CmEntry.screen == first)
    await screen(scene, "negative", at=_at(day, 12))
    assert [kind for kind, *_ in await _entries(scene)] == ["earned"]


async def test_it_refuses_a_second_earning_for_the_same_day_in_the_database() -> None:
    scene = await make_scene()
    day = _day(2)
    await screen(scene, "negative", at=_at(day, 9))
    other = await screen(scene, "invalid", at=_at(day, 10))
    with pytest.raises(Exception) as refused:  # noqa: PT011 - either engine's error
        async with write_transaction():
            await CmEntry.insert(
                CmEntry(
                    house=scene.house,
                    resident=scene.resident_id,
                    stay=scene.ids["stay"],
                    kind="earned",
                    screen=other,
                    amount=400,
                    streak=2,
                    earned_on=day,
                    created_at=clock.now(),
                )
            )
    assert is_unique_violation(refused.value)


def _negative(scene: Scene, at: dt.datetime) -> dict[str, object]:
    """A breath test at 0.000 (a negative without a panel), as the screens form parses it."""
    return {
        "resident": scene.resident_id,
        "collected_at": at,
        "collected_on": house_today(at, TIMEZONE),
        "specimen": "",
        "method": "breath",
        "breath_milli": 0,
        "panel": None,
        "results": {},
        "reason": "random",
        "observed": True,
        "specimen_id": "",
        "note": "",
    }


async def test_it_earns_once_when_two_phones_record_negatives_at_the_same_moment() -> None:
    scene = await make_scene()
    now = clock.now()
    values = _negative(scene, now - dt.timedelta(minutes=1))
    ids = await asyncio.gather(
        *(
            screens.record_screen(
                actor_id=scene.manager.id, house_id=scene.house, values=values, now=now
            )
            for _ in range(2)
        )
    )
    assert len(set(ids)) == 2  # both screens are kept
    assert await Screen.count().where(Screen.id.is_in(ids), Screen.outcome == "negative") == 2
    assert [(kind, amount) for kind, amount, *_ in await _entries(scene)] == [("earned", 250)]
    assert await ledger.balance(scene.resident_id, scene.house) == 250
