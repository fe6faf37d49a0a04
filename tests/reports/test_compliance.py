"""The weekly compliance email: from Monday 07:00 house time (across a DST change too), once
per manager and house, with each resident's week (by the name they go by, outcome words,
no substance, no surname, nobody from another house), in a fixed number of queries, and
through the real worker to a real SMTP server with text and HTML parts."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

import pytest

from house.accounts.tables import User
from house.chores import services as chores
from house.chores.tables import ChoreAssignment, ChoreRotation
from house.db import write_transaction
from house.houses.tables import House
from house.lib import clock
from house.meetings.tables import Attendance
from house.outbox.tables import OutboxEmail
from house.reports import compliance
from house.reports import jobs as report_jobs
from house.residents.tables import Resident, Stay
from house.rules import services as rules
from house.rules.tables import Rule
from house.screens.tables import Screen, ScreenResult, Substance
from house.violations.tables import Violation
from house.worker import FUNCTIONS, make_cron_jobs
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


@pytest.fixture(autouse=True)
async def _clean() -> AsyncIterator[None]:
    """Release the clock, and take out the compliance emails this test queued: the queue
    spans every house of the shared database, and unsent rows would crowd the outbox of
    the tests that come after."""
    yield
    clock.freeze(None)
    await OutboxEmail.delete().where(OutboxEmail.key.like("compliance:%"))


def chicago(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    from zoneinfo import ZoneInfo

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


def test_it_registers_the_weekly_job_every_quarter_hour() -> None:
    assert "queue_weekly_compliance" in {f.name for f in FUNCTIONS}
    (job,) = [c for c in make_cron_jobs() if c.name == "cron:queue_weekly_compliance"]
    assert job.minute == {0, 15, 30, 45}
    assert job.run_at_startup
    assert report_jobs.crons()[-1] is not report_jobs.crons()[-1]


async def test_it_waits_for_monday_seven_in_each_houses_time() -> None:
    clock.freeze(MONDAY_SEVEN - dt.timedelta(days=14))
    _, chicago_manager, _ = await house_with(["Pat"], admitted_on=WEEK - dt.timedelta(days=7))
    _, london_manager, _ = await house_with(
        ["Kit"], admitted_on=WEEK - dt.timedelta(days=7), timezone="Europe/London"
    )
    # 06:59 in Chicago is 12:59 in London: only the London house is due.
    await compliance.queue_compliance_emails(MONDAY_SEVEN - dt.timedelta(minutes=1))
    assert await emails_of(chicago_manager) == []
    assert len(await emails_of(london_manager)) == 1
    await compliance.queue_compliance_emails(MONDAY_SEVEN)
    [email] = await emails_of(chicago_manager)
    assert email["key"].endswith(":2026-11-30")
    assert email["to_address"] == chicago_manager.email


async def test_it_queues_one_email_per_manager_and_house_once_a_week() -> None:
    clock.freeze(MONDAY_SEVEN - dt.timedelta(days=14))
    elm, mia, _ = await house_with(["Pat"], admitted_on=WEEK - dt.timedelta(days=7))
    oak, olly, _ = await house_with(["Sam"], admitted_on=WEEK - dt.timedelta(days=7))
    both = await make_user(User.Role.manager, [elm, oak])
    away = await make_user(User.Role.manager, [elm], active=False)
    invited = await make_user(User.Role.manager, [elm], with_password=False)  # not joined
    admin = await make_user(User.Role.admin, [elm])

    assert await compliance.queue_compliance_emails(MONDAY_SEVEN) >= 4
    counts = [len(await emails_of(p)) for p in (mia, olly, both, away, invited, admin)]
    assert counts == [1, 1, 2, 0, 0, 0]
    # The cron runs again, and again on Wednesday: nothing new.
    assert await compliance.queue_compliance_emails(MONDAY_SEVEN + dt.timedelta(minutes=15)) == 0
    await compliance.queue_compliance_emails(MONDAY_SEVEN + dt.timedelta(days=2))
    assert [len(await emails_of(p)) for p in (mia, olly, both)] == [1, 1, 2]
    # The next Monday reports the next week.
    await compliance.queue_compliance_emails(MONDAY_SEVEN + dt.timedelta(days=7))
    keys = [e["key"] for e in await emails_of(mia)]
    assert keys == [
        f"compliance:{mia.id}:{elm}:2026-11-30",
        f"compliance:{mia.id}:{elm}:2026-12-07",
    ]
    assert [e["subject"] for e in await emails_of(mia)][1].endswith("week of 30 Nov")


async def test_it_catches_up_later_in_the_week_and_skips_an_empty_house() -> None:
    clock.freeze(MONDAY_SEVEN - dt.timedelta(days=14))
    _, mia, _ = await house_with(["Pat"], admitted_on=WEEK - dt.timedelta(days=7))
    # Moved in on Monday the 30th: nobody lived there during the week of 23 Nov.
    _, new, _ = await house_with(["Sam"], admitted_on=WEEK + dt.timedelta(days=7))
    tuesday = MONDAY_SEVEN + dt.timedelta(days=1)  # the worker was down all Monday
    await compliance.queue_compliance_emails(tuesday)
    [email] = await emails_of(mia)
    assert email["key"].endswith(":2026-11-30")
    assert await emails_of(new) == []


async def test_it_reports_each_residents_week_without_clinical_detail() -> None:
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
    ketamine = (
        await Substance.select(Substance.id, Substance.name)
        .where(Substance.code == "ketamine")
        .first()
    )
    assert ketamine is not None
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
    await screen(other, otto, chicago(WEEK + dt.timedelta(days=2), 9), "dilute")
    await violation(house, manager, p, Violation.Status.open)
    await violation(house, manager, p, Violation.Status.resolved)

    await compliance.queue_compliance_emails(MONDAY_SEVEN)
    [email] = await emails_of(manager)
    name = (await House.select(House.name).where(House.id == house).first() or {})["name"]
    assert email["subject"] == f"House {name}: weekly summary, week of 23 Nov"
    assert (
        f"{pat}\n"
        "  Chores: 3 done, 2 missed\n"
        "  House meetings: 2 of 2 attended\n"
        "  Outside meetings: 2 of 3 verified\n"
        "  Screens: negative, positive (lab pending)\n"
        "  Open violations: 1\n"
    ) in email["body"]
    assert (
        f"{sam}\n"
        "  Chores: 0 done, 0 missed\n"
        "  House meetings: 1 of 2 attended\n"
        "  Outside meetings: 0 of 3 verified\n"
        "  Screens: refused\n"
        "  Open violations: 0\n"
    ) in email["body"]
    assert "https://house.test" in email["body"]
    html = email["html"]
    assert pat in html
    assert "&lt;b&gt;Sam&lt;/b&gt;" in html  # a typed name is escaped
    assert "<b>Sam" not in html
    assert "negative, positive" in html
    assert "3 done, 2 missed" in html
    for text in (email["subject"], email["body"], html):
        assert SURNAME not in text
        assert ketamine["name"] not in text
        assert "ketamine" not in text.lower()
        for absent in (gone, later, otto["name"], "dilute"):
            assert absent not in text
    assert "positive" not in email["subject"]
    assert pat not in email["subject"]

    [theirs] = await emails_of(other_manager)
    assert otto["name"] in theirs["body"]
    assert "Screens: dilute" in theirs["body"]
    assert pat not in theirs["body"]


async def test_it_keeps_seven_oclock_and_the_week_across_the_dst_change() -> None:
    # Sunday 1 November 2026, 02:00 CDT -> 01:00 CST. Monday 2 November 07:00 CST = 13:00 UTC
    # (07:00 CDT would have been 12:00 UTC).
    monday = dt.date(2026, 11, 2)
    clock.freeze(dt.datetime(2026, 10, 15, 15, 0, tzinfo=dt.UTC))
    house, manager, (pat,) = await house_with(["Pat"], admitted_on=dt.date(2026, 10, 1))
    week_start = dt.date(2026, 10, 26)
    await screen(house, pat, chicago(week_start, 0, 30), "negative")  # Mon 00:30 CDT
    await screen(house, pat, chicago(week_start - dt.timedelta(days=1), 23, 30), "missed")
    await screen(house, pat, chicago(monday - dt.timedelta(days=1), 23, 30), "dilute")  # CST
    await screen(house, pat, chicago(monday, 0, 30), "refused")  # the new week

    await compliance.queue_compliance_emails(dt.datetime(2026, 11, 2, 12, 30, tzinfo=dt.UTC))
    assert await emails_of(manager) == []  # 06:30 CST
    await compliance.queue_compliance_emails(dt.datetime(2026, 11, 2, 13, 0, tzinfo=dt.UTC))
    [email] = await emails_of(manager)
    assert email["subject"].endswith("week of 26 Oct")
    assert "Screens: negative, dilute\n" in email["body"]


async def _queue_queries(queries: Any) -> int:
    with queries() as counted:
        assert await compliance.queue_compliance_emails(MONDAY_SEVEN) > 0
    count: int = counted.count
    return count


async def test_it_queues_in_the_same_number_of_queries_for_any_size(queries: Any) -> None:
    clock.freeze(MONDAY_SEVEN - dt.timedelta(days=14))

    async def busy_house(residents: int) -> None:
        house, manager, people = await house_with(
            [unique("R") for _ in range(residents)], admitted_on=WEEK - dt.timedelta(days=7)
        )
        for person in people:
            await chore_days(
                house,
                manager,
                person,
                [(WEEK, "verified"), (WEEK + dt.timedelta(days=1), "missed")],
            )
            await screen(house, person, chicago(WEEK, 9), "negative")
            await violation(house, manager, person, Violation.Status.open)
            await make_outside_meeting(
                person, house, manager.id, held_at=chicago(WEEK, 20), status="verified"
            )
        await roll_call(house, manager, chicago(WEEK, 19), {p["stay"]: "present" for p in people})

    await busy_house(2)
    small = await _queue_queries(queries)
    for _ in range(3):
        await busy_house(6)
    large = await _queue_queries(queries)
    assert small == large
    assert small == 10  # houses, managers, queued keys, six for the report, one insert


async def test_it_sends_the_summary_through_the_worker_with_text_and_html(
    run_worker: Any, smtp_server: Any
) -> None:
    # Monday 5 January 2026, 07:05 in Chicago: the week of 29 Dec 2025 is due.
    clock.freeze(dt.datetime(2025, 12, 1, 15, 0, tzinfo=dt.UTC))
    _, manager, (pat,) = await house_with([unique("Pat")], admitted_on=dt.date(2025, 12, 1))
    clock.freeze(dt.datetime(2026, 1, 5, 13, 5, tzinfo=dt.UTC))
    await run_worker()
    [message] = smtp_server.to(manager.email)
    assert message["Subject"].endswith("weekly summary, week of 29 Dec")
    assert message.is_multipart()
    parts = {part.get_content_type(): part for part in message.walk()}
    assert pat["name"] in parts["text/plain"].get_payload(decode=True).decode()
    assert "<table" in parts["text/html"].get_payload(decode=True).decode()
    await run_worker()  # a second run sends nothing more
    assert len(smtp_server.to(manager.email)) == 1
