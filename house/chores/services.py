"""Chores of a house, the weekly rotation, and what happens to each assignment.

An assignment moves pending -> done (the resident) -> verified (a manager's one tap), or
back to sent_back (a manager, with a note; the resident does it again), missed (the sweep,
after its day ends in the house's timezone) or excused (a manager, with a reason). Every
change is one conditional UPDATE whose WHERE names the statuses it may come from, so two
taps or two managers never apply twice; it bumps `version` and writes an audit row.
Verified, missed and excused rows are never deleted.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from house.amendments.tables import Amendment
from house.audit.services import record_access
from house.chores import rotation as algo
from house.chores.tables import Chore, ChoreAssignment, ChoreRotation
from house.db import is_unique_violation, write_transaction
from house.houses.tables import House
from house.lib.dates import house_today
from house.lib.errors import DomainError, NotFound
from house.residents.tables import Stay

Status = ChoreAssignment.Status
# A week may be made from the current week up to this far ahead.
WEEKS_AHEAD = 4
OPEN = (Status.pending, Status.sent_back)


class Stale(DomainError):
    """The assignment was changed by someone else first (or by the same person, twice)."""


def week_end(week_start: dt.date) -> dt.date:
    return week_start + dt.timedelta(days=6)


# Chores ------------------------------------------------------------------------------------


async def chores_of(house_id: int) -> list[dict[str, Any]]:
    """Every chore of a house, active ones first, by area and name."""
    rows: list[dict[str, Any]] = (
        await Chore.select()
        .where(Chore.house == house_id)
        .order_by(Chore.active, ascending=False)
        .order_by(Chore.area, Chore.name)
    )
    return rows


async def get_chore(house_id: int, chore_id: int) -> dict[str, Any]:
    """A chore of this house, or NotFound (another house's chore is not found)."""
    row: dict[str, Any] | None = (
        await Chore.select().where(Chore.id == chore_id, Chore.house == house_id).first()
    )
    if row is None:
        raise NotFound()
    return row


def _chore_columns(values: dict[str, Any]) -> dict[Any, Any]:
    return {
        Chore.name: values["name"],
        Chore.area: values["area"],
        Chore.instructions: values["instructions"],
        Chore.frequency: values["frequency"],
        Chore.weekdays: values["weekdays"],
        Chore.weight: values["weight"],
    }


async def add_chore(
    *, actor_id: int, house_id: int, values: dict[str, Any], now: dt.datetime
) -> int:
    async with write_transaction():
        rows = await Chore.insert(
            Chore(house=house_id, created_at=now, active=True, **_plain(values))
        ).returning(Chore.id)
        chore_id = int(rows[0]["id"])
        await record_access(
            actor_id=actor_id, action="chore_added", at=now, record=f"chore:{chore_id}"
        )
    return chore_id


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    return {column._meta.name: value for column, value in _chore_columns(values).items()}


async def update_chore(
    *, actor_id: int, house_id: int, chore_id: int, values: dict[str, Any], now: dt.datetime
) -> None:
    """Change a chore. Assignments already made keep the weight they were made with."""
    async with write_transaction():
        changed = (
            await Chore.update(_chore_columns(values))
            .where(Chore.id == chore_id, Chore.house == house_id)
            .returning(Chore.id)
        )
        if not changed:
            raise NotFound()
        await record_access(
            actor_id=actor_id, action="chore_changed", at=now, record=f"chore:{chore_id}"
        )


async def set_chore_active(
    *, actor_id: int, house_id: int, chore_id: int, active: bool, now: dt.datetime
) -> None:
    """Deactivate (leave out of new rotations) or reactivate; chores are never deleted."""
    async with write_transaction():
        changed = (
            await Chore.update({Chore.active: active})
            .where(Chore.id == chore_id, Chore.house == house_id)
            .returning(Chore.id)
        )
        if not changed:
            raise NotFound()
        await record_access(
            actor_id=actor_id,
            action="chore_reactivated" if active else "chore_deactivated",
            at=now,
            record=f"chore:{chore_id}",
        )


# The rotation ------------------------------------------------------------------------------


@dataclass
class Made:
    rotation_id: int
    created: bool
    assignments: int = 0
    unfilled: list[tuple[int, dt.date]] = field(default_factory=list)


async def rotation_of(house_id: int, week_start: dt.date) -> dict[str, Any] | None:
    row: dict[str, Any] | None = (
        await ChoreRotation.select(
            *ChoreRotation.all_columns(),
            ChoreRotation.generated_by.name.as_alias("generated_by_name"),
        )
        .where(ChoreRotation.house == house_id, ChoreRotation.week_start == week_start)
        .first()
    )
    return row


def check_week(week_start: dt.date, today: dt.date) -> None:
    """A rotation is made for a week that has not ended, up to WEEKS_AHEAD weeks ahead."""
    if week_start.isoweekday() != 1:
        raise DomainError("A week starts on a Monday.", field="week")
    if week_end(week_start) < today:
        raise DomainError("That week is over: a rotation is made for this week or later.", "week")
    if week_start > algo.week_start_of(today) + dt.timedelta(weeks=WEEKS_AHEAD):
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
        if row["status"] != Status.excused:  # an excused chore was not owed
            effort[row["resident"]] += row["weight"]
        last_holder[row["chore"]] = row["resident"]
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
    residents = [
        algo.ResidentSpec(
            id=resident,
            stay_id=stay_of[resident],
            present=frozenset(present[resident]),
            history_effort=effort[resident],
            history_days=history_days[resident],
        )
        for resident in sorted(stay_of)
    ]
    return chores, residents, last_holder


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
                moved = await ChoreAssignment.exists().where(
                    ChoreAssignment.rotation == existing["id"],
                    ChoreAssignment.status != Status.pending,
                )
                if moved:
                    raise DomainError(
                        "Some chores of this week are already done, checked or excused, so "
                        "the week cannot be made again. Swap assignments instead.",
                        field="week",
                    )
                seed = existing["seed"] if seed is None else seed
            seed = algo.derive_seed(house_id, week_start) if seed is None else seed
            chores, residents, last_holder = await rotation_inputs(house_id, week_start)
            made = algo.make_rotation(
                week_start=week_start,
                chores=chores,
                residents=residents,
                last_holder=last_holder,
                seed=seed,
                from_day=from_day,
            )
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
                rotation_id = int(rows[0]["id"])
            else:
                rotation_id = existing["id"]
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
            if made.slots:
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
                        for s in made.slots
                    ]
                )
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


# Reading -----------------------------------------------------------------------------------

_ROW = (
    ChoreAssignment.id,
    ChoreAssignment.rotation,
    ChoreAssignment.house,
    ChoreAssignment.chore,
    ChoreAssignment.resident,
    ChoreAssignment.stay,
    ChoreAssignment.day,
    ChoreAssignment.weight,
    ChoreAssignment.status,
    ChoreAssignment.note,
    ChoreAssignment.done_at,
    ChoreAssignment.checked_at,
    ChoreAssignment.version,
    ChoreAssignment.chore.name.as_alias("chore_name"),
    ChoreAssignment.chore.area.as_alias("area"),
    ChoreAssignment.chore.instructions.as_alias("instructions"),
    ChoreAssignment.resident.preferred_name.as_alias("name"),
    ChoreAssignment.checked_by.name.as_alias("checked_by_name"),
)


async def assignment(assignment_id: int) -> dict[str, Any] | None:
    """One assignment with its chore and resident names (the caller checks the house)."""
    row: dict[str, Any] | None = (
        await ChoreAssignment.select(*_ROW).where(ChoreAssignment.id == assignment_id).first()
    )
    return row


async def day_list(house_id: int, day: dt.date) -> list[dict[str, Any]]:
    """A day's assignments in one query, by area and chore."""
    rows: list[dict[str, Any]] = (
        await ChoreAssignment.select(*_ROW)
        .where(ChoreAssignment.house == house_id, ChoreAssignment.day == day)
        .order_by(ChoreAssignment.chore.area)
        .order_by(ChoreAssignment.chore.name)
        .order_by(ChoreAssignment.id)
    )
    return rows


async def week_grid(house_id: int, week_start: dt.date) -> dict[str, Any]:
    """The week's rotation (or None) and its assignments grouped by chore, day by day."""
    rotation = await rotation_of(house_id, week_start)
    rows: list[dict[str, Any]] = []
    if rotation is not None:
        rows = (
            await ChoreAssignment.select(*_ROW)
            .where(ChoreAssignment.rotation == rotation["id"])
            .order_by(ChoreAssignment.chore.area)
            .order_by(ChoreAssignment.chore.name)
            .order_by(ChoreAssignment.day)
        )
    by_chore: dict[int, dict[str, Any]] = {}
    for row in rows:
        entry = by_chore.setdefault(
            row["chore"],
            {"id": row["chore"], "name": row["chore_name"], "area": row["area"], "days": {}},
        )
        entry["days"][row["day"]] = row
    return {
        "rotation": rotation,
        "rows": rows,
        "chores": list(by_chore.values()),
        "days": algo.week_days(week_start),
        "all_pending": all(r["status"] == Status.pending for r in rows),
    }


async def my_week(user_id: int, now: dt.datetime) -> dict[str, Any] | None:
    """For a signed-in resident: their house, today there, their assignments this week and
    the house's chart (chore, day, preferred name). None when they live in no house."""
    stay: dict[str, Any] | None = (
        await Stay.select(
            Stay.id,
            Stay.house,
            Stay.resident,
            Stay.house.name.as_alias("house_name"),
            Stay.house.timezone.as_alias("timezone"),
        )
        .where(Stay.resident.user == user_id, Stay.status == Stay.Status.active)
        .first()
    )
    if stay is None:
        return None
    today = house_today(now, stay["timezone"])
    start = algo.week_start_of(today)
    rows = (
        await ChoreAssignment.select(*_ROW)
        .where(
            ChoreAssignment.house == stay["house"],
            ChoreAssignment.day >= start,
            ChoreAssignment.day <= week_end(start),
        )
        .order_by(ChoreAssignment.day)
        .order_by(ChoreAssignment.chore.name)
    )
    chart: dict[dt.date, list[dict[str, Any]]] = {d: [] for d in algo.week_days(start)}
    for row in rows:
        chart[row["day"]].append(row)
    return {
        **stay,
        "today": today,
        "week_start": start,
        "mine": [r for r in rows if r["resident"] == stay["resident"]],
        "chart": chart,
    }


# Transitions -------------------------------------------------------------------------------


async def _move(
    row: dict[str, Any],
    *,
    came_from: tuple[str, ...],
    changes: dict[Any, Any],
    actor_id: int,
    action: str,
    now: dt.datetime,
    message: str,
) -> None:
    """The one conditional UPDATE every transition goes through, with its audit row."""
    async with write_transaction():
        changed = (
            await ChoreAssignment.update(
                {**changes, ChoreAssignment.version: ChoreAssignment.version + 1}
            )
            .where(ChoreAssignment.id == row["id"], ChoreAssignment.status.is_in(list(came_from)))
            .returning(ChoreAssignment.id)
        )
        if not changed:
            raise Stale(message)
        await record_access(
            actor_id=actor_id, action=action, at=now, record=f"chore_assignment:{row['id']}"
        )


async def mark_done(*, user_id: int, assignment_id: int, now: dt.datetime) -> dict[str, Any]:
    """A resident says their own chore is done: on its day or later the same week."""
    row = (
        await ChoreAssignment.select(*_ROW, ChoreAssignment.house.timezone.as_alias("timezone"))
        .where(ChoreAssignment.id == assignment_id, ChoreAssignment.resident.user == user_id)
        .first()
    )
    if row is None:
        raise NotFound()
    today = house_today(now, row["timezone"])
    if row["day"] > today:
        raise DomainError("This chore is for a later day: mark it done on the day.")
    if row["day"] < algo.week_start_of(today):
        raise DomainError("That week is over.")
    await _move(
        row,
        came_from=OPEN,
        changes={ChoreAssignment.status: Status.done, ChoreAssignment.done_at: now},
        actor_id=user_id,
        action="chore_done",
        now=now,
        message="This chore is already marked.",
    )
    return row


def _checked(actor_id: int, now: dt.datetime) -> dict[Any, Any]:
    return {ChoreAssignment.checked_by: actor_id, ChoreAssignment.checked_at: now}


async def verify(*, actor_id: int, row: dict[str, Any], today: dt.date, now: dt.datetime) -> None:
    """A manager's one tap: pending, done or sent back -> verified, on its day or after."""
    if row["day"] > today:
        raise DomainError("This chore is for a later day.")
    await _move(
        row,
        came_from=(Status.pending, Status.done, Status.sent_back),
        changes={ChoreAssignment.status: Status.verified, **_checked(actor_id, now)},
        actor_id=actor_id,
        action="chore_verified",
        now=now,
        message="Someone has already checked this chore.",
    )


async def send_back(
    *, actor_id: int, row: dict[str, Any], note: str, today: dt.date, now: dt.datetime
) -> None:
    """Done, but not well enough: back to the resident with a short note."""
    if row["day"] > today:
        raise DomainError("This chore is for a later day.")
    if row["status"] != Status.done:
        raise DomainError("Only a chore marked done can be sent back.")
    await _move(
        row,
        came_from=(Status.done,),
        changes={
            ChoreAssignment.status: Status.sent_back,
            ChoreAssignment.note: note,
            **_checked(actor_id, now),
        },
        actor_id=actor_id,
        action="chore_sent_back",
        now=now,
        message="Someone has already checked this chore.",
    )


async def excuse(*, actor_id: int, row: dict[str, Any], reason: str, now: dt.datetime) -> None:
    """Excuse a chore that is not verified (also a missed one), with a reason."""
    if row["status"] in (Status.verified, Status.excused):
        raise DomainError(f"This chore is already {row['status']}.")
    await _move(
        row,
        came_from=(Status.pending, Status.done, Status.sent_back, Status.missed),
        changes={
            ChoreAssignment.status: Status.excused,
            ChoreAssignment.note: reason,
            **_checked(actor_id, now),
        },
        actor_id=actor_id,
        action="chore_excused",
        now=now,
        message="Someone has already checked this chore.",
    )


FINAL = (Status.verified, Status.missed, Status.excused)


async def correct(
    *, actor_id: int, row: dict[str, Any], status: str, reason: str, now: dt.datetime
) -> None:
    """Correct a verified, missed or excused chore (a wrong tap, a late excuse) to another of
    those: the row changes and an amendment keeps the old value, who, when and why."""
    if row["status"] not in FINAL:
        raise DomainError("Only a verified, missed or excused chore is corrected.")
    if status not in FINAL or status == row["status"]:
        raise DomainError("Choose what it should be instead.", field="status")
    async with write_transaction():
        changed = (
            await ChoreAssignment.update(
                {
                    ChoreAssignment.status: status,
                    ChoreAssignment.version: ChoreAssignment.version + 1,
                    **_checked(actor_id, now),
                }
            )
            .where(
                ChoreAssignment.id == row["id"],
                ChoreAssignment.status == row["status"],
                ChoreAssignment.version == row["version"],
            )
            .returning(ChoreAssignment.id)
        )
        if not changed:
            raise Stale("Someone changed this chore a moment ago. Look again.")
        await Amendment.insert(
            Amendment(
                table_name="chore_assignment",
                record_id=row["id"],
                field="status",
                old_value=row["status"],
                new_value=status,
                reason=reason,
                actor=actor_id,
                at=now,
            )
        )
        await record_access(
            actor_id=actor_id,
            action="chore_corrected",
            at=now,
            record=f"chore_assignment:{row['id']}",
            detail=f"{row['status']} -> {status}",
        )


async def swap(
    *, actor_id: int, house_id: int, first: int, second: int, today: dt.date, now: dt.datetime
) -> None:
    """Exchange the residents of two pending assignments of one rotation of this house whose
    days have not passed, in one transaction (both or neither)."""
    if first == second:
        raise DomainError("Choose two different assignments.", field="second")
    async with write_transaction():
        rows = {
            r["id"]: r
            for r in await ChoreAssignment.select(
                *_ROW,
                ChoreAssignment.stay.admitted_on.as_alias("admitted_on"),
                ChoreAssignment.stay.exited_on.as_alias("exited_on"),
            ).where(ChoreAssignment.id.is_in([first, second]), ChoreAssignment.house == house_id)
        }
        if len(rows) != 2:
            raise NotFound()
        a, b = rows[first], rows[second]
        if a["rotation"] != b["rotation"]:
            raise DomainError("Swap two chores of the same week.", field="second")
        if a["status"] != Status.pending or b["status"] != Status.pending:
            raise DomainError("Only chores still pending can be swapped.", field="second")
        if min(a["day"], b["day"]) < today:
            raise DomainError("A chore of a past day cannot be swapped.", field="second")
        if a["resident"] == b["resident"]:
            raise DomainError("Both chores are the same resident's.", field="second")
        for who, day in ((a, b["day"]), (b, a["day"])):
            if day not in algo.presence_days(
                algo.week_start_of(day), who["admitted_on"], who["exited_on"]
            ):
                raise DomainError(f"{who['name']} is not in the house that day.", field="second")
        for mine, theirs in ((a, b), (b, a)):
            changed = (
                await ChoreAssignment.update(
                    {
                        ChoreAssignment.resident: theirs["resident"],
                        ChoreAssignment.stay: theirs["stay"],
                        ChoreAssignment.version: ChoreAssignment.version + 1,
                        **_checked(actor_id, now),
                    }
                )
                .where(
                    ChoreAssignment.id == mine["id"],
                    ChoreAssignment.status == Status.pending,
                    ChoreAssignment.version == mine["version"],
                )
                .returning(ChoreAssignment.id)
            )
            if not changed:
                raise Stale("One of these chores changed a moment ago. Look again.")
        await record_access(
            actor_id=actor_id,
            action="chore_swapped",
            at=now,
            record=f"chore_assignment:{first}",
            detail=f"with chore_assignment:{second}",
        )


# Background work ---------------------------------------------------------------------------


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def rotation_due_at(week_start: dt.date, day: int, hour: int, timezone: str) -> dt.datetime:
    """When the rotation of the week starting `week_start` is due: on ISO weekday `day` at
    `hour`, house time, in the week before."""
    day = min(max(day, 1), 7)
    hour = min(max(hour, 0), 23)
    local = dt.datetime.combine(
        week_start - dt.timedelta(days=8 - day), dt.time(hour), tzinfo=_zone(timezone)
    )
    return local.astimezone(dt.UTC)


async def make_due_rotations(now: dt.datetime) -> list[int]:
    """For every house with active chores: make this week's rotation if it is missing (the
    worker was down) and next week's once its time has come. Returns the rotations made."""
    houses = await House.select(
        House.id, House.timezone, House.chore_rotation_day, House.chore_rotation_hour
    ).where(House.id.is_in(Chore.select(Chore.house).where(Chore.active.eq(True))))
    made = []
    for house in houses:
        today = house_today(now, house["timezone"])
        this_week = algo.week_start_of(today)
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


async def sweep_missed(now: dt.datetime) -> int:
    """Mark pending and sent-back assignments whose day has ended (house time) as missed:
    one conditional UPDATE per house. Returns how many were marked."""
    houses = await House.select(House.id, House.timezone).where(
        House.id.is_in(
            ChoreAssignment.select(ChoreAssignment.house).where(
                ChoreAssignment.status.is_in(list(OPEN))
            )
        )
    )
    total = 0
    for house in houses:
        today = house_today(now, house["timezone"])
        async with write_transaction():
            missed = (
                await ChoreAssignment.update(
                    {
                        ChoreAssignment.status: Status.missed,
                        ChoreAssignment.version: ChoreAssignment.version + 1,
                    }
                )
                .where(
                    ChoreAssignment.house == house["id"],
                    ChoreAssignment.day < today,
                    ChoreAssignment.status.is_in(list(OPEN)),
                )
                .returning(ChoreAssignment.id)
            )
            if missed:
                await record_access(
                    actor_id=None,
                    action="chores_missed",
                    at=now,
                    record=f"house:{house['id']}",
                    detail=f"{len(missed)} assignments",
                )
        total += len(missed)
    return total
