"""A house's week, resident by resident: chores verified and missed, house meetings attended
of those held, outside meetings verified of those required, screens with their outcome
words (never a substance), and the violations open now. The same rows make the weekly
summary page (per resident, behind sign-in, audited) and the Monday email's house-level
counts (no names, no outcome words).

Weeks run Monday to Sunday in the house's timezone. Six queries read any number of houses
(each with its own week): the number of queries does not grow with houses or residents.
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

from house.chores.tables import ChoreAssignment
from house.lib.dates import day_start, house_today, parse_date, week_start
from house.lib.datewords import day_words
from house.meetings.tables import Attendance, OutsideMeeting
from house.residents.tables import Stay
from house.screens import outcomes
from house.screens.tables import Screen
from house.violations.tables import Violation

ATTENDED = (Attendance.Status.present, Attendance.Status.late)
LAB_WORDS = {
    Screen.Lab.pending: "lab pending",
    Screen.Lab.confirmed: "lab confirmed",
    Screen.Lab.overturned: "lab overturned",
}
# A screen that needs staff's attention: a setback (positive, dilute, refused, missed) or an
# invalid specimen (to collect again). A negative or a prescribed positive does not.
ATTENTION = outcomes.SETBACK | {Screen.Outcome.invalid}


@dataclass(frozen=True)
class Week:
    """A house's week: its Monday, its bounds as UTC instants, and the Monday after it (the
    Monday its email is sent in, the email's key)."""

    monday: dt.date
    start: dt.datetime  # Monday 00:00 house time, as UTC
    end: dt.datetime  # the next Monday 00:00 house time, as UTC (exclusive)
    sent_in: dt.date

    @property
    def sunday(self) -> dt.date:
        return self.monday + dt.timedelta(days=6)

    @property
    def previous(self) -> dt.date:
        return self.monday - dt.timedelta(days=7)


def week_of(monday: dt.date, timezone: str) -> Week:
    return Week(
        monday=monday,
        start=day_start(monday, timezone),
        end=day_start(monday + dt.timedelta(days=7), timezone),
        sent_in=monday + dt.timedelta(days=7),
    )


def last_week(now: dt.datetime, timezone: str) -> dt.date:
    """The Monday of the last week that has ended in the house."""
    return week_start(house_today(now, timezone)) - dt.timedelta(days=7)


def asked_week(raw: str | None, now: dt.datetime, timezone: str) -> tuple[dt.date, str]:
    """The Monday to show for a `?week=` value, and a note when it is not the one asked for:
    none asked -> last week; not a date -> last week; a day that is not a Monday -> the week
    it is in; a week not started yet -> this week (it is the latest with anything in it)."""
    default = last_week(now, timezone)
    if not raw:
        return default, ""
    day = parse_date(raw[:20])
    if day is None:
        return default, "That is not a date: showing last week."
    this_monday = week_start(house_today(now, timezone))
    if week_start(day) > this_monday:
        return this_monday, "That week has not started yet: showing this week so far."
    if day.weekday() != 0:
        monday = week_start(day)
        when = day_words(monday, house_today(now, timezone))
        return monday, f"Weeks run Monday to Sunday: showing the week of {when}."
    return day, ""


def screen_words(row: dict[str, Any]) -> str:
    """The outcome and the lab's word ("positive (lab pending)"), never a substance."""
    words = outcomes.WORDS.get(row["outcome"], "recorded")
    lab = LAB_WORDS.get(row["lab"])
    return f"{words} ({lab})" if lab else words


# Queries spanning every house asked for ------------------------------------------------------


def _any_week(houses: dict[int, Week], house: Column, within: Callable[[Week], Any]) -> Any:
    """A Piccolo WHERE: `house` one of the houses and `within(its week)`, OR-ed over the
    distinct weeks (most often one), so one query serves houses in any timezone."""
    by_week: dict[Week, list[int]] = defaultdict(list)
    for house_id, week in houses.items():
        by_week[week].append(house_id)
    parts = [house.is_in(sorted(ids)) & within(week) for week, ids in by_week.items()]
    return functools.reduce(operator.or_, parts)


async def _residents(houses: dict[int, Week]) -> dict[tuple[int, int], str]:
    """{(house, resident): name they go by} of stays that overlapped the week (a resident
    with two stays in it is one row)."""
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


async def _screens(houses: dict[int, Week]) -> dict[tuple[int, int], list[dict[str, Any]]]:
    """Each resident's screens of the week (id, outcome, lab), in the order collected."""
    rows = (
        await Screen.select(Screen.id, Screen.house, Screen.resident, Screen.outcome, Screen.lab)
        .where(
            _any_week(
                houses,
                Screen.house,
                lambda w: (Screen.collected_at >= w.start) & (Screen.collected_at < w.end),
            )
        )
        .order_by(Screen.collected_at, Screen.id)
    )
    screens: dict[tuple[int, int], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        screens[(row["house"], row["resident"])].append(row)
    return screens


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
        theirs = screens.get(key, [])
        by_house[house_id].append(
            {
                "resident": resident_id,
                "name": name,
                "chores_done": chores[(*key, ChoreAssignment.Status.verified)],
                "chores_missed": chores[(*key, ChoreAssignment.Status.missed)],
                "house_attended": sum(meetings[(*key, s)] for s in ATTENDED),
                "house_held": sum(meetings[(*key, s)] for s in Attendance.Status),
                "outside_verified": outside[key],
                "outside_required": required[house_id],
                "screens": [screen_words(s) for s in theirs],
                "screen_ids": [int(s["id"]) for s in theirs],
                "screens_attention": sum(1 for s in theirs if s["outcome"] in ATTENTION),
                "open_violations": violations[key],
            }
        )
    for rows in by_house.values():
        rows.sort(key=lambda r: (str(r["name"]).casefold(), r["name"]))
    return dict(by_house)


def totals(rows: list[dict[str, Any]]) -> dict[str, int]:
    """A house's week as counts only (what the email may carry): no name, no outcome word.
    Outside meetings count towards the requirement up to it per resident (one resident's
    extra meetings do not make up for another's), and `outside_short` is how many residents
    verified fewer than required."""
    required = rows[0]["outside_required"] if rows else 0
    return {
        "residents": len(rows),
        "chores_done": sum(r["chores_done"] for r in rows),
        "chores_missed": sum(r["chores_missed"] for r in rows),
        "house_attended": sum(r["house_attended"] for r in rows),
        "house_held": sum(r["house_held"] for r in rows),
        "outside_verified": sum(min(r["outside_verified"], required) for r in rows),
        "outside_required": required * len(rows),
        "outside_short": sum(1 for r in rows if r["outside_verified"] < required),
        "screens": sum(len(r["screens"]) for r in rows),
        "screens_attention": sum(r["screens_attention"] for r in rows),
        "open_violations": sum(r["open_violations"] for r in rows),
    }
