"""The weekly compliance email: each active manager of a house gets, once a week, a summary
of the week that just ended (Monday to Sunday, house dates) for every resident who lived
there during it: chores verified and missed, house meetings attended of those held,
outside meetings verified of those required, screens with their outcome words, and the
open violations.

1. A house is due from Monday 07:00 house time (SEND_AT; DST-proof: the wall clock of the
   house's zone decides, not a fixed offset). The email's key is
   `compliance:{user}:{house}:{this Monday}`: a key already in the outbox is skipped, so
   the cron may run every 15 minutes all week; a worker down on Monday still sends on any
   later day of that week, and the next Monday starts the next week's key.
2. Only the houses with a key still to queue are read further, in one query per kind of
   record across all of them (stays, chores, house meetings, outside meetings, screens,
   open violations): the number of queries does not grow with houses or residents.
3. One bulk insert ON CONFLICT DO NOTHING: a second worker racing this one inserts nothing.

No clinical detail in the subject. The body goes to the house's own managers, so it names
residents, but by the name they go by (never the legal name) and with outcome words only
(never a substance). A house with nobody living there that week gets no email.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from piccolo.columns import Column
from piccolo.query.functions.aggregate import Count

from house.accounts.tables import HouseMembership, User
from house.chores.tables import ChoreAssignment
from house.houses.tables import House
from house.lib.dates import at_local, day_start, house_today, week_start
from house.lib.emails import house_label, render_text_and_html
from house.meetings.tables import Attendance, OutsideMeeting
from house.outbox import services as outbox
from house.residents.tables import Stay
from house.screens.outcomes import WORDS as OUTCOME_WORDS
from house.screens.tables import Screen
from house.settings import get_settings
from house.violations.tables import Violation

SEND_AT = dt.time(7, 0)
ATTENDED = (Attendance.Status.present, Attendance.Status.late)
LAB_WORDS = {
    Screen.Lab.pending: "lab pending",
    Screen.Lab.confirmed: "lab confirmed",
    Screen.Lab.overturned: "lab overturned",
}


@dataclass(frozen=True)
class Week:
    """The week a house's email reports on, and the Monday it is sent in (the key's)."""

    monday: dt.date
    start: dt.datetime  # Monday 00:00 house time, as UTC
    end: dt.datetime  # the next Monday 00:00 house time, as UTC (exclusive)
    sent_in: dt.date

    @property
    def sunday(self) -> dt.date:
        return self.monday + dt.timedelta(days=6)


def due_week(now: dt.datetime, timezone: str) -> Week | None:
    """The week to report on if the house's local time is past this week's Monday 07:00,
    else None."""
    this_monday = week_start(house_today(now, timezone))
    if now < at_local(this_monday, SEND_AT, timezone):
        return None
    monday = this_monday - dt.timedelta(days=7)
    return Week(
        monday=monday,
        start=day_start(monday, timezone),
        end=day_start(this_monday, timezone),
        sent_in=this_monday,
    )


def email_key(user_id: int, house_id: int, week: Week) -> str:
    return f"compliance:{user_id}:{house_id}:{week.sent_in.isoformat()}"


def subject(house_name: str, week: Week) -> str:
    """No clinical detail and no name of a resident."""
    label = house_label(house_name)
    return f"{label}: weekly summary, week of {week.monday.day} {week.monday:%b}"


def screen_words(row: dict[str, Any]) -> str:
    """The outcome and the lab's word ("positive (lab pending)"), never a substance."""
    words = OUTCOME_WORDS.get(row["outcome"], "recorded")
    lab = LAB_WORDS.get(row["lab"])
    return f"{words} ({lab})" if lab else words


# Queries spanning every house still to do -------------------------------------------------


def _any_week(houses: dict[int, Week], house: Column, within: Callable[[Week], Any]) -> Any:
    """A Piccolo WHERE: `house` one of the houses and `within(its week)`, OR-ed over the
    distinct weeks (most often one), so one query serves houses in any timezone."""
    by_week: dict[Week, list[int]] = defaultdict(list)
    for house_id, week in houses.items():
        by_week[week].append(house_id)
    parts = [house.is_in(sorted(ids)) & within(week) for week, ids in by_week.items()]
    return functools.reduce(operator.or_, parts)


async def _residents(houses: dict[int, Week]) -> dict[tuple[int, int], str]:
    """{(house, resident): name they go by} of stays that overlapped the week."""
    rows = await Stay.select(
        Stay.house, Stay.resident, Stay.resident.preferred_name.as_alias("name")
    ).where(
        Stay.admitted_on.is_not_null(),
        _any_week(
            houses,
            Stay.house,
            lambda w: (
                (Stay.admitted_on <= w.sunday)
                & (Stay.exited_on.is_null() | (Stay.exited_on >= w.monday))
            ),
        ),
    )
    return {(r["house"], r["resident"]): str(r["name"]) for r in rows}


async def _chores(houses: dict[int, Week]) -> Counter[tuple[int, int, str]]:
    rows = (
        await ChoreAssignment.select(
            ChoreAssignment.house,
            ChoreAssignment.resident,
            ChoreAssignment.status,
            Count(ChoreAssignment.id, alias="n"),
        )
        .where(
            ChoreAssignment.status.is_in(
                [ChoreAssignment.Status.verified, ChoreAssignment.Status.missed]
            ),
            _any_week(
                houses,
                ChoreAssignment.house,
                lambda w: (ChoreAssignment.day >= w.monday) & (ChoreAssignment.day <= w.sunday),
            ),
        )
        .group_by(ChoreAssignment.house, ChoreAssignment.resident, ChoreAssignment.status)
    )
    return Counter({(r["house"], r["resident"], r["status"]): int(r["n"]) for r in rows})


async def _house_meetings(houses: dict[int, Week]) -> Counter[tuple[int, int, str]]:
    """Roll-call rows of the week's house meetings by status ("held" is every row: a
    meeting held while the resident lived there, with its roll call taken)."""
    rows = (
        await Attendance.select(
            Attendance.meeting.house.as_alias("house"),
            Attendance.resident,
            Attendance.status,
            Count(Attendance.id, alias="n"),
        )
        .where(
            _any_week(
                houses,
                Attendance.meeting.house,
                lambda w: (
                    (Attendance.meeting.starts_at >= w.start)
                    & (Attendance.meeting.starts_at < w.end)
                ),
            )
        )
        .group_by(Attendance.meeting.house, Attendance.resident, Attendance.status)
    )
    return Counter({(r["house"], r["resident"], r["status"]): int(r["n"]) for r in rows})


async def _outside_meetings(houses: dict[int, Week]) -> Counter[tuple[int, int]]:
    rows = (
        await OutsideMeeting.select(
            OutsideMeeting.house, OutsideMeeting.resident, Count(OutsideMeeting.id, alias="n")
        )
        .where(
            OutsideMeeting.status == OutsideMeeting.Status.verified,
            _any_week(
                houses,
                OutsideMeeting.house,
                lambda w: (OutsideMeeting.held_at >= w.start) & (OutsideMeeting.held_at < w.end),
            ),
        )
        .group_by(OutsideMeeting.house, OutsideMeeting.resident)
    )
    return Counter({(r["house"], r["resident"]): int(r["n"]) for r in rows})


async def _screens(houses: dict[int, Week]) -> dict[tuple[int, int], list[str]]:
    """Outcome words of each resident's screens of the week, in the order collected."""
    rows = (
        await Screen.select(Screen.house, Screen.resident, Screen.outcome, Screen.lab)
        .where(
            _any_week(
                houses,
                Screen.house,
                lambda w: (Screen.collected_at >= w.start) & (Screen.collected_at < w.end),
            )
        )
        .order_by(Screen.collected_at, Screen.id)
    )
    words: dict[tuple[int, int], list[str]] = defaultdict(list)
    for row in rows:
        words[(row["house"], row["resident"])].append(screen_words(row))
    return words


async def _open_violations(houses: dict[int, Week]) -> Counter[tuple[int, int]]:
    """Violations open now (not only those of the week: what is still to deal with)."""
    rows = (
        await Violation.select(Violation.house, Violation.resident, Count(Violation.id, alias="n"))
        .where(Violation.status == Violation.Status.open, Violation.house.is_in(sorted(houses)))
        .group_by(Violation.house, Violation.resident)
    )
    return Counter({(r["house"], r["resident"]): int(r["n"]) for r in rows})


async def reports(
    houses: dict[int, Week], required: dict[int, int]
) -> dict[int, list[dict[str, Any]]]:
    """{house: one row per resident, by name} for the houses and weeks given. Six queries
    whatever their number. `required` is each house's outside meetings a week."""
    residents = await _residents(houses)
    chores = await _chores(houses)
    meetings = await _house_meetings(houses)
    outside = await _outside_meetings(houses)
    screens = await _screens(houses)
    violations = await _open_violations(houses)
    by_house: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for (house_id, resident_id), name in residents.items():
        key = (house_id, resident_id)
        by_house[house_id].append(
            {
                "name": name,
                "chores_done": chores[(*key, ChoreAssignment.Status.verified)],
                "chores_missed": chores[(*key, ChoreAssignment.Status.missed)],
                "house_attended": sum(meetings[(*key, s)] for s in ATTENDED),
                "house_held": sum(meetings[(*key, s)] for s in Attendance.Status),
                "outside_verified": outside[key],
                "outside_required": required[house_id],
                "screens": screens.get(key, []),
                "open_violations": violations[key],
            }
        )
    for rows in by_house.values():
        rows.sort(key=lambda r: (str(r["name"]).casefold(), r["name"]))
    return dict(by_house)


# Queueing ---------------------------------------------------------------------------------


async def _still_to_queue(
    now: dt.datetime,
) -> tuple[dict[int, dict[str, Any]], dict[int, Week], list[tuple[int, str, str]]]:
    """(houses by id, the week of each due house with a key still to queue, the
    (house, user email, key) of each email to queue). Three queries."""
    houses = {
        h["id"]: h
        for h in await House.select(
            House.id, House.name, House.timezone, House.outside_meetings_required
        )
    }
    due = {
        house_id: week
        for house_id, house in houses.items()
        if (week := due_week(now, house["timezone"])) is not None
    }
    if not due:
        return houses, {}, []
    managers = await HouseMembership.select(
        HouseMembership.house,
        HouseMembership.user,
        HouseMembership.user._.email.as_alias("email"),
    ).where(
        HouseMembership.house.is_in(sorted(due)),
        HouseMembership.user._.role == User.Role.manager,
        HouseMembership.user._.is_active.eq(True),
        # Not to someone invited who has not joined yet: the address may be a typo.
        HouseMembership.user._.password_hash != "",
    )
    wanted = {
        email_key(int(m["user"]), int(m["house"]), due[m["house"]]): (int(m["house"]), m["email"])
        for m in managers
    }
    if not wanted:
        return houses, {}, []
    queued = await outbox.queued_keys(sorted(wanted))
    emails = [(house, email, key) for key, (house, email) in wanted.items() if key not in queued]
    todo = {house: due[house] for house, _, _ in emails}
    return houses, todo, emails


async def queue_compliance(now: dt.datetime) -> list[int]:
    """Queue the weekly emails that are due and not queued yet (see the module's steps).
    Returns the ids of the OutboxEmail rows written (the job enqueues their sending)."""
    houses, todo, emails = await _still_to_queue(now)
    if not emails:
        return []
    by_house = await reports(todo, {h: int(houses[h]["outside_meetings_required"]) for h in todo})
    link = get_settings().base_url
    rendered: dict[int, tuple[str, str, str]] = {}
    for house_id, week in todo.items():
        rows = by_house.get(house_id)
        if not rows:
            continue  # nobody lived there that week
        name = houses[house_id]["name"]
        text, html = render_text_and_html(
            "compliance",
            house=house_label(name),
            monday=week.monday,
            sunday=week.sunday,
            residents=rows,
            link=link,
        )
        rendered[house_id] = (subject(name, week), text, html)
    return await outbox.queue_emails(
        [
            outbox.Email(key, email, *rendered[house_id])
            for house_id, email, key in emails
            if house_id in rendered
        ],
        now,
    )


async def queue_compliance_emails(now: dt.datetime) -> int:
    """Queue the weekly compliance emails that are due; returns how many were queued."""
    return len(await queue_compliance(now))
