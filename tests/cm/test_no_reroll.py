"""A prize draw is made once: stored with its roll, never drawn again."""

from __future__ import annotations

import pytest

from house.cm import services
from house.cm.tables import CmEntry, CmPrizeDraw
from house.db import is_unique_violation, write_transaction
from house.houses.tables import House
from house.lib import clock
from tests.cm.kit import make_scene, screen


async def _draws(screen_id: int) -> list[tuple[int, int, str, int]]:
    rows = (
        await CmPrizeDraw.select(
            CmPrizeDraw.number, CmPrizeDraw.roll, CmPrizeDraw.prize, CmPrizeDraw.value
        )
        .where(CmPrizeDraw.entry.screen == screen_id)
        .order_by(CmPrizeDraw.number)
    )
    return [(r["number"], r["roll"], r["prize"], r["value"]) for r in rows]


async def test_it_gives_the_same_draws_when_a_screen_is_recorded_again() -> None:
    scene = await make_scene(settings={House.cm_schedule: "prizes"})
    await screen(scene, "negative")
    second = await screen(scene, "negative")
    before = await _draws(second)
    assert len(before) == 2
    # Called again (a retry, a correction): a different roll source would give other
    # prizes, but nothing is drawn again.
    for _ in range(3):
        await services.screen_recorded(second, clock.now(), roll=lambda _: 999)
    assert await _draws(second) == before
    assert await CmEntry.count().where(CmEntry.screen == second) == 1


async def test_it_refuses_a_second_draw_with_the_same_entry_and_number() -> None:
    scene = await make_scene(settings={House.cm_schedule: "prizes"})
    screen_id = await screen(scene, "negative")
    entry = await CmEntry.select(CmEntry.id).where(CmEntry.screen == screen_id).first()
    assert entry is not None
    with pytest.raises(Exception) as refused:  # noqa: PT011 - either engine's error
        async with write_transaction():
            await CmPrizeDraw.insert(
                CmPrizeDraw(
                    entry=entry["id"],
                    number=1,
                    roll=999,
                    prize="jumbo",
                    value=10000,
                    drawn_at=clock.now(),
                )
            )
    assert is_unique_violation(refused.value)
    assert await CmPrizeDraw.count().where(CmPrizeDraw.entry == entry["id"]) == 1


async def test_it_refuses_a_second_entry_for_the_same_screen() -> None:
    scene = await make_scene()
    screen_id = await screen(scene, "negative")
    with pytest.raises(Exception) as refused:  # noqa: PT011 - either engine's error
        async with write_transaction():
            await CmEntry.insert(
                CmEntry(
                    house=scene.house,
                    resident=scene.resident_id,
                    stay=scene.ids["stay"],
                    kind="earned",
                    screen=screen_id,
                    amount=250,
                    created_at=clock.now(),
                )
            )
    assert is_unique_violation(refused.value)
