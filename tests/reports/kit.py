"""A house's week for the report tests: a house with a manager and residents (with a
surname that must never show), and the week's chores, roll calls, screens and violations."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from house.accounts.tables import User
from house.chores import services as chores
from house.chores.tables import ChoreAssignment, ChoreRotation
from house.db import write_transaction
from house.lib import clock
from house.meetings.tables import Attendance
from house.outbox.tables import OutboxEmail
from house.residents.tables import Resident, Stay
from house.rules import services as rules
from house.rules.tables import Rule
from house.screens.tables import Screen, ScreenResult, Substance
from house.violations.tables import Violation
from tests.factories import (
    Person,
    make_house,
    make_house_meeting,
    make_outside_meeting,
    make_resident_in,
    make_user,
    unique,
)

CHICAGO = "America/Chicago"
# Monday 30 November 2026, 07:00 in Chicago (CST, UTC-6): the week of 23-29 Nov is due.
MONDAY_SEVEN = dt.datetime(2026, 11, 30, 13, 0, tzinfo=dt.UTC)
WEEK = dt.date(2026, 11, 23)
SURNAME = "Quimbyson"


def chicago(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=ZoneInfo(CHICAGO)).astimezone(
        dt.UTC
    )


async def house_with(
    names: list[str], *, admitted_on: dt.date, timezone: str = CHICAGO
) -> tuple[int, Person, list[dict[str, Any]]]:
    """A house with a manager and residents going by `names` (surname SURNAME)."""
    house = await make_house(unique("Elm"), timezone=timezone)
    manager = await make_user(User.Role.manager, [house])
    people = []
    for name in names:
        ids = await make_resident_in(
            house, manager.id, preferred_name=name, admitted_on=admitted_on
        )
        await Resident.update({Resident.legal_name: f"{name} {SURNAME}"}).where(
            Resident.id == ids["resident"]
        )
        people.append({**ids, "name": name})
    return house, manager, people


async def emails_of(person: Person) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = (
        await OutboxEmail.select()
        .where(OutboxEmail.key.like(f"compliance:{person.id}:%"))
        .order_by(OutboxEmail.id)
    )
    return rows


async def chore_days(
    house: int, manager: Person, resident: dict[str, Any], statuses: list[tuple[dt.date, str]]
) -> None:
    """Assignments of a new chore to `resident`, one per (day, status), in the house's
    rotations of those weeks (made here if missing)."""
    chore = await chores.add_chore(
        actor_id=manager.id,
        house_id=house,
        values={
            "name": unique("Kitchen"),
            "area": "",
            "instructions": "",
            "frequency": "daily",
            "weekdays": "",
            "weight": 1,
        },
        now=clock.now(),
    )
    async with write_transaction():
        rotations = {
            r["week_start"]: r["id"]
            for r in await ChoreRotation.select(ChoreRotation.id, ChoreRotation.week_start).where(
                ChoreRotation.house == house
            )
        }
        for day, _ in statuses:
            monday = day - dt.timedelta(days=day.weekday())
            if monday not in rotations:
                rows = await ChoreRotation.insert(
                    ChoreRotation(house=house, week_start=monday, seed=1, generated_at=clock.now())
                ).returning(ChoreRotation.id)
                rotations[monday] = int(rows[0]["id"])
        await ChoreAssignment.insert(
            *[
                ChoreAssignment(
                    rotation=rotations[day - dt.timedelta(days=day.weekday())],
                    house=house,
                    chore=chore,
                    resident=resident["resident"],
                    stay=resident["stay"],
                    day=day,
                    status=status,
                )
                for day, status in statuses
            ]
        )


async def roll_call(
    house: int, manager: Person, starts_at: dt.datetime, statuses: dict[int, str]
) -> None:
    """A house meeting at `starts_at` with its roll call: {stay id: status}."""
    meeting = await make_house_meeting(house, starts_at=starts_at)
    stays = {
        s["id"]: s["resident"]
        for s in await Stay.select(Stay.id, Stay.resident).where(Stay.id.is_in(list(statuses)))
    }
    async with write_transaction():
        await Attendance.insert(
            *[
                Attendance(
                    meeting=meeting,
                    resident=stays[stay],
                    stay=stay,
                    status=status,
                    recorded_by=manager.id,
                    recorded_at=starts_at,
                )
                for stay, status in statuses.items()
            ]
        )


async def screen(
    house: int,
    resident: dict[str, Any],
    at: dt.datetime,
    outcome: str,
    substance: int = 0,
    lab: str = "",
) -> None:
    async with write_transaction():
        rows = await Screen.insert(
            Screen(
                house=house,
                stay=resident["stay"],
                resident=resident["resident"],
                collected_at=at,
                method=None if outcome in ("missed", "refused") else Screen.Method.urine_cup,
                reason=Screen.Reason.random,
                outcome=outcome,
                lab=lab,
                recorded_at=at,
            )
        ).returning(Screen.id)
        if substance:
            await ScreenResult.insert(
                ScreenResult(screen=rows[0]["id"], substance=substance, result=outcome)
            )


async def violation(house: int, manager: Person, resident: dict[str, Any], status: str) -> None:
    rule = await Rule.select(Rule.id).where(Rule.rule_set.house == house).first()
    if rule is None:
        await rules.publish(
            actor_id=manager.id,
            house_id=house,
            rules=[{"number": 1, "text": "Be kind.", "category": "", "consequence": ""}],
            note="",
            now=clock.now(),
        )
        rule = await Rule.select(Rule.id).where(Rule.rule_set.house == house).first()
    assert rule is not None
    async with write_transaction():
        await Violation.insert(
            Violation(
                house=house,
                stay=resident["stay"],
                resident=resident["resident"],
                rule=rule["id"],
                occurred_at=clock.now(),
                description="Shouted at a housemate.",
                severity=Violation.Severity.minor,
                consequence="Warning",
                status=status,
                recorded_by=manager.id,
                recorded_at=clock.now(),
            )
        )


@dataclass
class Scene:
    """The week of 23-29 Nov 2026 in one house: Pat (chores, meetings, a negative and a
    ketamine positive awaiting the lab, one open violation), Sam (typed with markup: a
    refused and a prescribed positive), Gone (left before the week) and Later (came after
    it); and another house with Otto (a dilute)."""

    house: int
    manager: Person
    pat: dict[str, Any]
    sam: dict[str, Any]
    gone: str
    later: str
    other: int
    other_manager: Person
    otto: dict[str, Any]
    ketamine: str


async def _substance(code: str) -> dict[str, Any]:
    row = await Substance.select(Substance.id, Substance.name).where(Substance.code == code).first()
    assert row is not None
    return row


# A scene is a long list of records; splitting it would only scatter what the tests read.
async def busy_week() -> Scene:
    clock.freeze(MONDAY_SEVEN - dt.timedelta(days=14))
    pat, sam, gone, later = (unique(n) for n in ("Pat", "<b>Sam</b>", "Gone", "Later"))
    house, manager, (p, s, g) = await house_with(
        [pat, sam, gone], admitted_on=WEEK - dt.timedelta(days=30)
    )
    await make_resident_in(
        house, manager.id, preferred_name=later, admitted_on=dt.date(2026, 12, 1)
    )
    await Stay.update(
        {Stay.status: Stay.Status.exited, Stay.exited_on: WEEK - dt.timedelta(days=1)}
    ).where(Stay.id == g["stay"])
    other, other_manager, (otto,) = await house_with(
        [unique("Otto")], admitted_on=WEEK - dt.timedelta(days=30)
    )
    ketamine = await _substance("ketamine")
    sunday = WEEK + dt.timedelta(days=6)

    clock.freeze(MONDAY_SEVEN - dt.timedelta(hours=6))
    await chore_days(
        house,
        manager,
        p,
        [
            (WEEK, "verified"),
            (WEEK + dt.timedelta(days=1), "verified"),
            (WEEK + dt.timedelta(days=2), "verified"),
            (WEEK + dt.timedelta(days=3), "missed"),
            (sunday, "missed"),
            (WEEK + dt.timedelta(days=4), "done"),  # not verified: not counted
            (WEEK + dt.timedelta(days=5), "excused"),
            (WEEK - dt.timedelta(days=1), "missed"),  # the week before
            (sunday + dt.timedelta(days=1), "verified"),  # this week
        ],
    )
    await roll_call(
        house,
        manager,
        chicago(WEEK + dt.timedelta(days=1), 19),
        {p["stay"]: "late", s["stay"]: "present"},
    )
    await roll_call(
        house, manager, chicago(sunday, 19), {p["stay"]: "present", s["stay"]: "absent"}
    )
    await roll_call(house, manager, chicago(WEEK - dt.timedelta(days=1), 19), {p["stay"]: "absent"})
    for day, status in (
        (WEEK + dt.timedelta(days=1), "verified"),
        (sunday, "verified"),
        (WEEK + dt.timedelta(days=2), "pending"),
        (WEEK + dt.timedelta(days=3), "rejected"),
        (WEEK - dt.timedelta(days=1), "verified"),
    ):
        await make_outside_meeting(
            p, house, manager.id, held_at=chicago(day, 20), status=status, reviewer_id=manager.id
        )
    await screen(house, p, chicago(WEEK + dt.timedelta(days=1), 9), "negative")
    await screen(
        house, p, chicago(WEEK + dt.timedelta(days=4), 9), "positive", ketamine["id"], "pending"
    )
    await screen(house, s, chicago(WEEK + dt.timedelta(days=2), 9), "refused")
    await screen(house, s, chicago(WEEK + dt.timedelta(days=3), 9), "expected_positive")
    await screen(other, otto, chicago(WEEK + dt.timedelta(days=2), 9), "dilute")
    await violation(house, manager, p, Violation.Status.open)
    await violation(house, manager, p, Violation.Status.resolved)
    return Scene(
        house=house,
        manager=manager,
        pat=p,
        sam=s,
        gone=gone,
        later=later,
        other=other,
        other_manager=other_manager,
        otto=otto,
        ketamine=str(ketamine["name"]),
    )
