"""Making a house's weekly chore rotation: on demand by a manager, and by the worker before
the week starts (the house's rotation day and hour). The assignment itself is the pure
algorithm in rotation.py; this module reads its inputs and writes its result, once per
house and week (unique in the database: the job and a manager may race, one wins).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from house.audit.services import record_access
from house.chores import rotation as algo
from house.chores.services import WEEKS_AHEAD, Status, rotation_of, week_end
from house.chores.tables import Chore, ChoreAssignment, ChoreRotation
from house.db import is_unique_violation, write_transaction
from house.houses.tables import House
from house.lib.dates import at_local, house_today
from house.lib.dates import week_start as monday_of
from house.lib.errors import DomainError
from house.residents.tables import Stay


@dataclass
class Made:
    rotation_id: int
    created: bool
    assignments: int = 0
    unfilled: list[tuple[int, dt.date]] = field(default_factory=list)


def check_week(week_start: dt.date, today: dt.date) -> None:
    """A rotation is made for a week that has not ended, up to WEEKS_AHEAD weeks ahead."""
    if week_start.isoweekday() != 1:
        raise DomainError("A week starts on a Monday.", field="week")
    if week_end(week_start) < today:
        raise DomainError("That week is over: a rotation is made for this week or later.", "week")
    if week_start > monday_of(today) + dt.timedelta(weeks=WEEKS_AHEAD):
        raise DomainError(f"Make a rotation at most {WEEKS_AHEAD} weeks ahead.", field="week")


async def rotation_inputs(
    house_id: int, week_start: dt.date
) -> tuple[list[algo.ChoreSpec], list[algo.ResidentSpec], dict[int, int]]:
    """What the algorithm needs, in three queries: active chores; residents with their days
    in the house this week and their effort over the last 4 weeks; each chore's last holder.

    Passes (days away) are not in the schema yet: `presence_days` takes them when they are.
    """
    history_start = week_start - dt.timedelta(weeks=algo.HISTORY_WEEKS)
    chores = [
        algo.ChoreSpec(
            id=c["id"],
            weight=c["weight"],
            frequency=c["frequency"],
            weekdays=algo.parse_weekdays(c["weekdays"]),
        )
        for c in await Chore.select(Chore.id, Chore.weight, Chore.frequency, Chore.weekdays).where(
            Chore.house == house_id, Chore.active.eq(True)
        )
    ]
    stays = (
        await Stay.select(Stay.id, Stay.resident, Stay.admitted_on, Stay.exited_on)
        .where(
            Stay.house == house_id,
            Stay.status.is_in([Stay.Status.active, Stay.Status.exited]),
            Stay.admitted_on.is_not_null(),
            Stay.admitted_on <= week_end(week_start),
        )
        .where((Stay.exited_on.is_null()) | (Stay.exited_on > history_start))
        .order_by(Stay.id)
    )
    effort, last_holder = await _history(house_id, history_start, week_start)
    return chores, _resident_specs(stays, week_start, effort), last_holder


async def _history(
    house_id: int, history_start: dt.date, week_start: dt.date
) -> tuple[dict[int, int], dict[int, int]]:
    """Each resident's effort (excused chores were not owed) and each chore's last holder
    over the weeks before `week_start`."""
    history = (
        await ChoreAssignment.select(
            ChoreAssignment.chore,
            ChoreAssignment.resident,
            ChoreAssignment.day,
            ChoreAssignment.weight,
            ChoreAssignment.status,
        )
        .where(
            ChoreAssignment.house == house_id,
            ChoreAssignment.day >= history_start,
            ChoreAssignment.day < week_start,
        )
        .order_by(ChoreAssignment.day)
        .order_by(ChoreAssignment.id)
    )
    effort: dict[int, int] = defaultdict(int)
    last_holder: dict[int, int] = {}
    for row in history:
        if row["status"] != Status.excused:
            effort[row["resident"]] += row["weight"]
        last_holder[row["chore"]] = row["resident"]
    return effort, last_holder


def _resident_specs(
    stays: list[dict[str, Any]], week_start: dt.date, effort: dict[int, int]
) -> list[algo.ResidentSpec]:
    """The residents in the house some day of the week, with their days there this week
    and over the history weeks (a resident with two stays counts both)."""
    present: dict[int, set[dt.date]] = defaultdict(set)
    history_days: dict[int, int] = defaultdict(int)
    stay_of: dict[int, int] = {}
    for s in stays:
        days = algo.presence_days(week_start, s["admitted_on"], s["exited_on"])
        if days:
            present[s["resident"]] |= days
            stay_of[s["resident"]] = s["id"]
        for w in range(1, algo.HISTORY_WEEKS + 1):
            history_days[s["resident"]] += len(
                algo.presence_days(
                    week_start - dt.timedelta(weeks=w), s["admitted_on"], s["exited_on"]
                )
            )
    return [
        algo.ResidentSpec(
            id=resident,
            stay_id=stay_of[resident],
            present=frozenset(present[resident]),
            history_effort=effort[resident],
            history_days=history_days[resident],
        )
        for resident in sorted(stay_of)
    ]


async def generate_rotation(
    *,
    house_id: int,
    week_start: dt.date,
    today: dt.date,
    now: dt.datetime,
    actor_id: int | None = None,
    seed: int | None = None,
    regenerate: bool = False,
) -> Made:
    """Make a house's rotation for a week, or return the one that exists.

    1. A week that exists is returned as it is (the job and a manager may race: one wins).
    2. With `regenerate`, an existing week is made again only while every assignment in it is
       still pending; days before `today` are left as they are.
    3. The seed is the one given, else the rotation's stored one, else derived from the house
       and the week; the same inputs and seed give the same rotation.
    """
    check_week(week_start, today)
    from_day = max(week_start, today)
    try:
        async with write_transaction():
            existing = await rotation_of(house_id, week_start)
            if existing is not None and not regenerate:
                return Made(rotation_id=existing["id"], created=False)
            if existing is not None:
                await _check_all_pending(existing["id"])
                seed = existing["seed"] if seed is None else seed
            seed = algo.derive_seed(house_id, week_start) if seed is None else seed
            made = await _plan(house_id, week_start, seed, from_day)
            rotation_id = await _store_rotation(
                house_id, week_start, existing, seed, from_day, actor_id=actor_id, now=now
            )
            await _insert_slots(rotation_id, house_id, made.slots)
            await record_access(
                actor_id=actor_id,
                action="chore_rotation_regenerated" if existing else "chore_rotation_made",
                at=now,
                record=f"chore_rotation:{rotation_id}",
                detail=f"house:{house_id} week:{week_start} seed:{seed}",
            )
    except Exception as exc:
        if not is_unique_violation(exc):
            raise
        # Another worker or manager made the same week a moment ago: theirs stands.
        existing = await rotation_of(house_id, week_start)
        if existing is None:
            raise
        return Made(rotation_id=existing["id"], created=False)
    return Made(
        rotation_id=rotation_id,
        created=existing is None,
        assignments=len(made.slots),
        unfilled=made.unfilled,
    )


async def _plan(house_id: int, week_start: dt.date, seed: int, from_day: dt.date) -> algo.Rotation:
    """Step 3: the algorithm's rotation of the week from `from_day` on, for this seed."""
    chores, residents, last_holder = await rotation_inputs(house_id, week_start)
    return algo.make_rotation(
        week_start=week_start,
        chores=chores,
        residents=residents,
        last_holder=last_holder,
        seed=seed,
        from_day=from_day,
    )


async def _check_all_pending(rotation_id: int) -> None:
    """Step 2: a week is made again only while none of it was done, checked or excused."""
    moved = await ChoreAssignment.exists().where(
        ChoreAssignment.rotation == rotation_id,
        ChoreAssignment.status != Status.pending,
    )
    if moved:
        raise DomainError(
            "Some chores of this week are already done, checked or excused, so "
            "the week cannot be made again. Swap assignments instead.",
            field="week",
        )


async def _store_rotation(
    house_id: int,
    week_start: dt.date,
    existing: dict[str, Any] | None,
    seed: int,
    from_day: dt.date,
    *,
    actor_id: int | None,
    now: dt.datetime,
) -> int:
    """The week's rotation row, made now, or the existing one with its pending assignments
    from `from_day` on taken away (they are made again) and its seed and maker updated."""
    if existing is None:
        rows = await ChoreRotation.insert(
            ChoreRotation(
                house=house_id,
                week_start=week_start,
                seed=seed,
                generated_at=now,
                generated_by=actor_id,
            )
        ).returning(ChoreRotation.id)
        return int(rows[0]["id"])
    rotation_id = int(existing["id"])
    await ChoreAssignment.delete().where(
        ChoreAssignment.rotation == rotation_id,
        ChoreAssignment.status == Status.pending,
        ChoreAssignment.day >= from_day,
    )
    await ChoreRotation.update(
        {
            ChoreRotation.seed: seed,
            ChoreRotation.generated_at: now,
            ChoreRotation.generated_by: actor_id,
        }
    ).where(ChoreRotation.id == rotation_id)
    return rotation_id


async def _insert_slots(rotation_id: int, house_id: int, slots: list[algo.Slot]) -> None:
    if slots:
        await ChoreAssignment.insert(
            *[
                ChoreAssignment(
                    rotation=rotation_id,
                    house=house_id,
                    chore=s.chore_id,
                    resident=s.resident_id,
                    stay=s.stay_id,
                    day=s.day,
                    weight=s.weight,
                    status=Status.pending,
                )
                for s in slots
            ]
        )


# Background work ---------------------------------------------------------------------------


def rotation_due_at(week_start: dt.date, day: int, hour: int, timezone: str) -> dt.datetime:
    """When the rotation of the week starting `week_start` is due: on ISO weekday `day` at
    `hour`, house time, in the week before."""
    day = min(max(day, 1), 7)
    hour = min(max(hour, 0), 23)
    return at_local(week_start - dt.timedelta(days=8 - day), dt.time(hour), timezone)


async def make_due_rotations(now: dt.datetime) -> list[int]:
    """For every house with active chores: make this week's rotation if it is missing (the
    worker was down) and next week's once its time has come. Returns the rotations made."""
    houses = await House.select(
        House.id, House.timezone, House.chore_rotation_day, House.chore_rotation_hour
    ).where(House.id.is_in(Chore.select(Chore.house).where(Chore.active.eq(True))))
    made = []
    for house in houses:
        today = house_today(now, house["timezone"])
        this_week = monday_of(today)
        next_week = this_week + dt.timedelta(weeks=1)
        weeks = [this_week]
        due = rotation_due_at(
            next_week, house["chore_rotation_day"], house["chore_rotation_hour"], house["timezone"]
        )
        if now >= due:
            weeks.append(next_week)
        for week in weeks:
            result = await generate_rotation(
                house_id=house["id"], week_start=week, today=today, now=now
            )
            if result.created:
                made.append(result.rotation_id)
    return made
