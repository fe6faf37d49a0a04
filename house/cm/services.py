"""Contingency management: rewards for verified abstinence and attendance.

The two calls other concepts make (inside their own transaction, right after the change):
`screen_recorded` when a screen is written with its outcome (by a manager, or "missed" by
the worker), and `meeting_verified` when staff verify an outside meeting. Both must be safe
to call twice for the same record (one ledger entry per screen and per meeting, and one
screen earning per resident, house and house day: unique indexes).

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

from house.audit.services import record_access
from house.cm import rules
from house.cm.ledger import balance, current_streak, earned_on_day, house_columns
from house.cm.tables import CmEntry, CmPrizeDraw
from house.db import is_sqlite, raw, write_transaction
from house.houses import services as houses
from house.houses.tables import House
from house.lib.dates import house_today
from house.lib.errors import DomainError
from house.meetings.tables import OutsideMeeting
from house.residents.tables import Stay
from house.screens import outcomes
from house.screens.tables import Screen

Roll = Callable[[int], int]
# PostgreSQL: writers of one resident's ledger take this advisory lock (with the resident's
# id), so two screens cannot both read the same streak and two redemptions cannot both
# spend the same balance. SQLite's single writer already serialises them.
CM_LOCK = 7_202_412
PRIZE_LABELS = {
    "good_job": "Good job!",
    "small": "Small prize",
    "large": "Large prize",
    "jumbo": "Jumbo prize",
}


async def _lock_ledger(resident_id: int) -> None:
    if not is_sqlite():
        await raw("SELECT pg_advisory_xact_lock({}, {})", CM_LOCK, resident_id)


async def _insert_entry(entry: CmEntry, draws: list[rules.Draw], now: dt.datetime) -> int | None:
    """Insert an earning (and its draws); None if the screen or meeting already has one, or
    a screen of its day already earned (a repeat or a twin that raced past the checks: the
    partial unique indexes decide, without raising into the caller's transaction)."""
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


async def _screen(screen_id: int, outcome: str | None) -> dict[str, Any] | None:
    """The screen with its house's timezone and CM settings; `outcome` in place of the
    stored one when given."""
    columns: list[Any] = [
        Screen.house,
        Screen.stay,
        Screen.resident,
        Screen.outcome,
        Screen.collected_at,
        Screen.house.timezone.as_alias("timezone"),
    ]
    screen: dict[str, Any] | None = (
        await Screen.select(*columns, *house_columns(Screen.house))
        .where(Screen.id == screen_id)
        .first()
    )
    if screen is not None and outcome is not None:
        screen["outcome"] = outcome
    return screen


async def screen_recorded(
    screen_id: int,
    now: dt.datetime,
    *,
    roll: Roll = secrets.randbelow,
    outcome: str | None = None,
) -> None:
    """Earn, reset or do nothing for this screen, as the house's CM schedule says.

    1. CM off in the screen's house, or an invalid screen: nothing.
    2. The screen already has a ledger entry: nothing. The ledger is append-only: when a
       screen's outcome is corrected later (a lab overturns a positive), the entry written
       for it stays as it was and nothing is reversed or re-drawn; staff can see both.
    3. A reset outcome (positive, dilute, refused, missed): a reset entry (0), whatever
       was earned earlier that day.
    4. A success (negative, or positive only for a prescription) earns at most once per
       house day (the day the screen was collected, in the house's timezone): if a screen
       of that day already earned, nothing (the streak does not move either). Otherwise
       streak n = the latest screen entry's streak + 1 (0 after a reset); vouchers earn
       voucher_cents(n), prizes draw draws_for(n) times from the bowl with `roll` (the OS's
       randomness), stored. The earning carries its day, unique per resident and house,
       so two screens of a day recorded at the same moment earn once.

    `outcome` replays history (the demo): the outcome the screen had then, when it has
    been corrected since; by default the stored one.
    """
    screen = await _screen(screen_id, outcome)
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
            description = f"Streak reset: {outcomes.WORDS[screen['outcome']]} screen"
            entry = CmEntry(
                **base, kind=CmEntry.Kind.reset, amount=0, streak=0, description=description
            )
            await _insert_entry(entry, [], now)
            return
        day = house_today(screen["collected_at"], screen["timezone"])
        if await earned_on_day(screen["resident"], screen["house"], day, screen["timezone"]):
            return
        await _earn(screen, {**base, "earned_on": day}, settings, roll, now)


async def _earn(
    screen: dict[str, Any],
    base: dict[str, Any],
    settings: rules.Settings,
    roll: Roll,
    now: dt.datetime,
) -> None:
    """Step 4: the next streak's voucher, or its prize draws, as one earned entry."""
    n = await current_streak(screen["resident"], screen["house"]) + 1
    label = f"{outcomes.SUCCESS_WORDS[screen['outcome']]}, {n} in a row"
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
            *house_columns(OutsideMeeting.house),
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


async def my_summary(user_id: int) -> dict[str, Any] | None:
    """For the resident's home card: streak, what the next negative earns and the balance,
    when they live in a house with CM on; else None. Three queries at most."""
    stay = (
        await Stay.select(Stay.house, Stay.resident, *house_columns(Stay.house))
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
