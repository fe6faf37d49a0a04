"""The streak through screen_recorded: successes escalate, a positive (not expected), dilute,
refused or missed screen resets, invalid does nothing; each screen earns once."""

from __future__ import annotations

import random

from house.cm import ledger, rules, services
from house.cm.tables import CmEntry
from house.houses.tables import House
from house.lib import clock
from house.screens.tables import Screen
from tests.cm.kit import make_scene, screen


async def _ledger(resident: int) -> list[tuple[str, int, int]]:
    rows = (
        await CmEntry.select(CmEntry.kind, CmEntry.amount, CmEntry.streak)
        .where(CmEntry.resident == resident)
        .order_by(CmEntry.id)
    )
    return [(r["kind"], r["amount"], r["streak"]) for r in rows]


async def test_it_escalates_vouchers_and_resets_on_each_kind_of_failure() -> None:
    scene = await make_scene()
    for outcome in ("negative", "negative", "expected_positive", "positive", "negative"):
        await screen(scene, outcome)
    for outcome in ("dilute", "negative", "refused", "negative", "negative", "missed"):
        await screen(scene, outcome)
    assert await _ledger(scene.resident_id) == [
        ("earned", 250, 1),
        ("earned", 400, 2),
        ("earned", 550 + 1000, 3),  # the third in a row carries the bonus
        ("reset", 0, 0),
        ("earned", 250, 1),
        ("reset", 0, 0),
        ("earned", 250, 1),
        ("reset", 0, 0),
        ("earned", 250, 1),
        ("earned", 400, 2),
        ("reset", 0, 0),
    ]
    assert await ledger.current_streak(scene.resident_id, scene.house) == 0
    assert await ledger.balance(scene.resident_id, scene.house) == 250 + 400 + 1550 + 250 * 3 + 400


async def test_it_neither_earns_nor_resets_for_an_invalid_screen() -> None:
    scene = await make_scene()
    await screen(scene, "negative")
    await screen(scene, "invalid")
    await screen(scene, "negative")
    assert await _ledger(scene.resident_id) == [("earned", 250, 1), ("earned", 400, 2)]


async def test_it_writes_nothing_while_cm_is_off() -> None:
    scene = await make_scene(settings={House.cm_schedule: ""})
    await screen(scene, "negative")
    await screen(scene, "positive")
    assert await _ledger(scene.resident_id) == []


async def test_it_earns_once_per_screen_and_keeps_the_entry_when_the_outcome_is_corrected() -> None:
    scene = await make_scene()
    first = await screen(scene, "negative")
    await services.screen_recorded(first, clock.now())
    positive = await screen(scene, "positive")
    # A lab overturns the positive: the screens core corrects the outcome and calls again.
    # The ledger is append-only: the reset stays, nothing is reversed or added.
    await Screen.update({Screen.outcome: "negative"}).where(Screen.id == positive)
    await services.screen_recorded(positive, clock.now())
    assert await _ledger(scene.resident_id) == [("earned", 250, 1), ("reset", 0, 0)]


async def test_it_keeps_streaks_apart_for_residents_and_houses() -> None:
    scene = await make_scene()
    other = await make_scene()
    await screen(scene, "negative")
    await screen(other, "negative")
    await screen(other, "negative")
    await screen(scene, "positive")
    await screen(other, "negative")
    assert await ledger.current_streak(scene.resident_id, scene.house) == 0
    assert await ledger.current_streak(other.resident_id, other.house) == 3
    assert await ledger.current_streak(other.resident_id, scene.house) == 0


async def test_it_draws_more_prizes_with_each_negative_in_a_row_up_to_the_cap() -> None:
    scene = await make_scene(settings={House.cm_schedule: "prizes", House.cm_draws_max: 3})
    source = random.Random(7)
    for outcome in ("negative", "negative", "negative", "negative", "missed", "negative"):
        await screen(scene, outcome, roll=source.randrange)
    entries = (
        await CmEntry.select(CmEntry.kind, CmEntry.draws, CmEntry.amount, CmEntry.id)
        .where(CmEntry.resident == scene.resident_id)
        .order_by(CmEntry.id)
    )
    assert [(e["kind"], e["draws"]) for e in entries] == [
        ("earned", 1),
        ("earned", 2),
        ("earned", 3),
        ("earned", 3),
        ("reset", 0),
        ("earned", 1),
    ]
    book = await ledger.ledger(scene.resident_id, scene.house, await _settings(scene.house))
    by_id = {e["id"]: e for e in book["entries"]}
    for e in entries:
        draws = by_id[e["id"]]["prize_draws"]
        assert [d["number"] for d in draws] == list(range(1, e["draws"] + 1))
        values = {"good_job": 0, "small": 100, "large": 2000, "jumbo": 10000}
        assert e["amount"] == sum(values[d["prize"]] for d in draws)


async def _settings(house: int) -> rules.Settings:
    row = await House.select().where(House.id == house).first()
    assert row is not None
    return rules.settings_of(row)
