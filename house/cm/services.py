"""Contingency management: rewards for verified abstinence and attendance.

The two calls other concepts make (inside their own transaction, right after the change):
`screen_recorded` when a screen is written with its outcome (by a manager, or "missed" by
the worker), and `meeting_verified` when staff verify an outside meeting. Both must be safe
to call twice for the same record (one ledger entry per screen and per meeting: unique
indexes).

The ledger is append-only and kept per resident and house: a resident who moves to another
house starts a new streak and balance there, and a house's staff never see what another
house recorded. The streak is read from the resident's latest screen entry in the house
(an earning carries its streak number; a reset is zero), so it needs no column of its own.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from typing import Any

from piccolo.query.functions.aggregate import Max, Sum

from house.audit.services import record_access
from house.cm import rules
from house.cm.tables import CmEntry, CmPrizeDraw
from house.db import is_sqlite, raw, write_transaction
from house.houses import services as houses
from house.houses.tables import House
from house.lib.errors import DomainError
from house.meetings.tables import OutsideMeeting
from house.residents.tables import Stay
from house.screens.tables import Screen

Roll = Callable[[int], int]
# PostgreSQL: writers of one resident's ledger take this advisory lock (with the resident's
# id), so two screens cannot both read the same streak and two redemptions cannot both
# spend the same balance. SQLite's single writer already serialises them.
CM_LOCK = 7_202_412
CM_COLUMNS = [c._meta.name for c in House._meta.columns if c._meta.name.startswith("cm_")]
SUCCESS_LABELS = {
    "negative": "Negative screen",
    "expected_positive": "Screen negative but for prescribed medication",
}
RESET_LABELS = {
    "positive": "Streak reset: positive screen",
    "dilute": "Streak reset: dilute screen",
    "refused": "Streak reset: refused screen",
    "missed": "Streak reset: missed screen",
}
PRIZE_LABELS = {
    "good_job": "Good job!",
    "small": "Small prize",
    "large": "Large prize",
    "jumbo": "Jumbo prize",
}


def _house_columns(fk: Any) -> list[Any]:
    """The house's CM settings through a foreign key, named as on House."""
    return [getattr(fk, name).as_alias(name) for name in CM_COLUMNS]


async def _lock_ledger(resident_id: int) -> None:
    if not is_sqlite():
        await raw("SELECT pg_advisory_xact_lock({}, {})", CM_LOCK, resident_id)


async def _insert_entry(entry: CmEntry, draws: list[rules.Draw], now: dt.datetime) -> int | None:
    """Insert an earning (and its draws); None if the screen or meeting already has one (a
    repeat that raced past the check: the partial unique index decides, without raising
    into the caller's transaction)."""
    rows = await CmEntry.insert(entry).on_conflict(action="DO NOTHING").returning(CmEntry.id)
    if not rows:
        return None
    entry_id = int(rows[0]["id"])
    if draws:
        await CmPrizeDraw.insert(
            *[
                CmPrizeDraw(
                    entry=entry_id,
                    number=d.number,
                    roll=d.roll,
                    prize=d.prize,
                    value=d.value,
                    drawn_at=now,
                )
                for d in draws
            ]
        )
    return entry_id


async def screen_recorded(
    screen_id: int, now: dt.datetime, *, roll: Roll = secrets.randbelow
) -> None:
    """Earn, reset or do nothing for this screen, as the house's CM schedule says.

    1. CM off in the screen's house, or an invalid screen: nothing.
    2. The screen already has a ledger entry: nothing. The ledger is append-only: when a
       screen's outcome is corrected later (a lab overturns a positive), the entry written
       for it stays as it was and nothing is reversed or re-drawn; staff can see both.
    3. A reset outcome (positive, dilute, refused, missed): a reset entry (0).
    4. A success (negative, or positive only for a prescription): streak n = the latest
       screen entry's streak + 1 (0 after a reset); vouchers earn voucher_cents(n), prizes
       draw draws_for(n) times from the bowl with `roll` (the OS's randomness), stored.
    """
    columns: list[Any] = [Screen.house, Screen.stay, Screen.resident, Screen.outcome]
    screen = (
        await Screen.select(*columns, *_house_columns(Screen.house))
        .where(Screen.id == screen_id)
        .first()
    )
    if screen is None:
        return
    settings = rules.settings_of(screen)
    effect = rules.effect_of(screen["outcome"])
    if not settings.on or effect is None:
        return
    async with write_transaction():
        await _lock_ledger(screen["resident"])
        if await CmEntry.exists().where(CmEntry.screen == screen_id):
            return
        base = {
            "house": screen["house"],
            "resident": screen["resident"],
            "stay": screen["stay"],
            "schedule": settings.schedule,
            "screen": screen_id,
            "created_at": now,
        }
        if effect == "reset":
            await _insert_entry(
                CmEntry(
                    **base,
                    kind=CmEntry.Kind.reset,
                    amount=0,
                    streak=0,
                    description=RESET_LABELS[screen["outcome"]],
                ),
                [],
                now,
            )
            return
        n = await current_streak(screen["resident"], screen["house"]) + 1
        label = f"{SUCCESS_LABELS[screen['outcome']]}, {n} in a row"
        if settings.schedule == rules.VOUCHERS:
            amount = rules.voucher_cents(n, settings)
            entry = CmEntry(
                **base, kind=CmEntry.Kind.earned, amount=amount, streak=n, description=label
            )
            await _insert_entry(entry, [], now)
            return
        draws = rules.draw(rules.draws_for(n, settings), settings, roll)
        entry = CmEntry(
            **base,
            kind=CmEntry.Kind.earned,
            amount=sum(d.value for d in draws),
            streak=n,
            draws=len(draws),
            description=f"{label}: {len(draws)} draw{'' if len(draws) == 1 else 's'}",
        )
        await _insert_entry(entry, draws, now)


async def meeting_verified(
    meeting_id: int, now: dt.datetime, *, roll: Roll = secrets.randbelow
) -> None:
    """Earn for a verified outside meeting when the house's CM lets meetings earn: the
    meeting amount (vouchers) or one draw (prizes). The screen streak is not touched."""
    meeting = (
        await OutsideMeeting.select(
            OutsideMeeting.house,
            OutsideMeeting.stay,
            OutsideMeeting.resident,
            OutsideMeeting.name,
            *_house_columns(OutsideMeeting.house),
        )
        .where(OutsideMeeting.id == meeting_id)
        .first()
    )
    if meeting is None:
        return
    settings = rules.settings_of(meeting)
    if not settings.on or not settings.meetings_earn:
        return
    async with write_transaction():
        await _lock_ledger(meeting["resident"])
        if await CmEntry.exists().where(CmEntry.outside_meeting == meeting_id):
            return
        draws = rules.draw(1, settings, roll) if settings.schedule == rules.PRIZES else []
        await _insert_entry(
            CmEntry(
                house=meeting["house"],
                resident=meeting["resident"],
                stay=meeting["stay"],
                kind=CmEntry.Kind.earned,
                schedule=settings.schedule,
                outside_meeting=meeting_id,
                amount=sum(d.value for d in draws) if draws else settings.meeting_amount,
                streak=0,
                draws=len(draws),
                description=f"Outside meeting verified: {meeting['name']}"[:200],
                created_at=now,
            ),
            draws,
            now,
        )


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


async def stay_for_ledger(
    resident_id: int, house_ids: frozenset[int] | None
) -> dict[str, Any] | None:
    """The resident's stay whose house's ledger staff see: the current one if they live in
    one of `house_ids` (None: any house), else the latest; None if none is visible."""
    query = Stay.select(
        Stay.id,
        Stay.house,
        Stay.resident,
        Stay.status,
        Stay.resident.preferred_name.as_alias("preferred_name"),
        Stay.resident.user.as_alias("resident_user"),
        Stay.house.name.as_alias("house_name"),
        Stay.house.timezone.as_alias("timezone"),
        *_house_columns(Stay.house),
    ).where(Stay.resident == resident_id)
    if house_ids is not None:
        query = query.where(Stay.house.is_in(sorted(house_ids) or [-1]))
    # "active" sorts before "exited" and "waitlist"; then the newest stay.
    row: dict[str, Any] | None = (
        await query.order_by(Stay.status).order_by(Stay.id, ascending=False).first()
    )
    return row


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
            *_house_columns(Stay.house),
        )
        .where(Stay.resident.user == user_id, Stay.status != Stay.Status.waitlist)
        .order_by(Stay.status)
        .order_by(Stay.id, ascending=False)
        .first()
    )
    return row


async def my_summary(user_id: int) -> dict[str, Any] | None:
    """For the resident's home card: streak, what the next negative earns and the balance,
    when they live in a house with CM on; else None. Three queries at most."""
    stay = (
        await Stay.select(Stay.house, Stay.resident, *_house_columns(Stay.house))
        .where(Stay.resident.user == user_id, Stay.status == Stay.Status.active)
        .first()
    )
    if stay is None:
        return None
    settings = rules.settings_of(stay)
    if not settings.on:
        return None
    streak = await current_streak(stay["resident"], stay["house"])
    return {
        "schedule": settings.schedule,
        "streak": streak,
        "next": rules.next_reward(streak, settings),
        "balance": await balance(stay["resident"], stay["house"]),
    }


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


async def redeem(
    *,
    actor_id: int,
    resident_id: int,
    house_id: int,
    stay_id: int,
    what: str,
    cents: int,
    now: dt.datetime,
    request_id: str = "",
) -> int:
    """Record a redemption (a negative entry) of at most the balance. The balance is read
    under the ledger's lock in the writing transaction, so two posts at once cannot both
    spend it. Returns the entry id."""
    if cents <= 0:
        raise DomainError("Enter an amount above $0.00.", field="value")
    async with write_transaction():
        await _lock_ledger(resident_id)
        available = await balance(resident_id, house_id)
        if cents > available:
            raise DomainError(
                f"The balance is {rules.dollars(available)}: redeem at most that.", field="value"
            )
        rows = await CmEntry.insert(
            CmEntry(
                house=house_id,
                resident=resident_id,
                stay=stay_id,
                kind=CmEntry.Kind.redeemed,
                amount=-cents,
                description=what,
                created_at=now,
                created_by=actor_id,
            )
        ).returning(CmEntry.id)
        entry_id = int(rows[0]["id"])
        await record_access(
            actor_id=actor_id,
            action="cm_redeemed",
            at=now,
            record=f"cm_entry:{entry_id}",
            detail=f"resident:{resident_id} house:{house_id}",
            request_id=request_id,
        )
    return entry_id


async def record_ledger_view(
    *, actor_id: int, stay: dict[str, Any], now: dt.datetime, request_id: str = ""
) -> None:
    """A staff view of a ledger reveals screen outcomes: one audit row per view."""
    await record_access(
        actor_id=actor_id,
        action="cm_ledger_viewed",
        at=now,
        subject_id=stay["resident_user"],
        record=f"resident:{stay['resident']}",
        detail=f"house:{stay['house']}",
        request_id=request_id,
    )


SETTING_COLUMNS = {
    "schedule": House.cm_schedule,
    "voucher_start": House.cm_voucher_start,
    "voucher_step": House.cm_voucher_step,
    "voucher_max": House.cm_voucher_max,
    "bonus_every": House.cm_bonus_every,
    "bonus": House.cm_bonus,
    "draws_max": House.cm_draws_max,
    "bowl_good_job": House.cm_bowl_good_job,
    "bowl_small": House.cm_bowl_small,
    "bowl_large": House.cm_bowl_large,
    "bowl_jumbo": House.cm_bowl_jumbo,
    "prize_small": House.cm_prize_small,
    "prize_large": House.cm_prize_large,
    "prize_jumbo": House.cm_prize_jumbo,
    "meetings_earn": House.cm_meetings_earn,
    "meeting_amount": House.cm_meeting_amount,
}


async def save_settings(
    *, actor_id: int, house_id: int, values: dict[str, Any], version: int, now: dt.datetime
) -> bool:
    """Save the house's CM settings (forms.parse_settings' values), if nobody changed the
    house since the form was opened. Entries already written keep their amounts. A repeat
    of the same values (a double submit) stores nothing and returns False."""
    return await houses.save_settings(
        actor_id=actor_id,
        house_id=house_id,
        values={column._meta.name: values[name] for name, column in SETTING_COLUMNS.items()},
        version=version,
        now=now,
        action="cm_settings_changed",
        detail=f"schedule:{values['schedule'] or 'off'}",
    )
