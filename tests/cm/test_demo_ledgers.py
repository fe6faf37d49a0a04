"""The demo's rewards ledgers are the ones the rules give for the demo's screens: each CM
house's ledgers are rebuilt here from its screens (each at its collection with the outcome
it had then, each correction of an outcome when it was made; only what existed when the
demo was loaded, as later tests' jobs walk the demo's houses too), by the rules written out again
(a success earns the next step once per house day, a reset outcome resets, invalid does
nothing, an entry once written stays), and compared with what is stored."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from house.amendments.tables import Amendment
from house.cm import rules
from house.cm.tables import CmEntry, CmPrizeDraw
from house.houses.tables import House
from house.lib.dates import house_today
from house.meetings.tables import OutsideMeeting
from house.screens.tables import Screen

Line = tuple[int, str, int, int, dt.date | None]  # screen, kind, streak, cents or draws, day


async def _events(
    house_id: int, marks: dict[str, int]
) -> tuple[dict[int, dict[str, Any]], list[tuple[Any, ...]]]:
    screens = {
        s["id"]: s
        for s in await Screen.select(
            Screen.id, Screen.resident, Screen.collected_at, Screen.outcome
        ).where(Screen.house == house_id, Screen.id <= marks["screen"])
    }
    corrections = (
        await Amendment.select()
        .where(
            Amendment.table_name == "screen",
            Amendment.field == "outcome",
            Amendment.record_id.is_in(list(screens) or [-1]),
        )
        .order_by(Amendment.id)
    )
    first: dict[int, str] = {}
    for c in corrections:
        first.setdefault(c["record_id"], c["old_value"])
    events = [(s["collected_at"], 0, i, first.get(i, s["outcome"])) for i, s in screens.items()]
    events += [
        (c["at"], 1, c["record_id"], c["new_value"])
        for c in corrections
        if c["id"] <= marks["amendment"]
    ]
    return screens, sorted(events)


def _rebuild(
    screens: dict[int, dict[str, Any]], events: list[tuple[Any, ...]], house: dict[str, Any]
) -> dict[int, list[Line]]:
    settings = rules.settings_of(house)
    lines: dict[int, list[Line]] = defaultdict(list)
    streak: dict[int, int] = defaultdict(int)
    paid_days: set[tuple[int, dt.date]] = set()
    for _, _, screen_id, outcome in events:
        resident = screens[screen_id]["resident"]
        if any(line[0] == screen_id for line in lines[resident]):
            continue  # an entry once written stays
        if outcome in ("positive", "dilute", "refused", "missed"):
            lines[resident].append((screen_id, "reset", 0, 0, None))
            streak[resident] = 0
        elif outcome in ("negative", "expected_positive"):
            day = house_today(screens[screen_id]["collected_at"], house["timezone"])
            if (resident, day) in paid_days:
                continue
            paid_days.add((resident, day))
            n = streak[resident] = streak[resident] + 1
            worth = (
                rules.voucher_cents(n, settings)
                if settings.schedule == rules.VOUCHERS
                else rules.draws_for(n, settings)
            )
            lines[resident].append((screen_id, "earned", n, worth, day))
    return lines


async def _stored(house_id: int, schedule: str, marks: dict[str, int]) -> dict[int, list[Line]]:
    entries = (
        await CmEntry.select()
        .where(
            CmEntry.house == house_id,
            CmEntry.screen.is_not_null(),
            CmEntry.id <= marks["cm_entry"],
        )
        .order_by(CmEntry.id)
    )
    stored: dict[int, list[Line]] = defaultdict(list)
    for e in entries:
        worth = e["amount"] if schedule == rules.VOUCHERS else e["draws"]
        stored[e["resident"]].append((e["screen"], e["kind"], e["streak"], worth, e["earned_on"]))
    return stored


async def _check_money(house: dict[str, Any]) -> None:
    """Prize amounts are their draws; verified meetings earned when the house says so; no
    balance ever went below zero."""
    entries = await CmEntry.select().where(CmEntry.house == house["id"]).order_by(CmEntry.id)
    values: dict[int, int] = defaultdict(int)
    for d in await CmPrizeDraw.select().where(CmPrizeDraw.entry.house == house["id"]):
        values[d["entry"]] += d["value"]
    running: dict[int, int] = defaultdict(int)
    for e in entries:
        if house["cm_schedule"] == rules.PRIZES and e["kind"] == "earned":
            assert e["amount"] == values[e["id"]]
        running[e["resident"]] += e["amount"]
        assert running[e["resident"]] >= 0
    verified = await OutsideMeeting.count().where(
        OutsideMeeting.house == house["id"], OutsideMeeting.status == "verified"
    )
    earned = len([e for e in entries if e["outside_meeting"] is not None])
    assert earned == (verified if house["cm_meetings_earn"] else 0)


async def test_it_stores_the_ledgers_the_rules_give_for_the_demo_screens(
    demo: dict[str, int],
) -> None:
    houses = await House.select().where(House.name.is_in(["Maple House", "Cedar House"]))
    assert {h["cm_schedule"] for h in houses} == {rules.VOUCHERS, rules.PRIZES}
    unpaid_twins = 0
    for house in houses:
        screens, events = await _events(house["id"], demo)
        expected = _rebuild(screens, events, house)
        assert await _stored(house["id"], house["cm_schedule"], demo) == expected, house["name"]
        await _check_money(house)
        paid = {line[0] for lines in expected.values() for line in lines}
        unpaid_twins += len(
            [i for i, s in screens.items() if s["outcome"] == "negative" and i not in paid]
        )
    assert sum(len(v) for v in expected.values()) > 5
    assert unpaid_twins >= 1  # the demo shows a day's second negative earning nothing
