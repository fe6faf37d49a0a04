"""Demo data (called by house/demo.py inside its one transaction, after the screens,
random-selection and outside-meeting demos): CM on for Maple House (vouchers) and Cedar
House (prize draws, verified meetings earn too); Jordan (Maple) and Sam (Cedar) with weeks
of screens, a streak, a reset and a redemption.

The ledgers must be the ones the app would have written had CM been on all along, so they
agree with the screens the other demos wrote before CM was turned on:

1. Jordan's and Sam's older screens are written as Screen rows (not through `record_screen`,
   which refuses screens collected more than seven days back).
2. Then the houses' history is replayed in time order through CM's own calls: every screen
   at its collection with the outcome it had then (`screen_recorded`), every correction of
   an outcome when it was made, every verified outside meeting when it was verified
   (`meeting_verified`), and the redemptions. tests/cm/test_demo_ledgers.py rebuilds the
   ledgers from the screens by the rules and compares.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from house.amendments.tables import Amendment
from house.cm import ledger, rules, services
from house.houses.tables import House
from house.meetings.tables import OutsideMeeting
from house.residents.tables import Stay
from house.screens.tables import PanelSubstance, Screen, ScreenResult

# Days ago and outcome, oldest first.
JORDAN = [
    (38, "negative"),
    (35, "negative"),
    (31, "negative"),
    (28, "positive"),
    (24, "negative"),
    (21, "negative"),
    (17, "negative"),
    (14, "negative"),
    (14, "negative"),  # a second cup 7 minutes later: that day has earned already
    (10, "negative"),
    (7, "negative"),
]
SAM = [
    (30, "negative"),
    (27, "negative"),
    (23, "missed"),
    (20, "negative"),
    (16, "negative"),
    (13, "negative"),
    (9, "negative"),
    (6, "negative"),
]
# Who redeems what (cents, at most the balance then), how many days ago.
REDEMPTIONS = [
    ("jordan@demo.house", "maple.manager@demo.house", 0, "Grocery store gift card", 1000, 26),
    ("sam@demo.house", "cedar.manager@demo.house", 1, "Bus pass", 500, 12),
]


async def load(house_ids: list[int], users: dict[str, int], now: dt.datetime) -> None:
    """`users` maps the demo emails (house/demo.py PEOPLE) to user ids."""
    maple, cedar = house_ids[0], house_ids[1]
    await House.update({House.cm_schedule: rules.VOUCHERS}).where(House.id == maple)
    await House.update({House.cm_schedule: rules.PRIZES, House.cm_meetings_earn: True}).where(
        House.id == cedar
    )
    await _history(
        users["jordan@demo.house"], users["maple.manager@demo.house"], maple, JORDAN, now
    )
    await _history(users["sam@demo.house"], users["cedar.manager@demo.house"], cedar, SAM, now)
    redemptions = []
    for email, manager, index, what, cents, days_ago in REDEMPTIONS:
        stay = await _stay(users[email], house_ids[index])
        if stay is not None:
            at = now - dt.timedelta(days=days_ago)
            redemptions.append((at, users[manager], stay, house_ids[index], what, cents))
    # A fixed seed, so the demo's prize draws are the same on every laptop; real draws use
    # the operating system's randomness (secrets.randbelow).
    roll = random.Random(2026).randrange  # noqa: S311 - demo data only
    await _replay(house_ids, redemptions, roll)


async def _stay(user_id: int, house_id: int) -> dict[str, Any] | None:
    stay: dict[str, Any] | None = (
        await Stay.select(Stay.id, Stay.resident)
        .where(
            Stay.resident.user == user_id,
            Stay.house == house_id,
            Stay.status == Stay.Status.active,
        )
        .first()
    )
    return stay


async def _history(
    user_id: int,
    manager_id: int,
    house_id: int,
    screens: list[tuple[int, str]],
    now: dt.datetime,
) -> None:
    """Step 1: the resident's older screens, as Screen rows with their results."""
    stay = await _stay(user_id, house_id)
    if stay is None:
        return
    panel = await _panel_of(house_id)
    earlier: list[int] = []
    for days_ago, outcome in screens:
        at = now - dt.timedelta(days=days_ago, hours=2, minutes=-7 * earlier.count(days_ago))
        earlier.append(days_ago)
        missed = outcome == "missed"
        rows = await Screen.insert(
            Screen(
                house=house_id,
                stay=stay["id"],
                resident=stay["resident"],
                collected_at=at,
                collected_by=None if missed else manager_id,
                method=None if missed else Screen.Method.urine_cup,
                reason=Screen.Reason.random,
                observed=not missed,
                panel=None if missed else panel[0],
                outcome=outcome,
                recorded_at=at,
                recorded_by=None if missed else manager_id,
            )
        ).returning(Screen.id)
        screen_id = int(rows[0]["id"])
        if not missed and panel[1]:
            await ScreenResult.insert(
                *[
                    ScreenResult(
                        screen=screen_id,
                        substance=substance,
                        result="positive" if outcome == "positive" and i == 0 else "negative",
                    )
                    for i, substance in enumerate(panel[1])
                ]
            )


async def history_events(house_ids: list[int]) -> list[tuple[dt.datetime, int, int, str]]:
    """The houses' screen history in the order CM hears of it: (time, 0, screen id, the
    outcome it had then) at each collection, and (time, 1, screen id, new outcome) at each
    correction of an outcome. Sorted; the rebuild in the tests reads the same order."""
    screens = await Screen.select(Screen.id, Screen.collected_at, Screen.outcome).where(
        Screen.house.is_in(house_ids)
    )
    corrections = (
        await Amendment.select(
            Amendment.record_id, Amendment.at, Amendment.old_value, Amendment.new_value
        )
        .where(
            Amendment.table_name == Screen._meta.tablename,
            Amendment.field == "outcome",
            Amendment.record_id.is_in([s["id"] for s in screens] or [-1]),
        )
        .order_by(Amendment.id)
    )
    first_outcome: dict[int, str] = {}
    for c in corrections:
        first_outcome.setdefault(c["record_id"], c["old_value"])
    events = [
        (s["collected_at"], 0, s["id"], first_outcome.get(s["id"], s["outcome"])) for s in screens
    ]
    events += [(c["at"], 1, c["record_id"], c["new_value"]) for c in corrections]
    return sorted(events)


async def _replay(
    house_ids: list[int],
    redemptions: list[tuple[dt.datetime, int, dict[str, Any], int, str, int]],
    roll: services.Roll,
) -> None:
    """Step 2: the screens' history, the verified meetings and the redemptions, in time
    order, through CM's calls (a redemption after the screens of its moment)."""
    meetings = await OutsideMeeting.select(OutsideMeeting.id, OutsideMeeting.reviewed_at).where(
        OutsideMeeting.house.is_in(house_ids),
        OutsideMeeting.status == OutsideMeeting.Status.verified,
    )
    steps: list[tuple[dt.datetime, int, int, Any]] = [
        (at, kind, screen_id, outcome)
        for at, kind, screen_id, outcome in await history_events(house_ids)
    ]
    steps += [(m["reviewed_at"], 2, m["id"], None) for m in meetings]
    steps += [(r[0], 3, i, r) for i, r in enumerate(redemptions)]
    for at, kind, record_id, what in sorted(steps, key=lambda s: (s[0], s[1], s[2])):
        if kind in (0, 1):
            await services.screen_recorded(record_id, at, roll=roll, outcome=what)
        elif kind == 2:
            await services.meeting_verified(record_id, at, roll=roll)
        else:
            _, manager_id, stay, house_id, label, cents = what
            await _redeem(manager_id, stay, house_id, label, cents, at)


async def _redeem(
    manager_id: int, stay: dict[str, int], house_id: int, what: str, cents: int, at: dt.datetime
) -> None:
    """A redemption of `cents`, or of the whole balance when it is smaller (prize draws)."""
    available = await ledger.balance(stay["resident"], house_id)
    if available <= 0:
        return
    await services.redeem(
        actor_id=manager_id,
        resident_id=stay["resident"],
        house_id=house_id,
        stay_id=stay["id"],
        what=what,
        cents=min(cents, available),
        now=at,
    )


async def _panel_of(house_id: int) -> tuple[int | None, list[int]]:
    """The house's first panel (the screens demo makes them) and its substances, if any."""
    row = (
        await PanelSubstance.select(PanelSubstance.panel, PanelSubstance.substance)
        .where(
            PanelSubstance.panel.house == house_id,
            PanelSubstance.panel.active == True,  # noqa: E712 - a Piccolo condition
        )
        .order_by(PanelSubstance.panel, PanelSubstance.substance)
    )
    if not row:
        return None, []
    first = row[0]["panel"]
    return first, [r["substance"] for r in row if r["panel"] == first]
