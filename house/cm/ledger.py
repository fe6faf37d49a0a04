"""Reading contingency management: a resident's ledger, streak and balance in a house, a
house's overview, and the stay a resident's own ledger is read from.

The streak is read from the resident's latest screen entry in the house (an earning
carries its streak number; a reset is zero), so it needs no column of its own.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from piccolo.query.functions.aggregate import Max, Sum

from house.cm import rules
from house.cm.tables import CmEntry, CmPrizeDraw
from house.houses.tables import House
from house.lib.dates import day_bounds
from house.residents.tables import Stay

CM_COLUMNS = [c._meta.name for c in House._meta.columns if c._meta.name.startswith("cm_")]


def house_columns(fk: Any) -> list[Any]:
    """The house's CM settings through a foreign key, named as on House."""
    return [getattr(fk, name).as_alias(name) for name in CM_COLUMNS]


async def current_streak(resident_id: int, house_id: int) -> int:
    """Consecutive successes so far: the latest screen entry's streak (a reset is 0)."""
    last = (
        await CmEntry.select(CmEntry.kind, CmEntry.streak)
        .where(
            CmEntry.resident == resident_id,
            CmEntry.house == house_id,
            CmEntry.screen.is_not_null(),
            CmEntry.kind.is_in([CmEntry.Kind.earned, CmEntry.Kind.reset]),
        )
        .order_by(CmEntry.id, ascending=False)
        .first()
    )
    if last is None or last["kind"] == CmEntry.Kind.reset:
        return 0
    return int(last["streak"])


async def earned_on_day(resident_id: int, house_id: int, day: dt.date, timezone: str) -> bool:
    """Whether a screen already earned on this house day: an earning for a screen collected
    that day (house time; earnings written before `earned_on` existed count too), or one
    keyed by the day."""
    start, end = day_bounds(day, timezone)
    collected_that_day = (CmEntry.screen.collected_at >= start) & (
        CmEntry.screen.collected_at < end
    )
    return bool(
        await CmEntry.exists().where(
            CmEntry.resident == resident_id,
            CmEntry.house == house_id,
            CmEntry.kind == CmEntry.Kind.earned,
            CmEntry.screen.is_not_null(),
            collected_that_day | (CmEntry.earned_on == day),
        )
    )


async def balance(resident_id: int, house_id: int) -> int:
    row = (
        await CmEntry.select(Sum(CmEntry.amount, alias="total"))
        .where(CmEntry.resident == resident_id, CmEntry.house == house_id)
        .first()
    )
    return int((row or {}).get("total") or 0)


def _streak_of(entries: list[dict[str, Any]]) -> int:
    """The streak from entries newest first (as `current_streak` reads it)."""
    for e in entries:
        if e["screen"] is not None and e["kind"] in (CmEntry.Kind.earned, CmEntry.Kind.reset):
            return int(e["streak"]) if e["kind"] == CmEntry.Kind.earned else 0
    return 0


async def ledger(resident_id: int, house_id: int, settings: rules.Settings) -> dict[str, Any]:
    """Every entry, newest first, with its prize draws; the streak, the balance and what
    the next verified negative earns. Two queries however long the ledger."""
    entries = (
        await CmEntry.select(
            *CmEntry.all_columns(),
            CmEntry.created_by.name.as_alias("created_by_name"),
            CmEntry.screen.collected_at.as_alias("screen_collected_at"),
        )
        .where(CmEntry.resident == resident_id, CmEntry.house == house_id)
        .order_by(CmEntry.id, ascending=False)
    )
    draws: dict[int, list[dict[str, Any]]] = {}
    for d in (
        await CmPrizeDraw.select(
            CmPrizeDraw.entry, CmPrizeDraw.number, CmPrizeDraw.roll, CmPrizeDraw.prize
        )
        .where(CmPrizeDraw.entry.resident == resident_id, CmPrizeDraw.entry.house == house_id)
        .order_by(CmPrizeDraw.entry, CmPrizeDraw.number)
    ):
        draws.setdefault(d["entry"], []).append(d)
    for e in entries:
        e["prize_draws"] = draws.get(e["id"], [])
    streak = _streak_of(entries)
    return {
        "entries": entries,
        "streak": streak,
        "balance": sum(int(e["amount"]) for e in entries),
        "next": rules.next_reward(streak, settings),
        "settings": settings,
    }


async def my_stay(user_id: int) -> dict[str, Any] | None:
    """The signed-in resident's stay for their own ledger: the current one, else the latest."""
    row: dict[str, Any] | None = (
        await Stay.select(
            Stay.id,
            Stay.house,
            Stay.resident,
            Stay.status,
            Stay.house.name.as_alias("house_name"),
            Stay.house.timezone.as_alias("timezone"),
            *house_columns(Stay.house),
        )
        .where(Stay.resident.user == user_id, Stay.status != Stay.Status.waitlist)
        .order_by(Stay.status)
        .order_by(Stay.id, ascending=False)
        .first()
    )
    return row


async def house_overview(house_id: int) -> list[dict[str, Any]]:
    """The house's current residents with streak, balance and last earning; five queries
    however many residents and entries."""
    residents = (
        await Stay.select(
            Stay.resident, Stay.resident.preferred_name.as_alias("name"), Stay.admitted_on
        )
        .where(Stay.house == house_id, Stay.status == Stay.Status.active)
        .order_by(Stay.resident.preferred_name)
    )
    ids = [r["resident"] for r in residents] or [-1]
    in_house = (CmEntry.house == house_id) & CmEntry.resident.is_in(ids)
    balances = {
        r["resident"]: int(r["total"] or 0)
        for r in await CmEntry.select(CmEntry.resident, Sum(CmEntry.amount, alias="total"))
        .where(in_house)
        .group_by(CmEntry.resident)
    }
    # The id of each resident's latest earning and latest screen entry, then those rows
    # (Max on a time column comes back as text on SQLite: ids are portable).
    last_earned_ids = {
        r["resident"]: r["last"]
        for r in await CmEntry.select(CmEntry.resident, Max(CmEntry.id, alias="last"))
        .where(in_house, CmEntry.kind == CmEntry.Kind.earned)
        .group_by(CmEntry.resident)
    }
    last_screen_ids = {
        r["resident"]: r["last"]
        for r in await CmEntry.select(CmEntry.resident, Max(CmEntry.id, alias="last"))
        .where(
            in_house,
            CmEntry.screen.is_not_null(),
            CmEntry.kind.is_in([CmEntry.Kind.earned, CmEntry.Kind.reset]),
        )
        .group_by(CmEntry.resident)
    }
    wanted = sorted({*last_earned_ids.values(), *last_screen_ids.values()}) or [-1]
    latest = {
        r["id"]: r
        for r in await CmEntry.select(
            CmEntry.id, CmEntry.kind, CmEntry.streak, CmEntry.created_at
        ).where(CmEntry.id.is_in(wanted))
    }
    last_earned = {k: latest[v]["created_at"] for k, v in last_earned_ids.items()}
    streaks = {
        k: int(latest[v]["streak"]) if latest[v]["kind"] == CmEntry.Kind.earned else 0
        for k, v in last_screen_ids.items()
    }
    for r in residents:
        r["balance"] = balances.get(r["resident"], 0)
        r["last_earned"] = last_earned.get(r["resident"])
        r["streak"] = streaks.get(r["resident"], 0)
    return residents
