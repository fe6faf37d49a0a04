"""Demo data (called by house/demo.py inside its one transaction, after the screens and
random-selection demos): CM on for Maple House (vouchers) and Cedar House (prize draws);
Jordan (Maple) and Sam (Cedar) with weeks of screens, a streak, a reset and a redemption.

The screens are written as Screen rows followed by `screen_recorded`, the way the screens
core records them, rather than through `record_screen`: that refuses screens collected more
than seven days back, and a streak worth showing spans weeks.
"""

from __future__ import annotations

import datetime as dt
import random

from house.cm import ledger, rules, services
from house.houses.tables import House
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


async def load(house_ids: list[int], users: dict[str, int], now: dt.datetime) -> None:
    """`users` maps the demo emails (house/demo.py PEOPLE) to user ids."""
    maple, cedar = house_ids[0], house_ids[1]
    await House.update({House.cm_schedule: rules.VOUCHERS}).where(House.id == maple)
    await House.update({House.cm_schedule: rules.PRIZES, House.cm_meetings_earn: True}).where(
        House.id == cedar
    )
    # A fixed seed, so the demo's prize draws are the same on every laptop; real draws use
    # the operating system's randomness (secrets.randbelow).
    roll = random.Random(2026).randrange  # noqa: S311 - demo data only
    await _history(
        users["jordan@demo.house"],
        users["maple.manager@demo.house"],
        maple,
        JORDAN,
        now,
        roll,
        redeem=("Grocery store gift card", 1000, 26),
    )
    await _history(
        users["sam@demo.house"],
        users["cedar.manager@demo.house"],
        cedar,
        SAM,
        now,
        roll,
        redeem=("Bus pass", 500, 12),
    )


async def _history(
    user_id: int,
    manager_id: int,
    house_id: int,
    screens: list[tuple[int, str]],
    now: dt.datetime,
    roll: services.Roll,
    redeem: tuple[str, int, int],
) -> None:
    stay = (
        await Stay.select(Stay.id, Stay.resident)
        .where(
            Stay.resident.user == user_id,
            Stay.house == house_id,
            Stay.status == Stay.Status.active,
        )
        .first()
    )
    if stay is None:
        return
    panel = await _panel_of(house_id)
    what, cents, redeem_days_ago = redeem
    redeemed = False
    for days_ago, outcome in screens:
        if not redeemed and days_ago < redeem_days_ago:
            await _redeem(
                manager_id, stay, house_id, what, cents, now - dt.timedelta(days=redeem_days_ago)
            )
            redeemed = True
        at = now - dt.timedelta(days=days_ago, hours=2)
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
        await services.screen_recorded(screen_id, at, roll=roll)


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
