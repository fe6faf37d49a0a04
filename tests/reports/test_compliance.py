"""The weekly summary email: from Monday 07:00 house time (across a DST change too), once
per manager and house, with the house's counts only (no resident's name, no outcome word,
nothing from another house) and a link to the week's summary page, in a fixed number of
queries, and through the real worker to a real SMTP server with text and HTML parts."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

import pytest

from house.accounts.tables import User
from house.houses.tables import House
from house.lib import clock
from house.outbox.tables import OutboxEmail
from house.reports import compliance
from house.reports import jobs as report_jobs
from house.violations.tables import Violation
from house.worker import FUNCTIONS, make_cron_jobs
from tests.factories import make_outside_meeting, make_user, unique
from tests.reports.kit import (
    MONDAY_SEVEN,
    SURNAME,
    WEEK,
    busy_week,
    chicago,
    chore_days,
    emails_of,
    house_with,
    roll_call,
    screen,
    violation,
)


@pytest.fixture(autouse=True)
async def _clean() -> AsyncIterator[None]:
    """Release the clock, and take out the compliance emails this test queued: the queue
    spans every house of the shared database, and unsent rows would crowd the outbox of
    the tests that come after."""
    yield
    clock.freeze(None)
    await OutboxEmail.delete().where(OutboxEmail.key.like("compliance:%"))


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
    assert [e["subject"] for e in await emails_of(mia)][1].endswith("week of 30 Nov 2026")


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


async def test_it_emails_house_counts_without_names_or_outcomes() -> None:
    scene = await busy_week()
    await compliance.queue_compliance_emails(MONDAY_SEVEN)
    [email] = await emails_of(scene.manager)
    name = (await House.select(House.name).where(House.id == scene.house).first() or {})["name"]
    assert email["subject"] == f"House {name}: weekly summary, week of 23 Nov 2026"
    link = f"https://house.test/houses/{scene.house}/reports/weekly?week=2026-11-23"
    # Pat and Sam lived there (not Gone, not Later); Pat's 3 and 0 of 3 outside meetings.
    assert (
        "Residents: 2\n"
        "Chores: 3 verified, 2 missed\n"
        "House meetings: 3 of 4 attended\n"
        "Outside meetings: 2 of 6 verified (2 residents short)\n"
        "Screens: 4 recorded, 2 need attention\n"
        "Open violations: 1\n"
    ) in email["body"]
    assert f"\n{link}\n" in email["body"]
    html = email["html"]
    assert f'href="{link}"' in html
    assert "3 verified, 2 missed" in html
    assert "4 recorded, 2 need attention" in html
    names = (scene.pat["name"], scene.sam["name"], "Sam", scene.gone, scene.later, SURNAME)
    words = ("negative", "positive", "expected", "prescri", "refused", "dilute", "lab ")
    for text in (email["subject"], email["body"], html):
        lowered = text.lower()
        for absent in (*names, scene.otto["name"]):
            assert absent.lower() not in lowered, absent
        for absent in (*words, scene.ketamine.lower(), "ketamine"):
            assert absent not in lowered, absent

    for text in (email["body"], html):  # "missed" is a chore count, never a screen's word
        assert text.count("missed") == 1

    [theirs] = await emails_of(scene.other_manager)
    assert "Residents: 1\n" in theirs["body"]
    assert "Screens: 1 recorded, 1 needs attention\n" in theirs["body"]
    assert f"/houses/{scene.other}/reports/weekly?week=2026-11-23" in theirs["body"]


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
    assert email["subject"].endswith("week of 26 Oct 2026")
    assert "Screens: 2 recorded, 1 needs attention\n" in email["body"]


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
    assert message["Subject"].endswith("weekly summary, week of 29 Dec 2025")
    assert message.is_multipart()
    parts = {part.get_content_type(): part for part in message.walk()}
    text = parts["text/plain"].get_payload(decode=True).decode()
    html = parts["text/html"].get_payload(decode=True).decode()
    assert "Residents: 1\r\n" in text  # SMTP line endings
    assert "/reports/weekly?week=2025-12-29" in text
    assert "<table" in html
    assert pat["name"] not in text
    assert pat["name"] not in html
    await run_worker()  # a second run sends nothing more
    assert len(smtp_server.to(manager.email)) == 1
