"""The meetings' alert rules: behind on outside meetings this week, absent from a house
meeting, and a meeting slip not accepted (to the resident alone)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from house.events.alerts import (
    MANAGERS,
    MANAGERS_AND_RESIDENT,
    RESIDENT,
    AlertRule,
    Houses,
    alert_spec,
    name_of,
    quoted,
)
from house.events.services import AlertSpec
from house.lib.dates import day_start, house_today, week_start
from house.lib.datewords import day_words
from house.meetings.tables import Attendance, OutsideMeeting
from house.residents.alerts import active_stays

ABSENCE_WINDOW = dt.timedelta(days=7)  # older absences are history, not alerts


def _due_weeks(now: dt.datetime, by_house: Houses) -> dict[int, dt.date]:
    """The houses that ask for outside meetings and whose alert weekday (ISO, 1 = Monday)
    has come: each with this week's Monday."""
    due: dict[int, dt.date] = {}
    for house in by_house.values():
        today = house_today(now, house["timezone"])
        if house["outside_meetings_required"] > 0 and today.isoweekday() >= max(
            1, house["alert_meetings_weekday"]
        ):
            due[house["id"]] = week_start(today)
    return due


async def _verified_this_week(
    due: dict[int, dt.date], by_house: Houses
) -> Counter[tuple[int, int]]:
    """Verified outside meetings per (house, resident) in each due house's week. One query."""
    since = min(day_start(due[h], by_house[h]["timezone"]) for h in due)
    meetings = await OutsideMeeting.select(
        OutsideMeeting.house, OutsideMeeting.resident, OutsideMeeting.held_at
    ).where(
        OutsideMeeting.status == OutsideMeeting.Status.verified,
        OutsideMeeting.house.is_in(list(due)),
        OutsideMeeting.held_at >= since,
    )
    counts: Counter[tuple[int, int]] = Counter()
    for row in meetings:
        house = by_house[row["house"]]
        if week_start(house_today(row["held_at"], house["timezone"])) == due[row["house"]]:
            counts[(row["house"], row["resident"])] += 1
    return counts


async def meetings_behind(now: dt.datetime, by_house: Houses) -> list[AlertSpec]:
    """From the house's `alert_meetings_weekday` on, a resident with fewer verified outside
    meetings this week than required. Residents admitted after the week's Monday are left
    out (they could not have met it). Two queries."""
    due = _due_weeks(now, by_house)
    if not due:
        return []
    stays = await active_stays(list(due))
    counts = await _verified_this_week(due, by_house)
    specs = []
    for stay in stays:
        monday = due[stay["house"]]
        if stay["admitted_on"] is None or stay["admitted_on"] > monday:
            continue
        required = by_house[stay["house"]]["outside_meetings_required"]
        count = counts[(stay["house"], stay["resident"])]
        if count >= required:
            continue
        specs.append(
            alert_spec(
                "meetings_behind",
                stay,
                f"resident:{stay['resident']}",
                f"{name_of(stay)}: {count} of {required} outside meetings this week",
                MANAGERS_AND_RESIDENT,
                about=f"resident:{stay['resident']}:{monday.isoformat()}",
            )
        )
    return specs


async def house_meeting_absence(now: dt.datetime, by_house: Houses) -> list[AlertSpec]:
    """An absence from a house meeting recorded in the last week. One query."""
    rows = await Attendance.select(
        Attendance.id,
        Attendance.resident,
        Attendance.meeting.house.as_alias("house"),
        Attendance.resident.preferred_name.as_alias("resident_name"),
    ).where(
        Attendance.status == Attendance.Status.absent,
        Attendance.recorded_at >= now - ABSENCE_WINDOW,
    )
    summary = "{}: absent from a house meeting"
    return [
        alert_spec(
            "house_meeting_absence",
            row,
            f"attendance:{row['id']}",
            summary.format(name_of(row)),
            MANAGERS,
        )
        for row in rows
    ]


async def slip_rejected(meeting_ids: list[int]) -> list[AlertSpec]:
    """`outside_meeting` events: a logged meeting staff did not accept tells its resident,
    alone, which meeting and why (a review happens once, so one alert each). One query."""
    rows = await OutsideMeeting.select(
        OutsideMeeting.id,
        OutsideMeeting.house,
        OutsideMeeting.resident,
        OutsideMeeting.name,
        OutsideMeeting.held_at,
        OutsideMeeting.reject_reason,
        OutsideMeeting.reviewed_at,
        OutsideMeeting.house.timezone.as_alias("timezone"),
    ).where(
        OutsideMeeting.id.is_in(meeting_ids),
        OutsideMeeting.status == OutsideMeeting.Status.rejected,
    )
    specs = []
    for row in rows:
        zone = row["timezone"]
        day = day_words(house_today(row["held_at"], zone), house_today(row["reviewed_at"], zone))
        summary = (
            f"Your slip for {quoted(row['name'], 60)} ({day}) was not accepted: "
            f"{quoted(row['reject_reason'])}"
        )
        specs.append(
            alert_spec("slip_rejected", row, f"outside_meeting:{row['id']}", summary, RESIDENT)
        )
    return specs


RULES = [
    AlertRule("meetings_behind", sweep=meetings_behind),
    AlertRule("house_meeting_absence", sweep=house_meeting_absence),
    AlertRule("slip_rejected", event="outside_meeting", on_events=slip_rejected),
]
