"""The alert rules: each a function from a few set-based queries to AlertSpecs.

No rule queries per resident: the number of queries of a sweep does not grow with the data.
House-local times (cut-offs, weeks, days) are worked out in Python from each house's
timezone, so one query serves every house.

Immediate rules (`screen`, `appeal`) run from AlertEvent rows (`from_events`); the others
run in the sweep (`time_based`). Thresholds are house settings (`House.alert_*`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from house.beds.tables import Bed, BedAssignment
from house.chores.tables import ChoreAssignment
from house.events.services import AlertSpec
from house.houses.tables import House
from house.meetings.tables import Attendance, OutsideMeeting
from house.residents.tables import Stay
from house.rules.tables import RuleSet, RuleSignature
from house.screens.tables import DrawSelection, Screen
from house.violations.tables import Appeal

MANAGERS = ("managers",)
ADMINS = ("admins",)
MANAGERS_AND_RESIDENT = ("managers", "resident")
MILESTONES = (30, 60, 90, 180, 365)
MILESTONE_GRACE_DAYS = 2  # after a worker outage a milestone still fires, once
ABSENCE_WINDOW = dt.timedelta(days=7)  # older absences are history, not alerts
UNVERIFIED_AFTER = dt.timedelta(hours=24)
RULES_SIGN_WITHIN = dt.timedelta(hours=48)

SCREEN_WORDS = {
    Screen.Outcome.positive: ("a positive screen", "critical"),
    Screen.Outcome.refused: ("a refused screen", "critical"),
    Screen.Outcome.missed: ("a missed screen", "critical"),
    Screen.Outcome.dilute: ("a dilute screen", "attention"),
}
LAB_WORDS = {
    Screen.Lab.confirmed: ("the lab confirmed a positive", "critical"),
    Screen.Lab.overturned: ("the lab overturned a positive", "attention"),
}


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_start(day: dt.date, timezone: str) -> dt.datetime:
    """Midnight starting `day` in the house's timezone, as UTC."""
    return dt.datetime.combine(day, dt.time(0), tzinfo=zone(timezone)).astimezone(dt.UTC)


def local_today(now: dt.datetime, timezone: str) -> dt.date:
    return now.astimezone(zone(timezone)).date()


def week_monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def parse_hhmm(raw: str, default: dt.time) -> dt.time:
    try:
        return dt.time.fromisoformat(raw)
    except ValueError:
        return default


def name_of(row: dict[str, Any], prefix: str = "resident") -> str:
    return str(row.get(f"{prefix}_name") or "A resident")


# Immediate rules, from events -------------------------------------------------------------


async def screens(screen_ids: list[int]) -> list[AlertSpec]:
    """`screen_result` for a positive (not expected), dilute, refused or missed screen;
    `lab_result` once the lab confirmed or overturned it. One query."""
    if not screen_ids:
        return []
    rows = await Screen.select(
        Screen.id,
        Screen.house,
        Screen.resident,
        Screen.outcome,
        Screen.lab,
        Screen.resident.preferred_name.as_alias("resident_name"),
    ).where(Screen.id.is_in(screen_ids))
    specs = []
    for row in rows:
        record = f"screen:{row['id']}"
        original = row["outcome"]
        if row["lab"] == Screen.Lab.overturned:
            original = Screen.Outcome.positive  # the amendment made it negative
        if original in SCREEN_WORDS:
            words, severity = SCREEN_WORDS[original]
            specs.append(
                AlertSpec(
                    key=f"screen_result:{record}",
                    kind="screen_result",
                    severity=severity,
                    house_id=row["house"],
                    resident_id=row["resident"],
                    record=record,
                    summary=f"{name_of(row)}: {words}",
                    to=MANAGERS,
                )
            )
        if row["lab"] in LAB_WORDS:
            words, severity = LAB_WORDS[row["lab"]]
            specs.append(
                AlertSpec(
                    key=f"lab_result:{record}",
                    kind="lab_result",
                    severity=severity,
                    house_id=row["house"],
                    resident_id=row["resident"],
                    record=record,
                    summary=f"{name_of(row)}: {words}",
                    to=MANAGERS,
                )
            )
    return specs


async def appeals(appeal_ids: list[int]) -> list[AlertSpec]:
    """`appeal`: a pending appeal goes to the admins only (never to the managers, one of
    whom recorded the violation). One query."""
    if not appeal_ids:
        return []
    rows = await Appeal.select(
        Appeal.id,
        Appeal.violation._.house.as_alias("house"),
        Appeal.violation._.resident.as_alias("resident"),
        Appeal.violation._.resident._.preferred_name.as_alias("resident_name"),
    ).where(Appeal.id.is_in(appeal_ids), Appeal.decision == Appeal.Decision.pending)
    return [
        AlertSpec(
            key=f"appeal:appeal:{row['id']}",
            kind="appeal",
            severity="attention",
            house_id=row["house"],
            resident_id=row["resident"],
            record=f"appeal:{row['id']}",
            summary=f"{name_of(row)}: a violation appealed",
            to=ADMINS,
        )
        for row in rows
    ]


async def from_events(events: list[tuple[str, str]]) -> list[AlertSpec]:
    """The specs of claimed events (kind, record): one query per kind, not per event."""
    ids: dict[str, list[int]] = {"screen": [], "appeal": []}
    for kind, record in events:
        prefix, _, raw_id = record.partition(":")
        if kind in ids and prefix == kind and raw_id.isdigit():
            ids[kind].append(int(raw_id))
    return [*await screens(ids["screen"]), *await appeals(ids["appeal"])]


# Time-based rules, in the sweep ------------------------------------------------------------


async def houses() -> list[dict[str, Any]]:
    """Every house with its timezone and alert settings (one query)."""
    rows: list[dict[str, Any]] = await House.select(
        House.id,
        House.timezone,
        House.outside_meetings_required,
        House.alert_random_cutoff,
        House.alert_chores_missed,
        House.alert_meetings_weekday,
        House.alert_bed_free_days,
    )
    return rows


async def random_not_screened(
    now: dt.datetime, by_house: dict[int, dict[str, Any]]
) -> list[AlertSpec]:
    """A random selection still "selected" after the house's cut-off (local time) on its
    day. One query."""
    latest = max(local_today(now, h["timezone"]) for h in by_house.values())
    rows = await DrawSelection.select(
        DrawSelection.id,
        DrawSelection.house,
        DrawSelection.resident,
        DrawSelection.day,
        DrawSelection.resident.preferred_name.as_alias("resident_name"),
    ).where(DrawSelection.status == DrawSelection.Status.selected, DrawSelection.day <= latest)
    specs = []
    for row in rows:
        house = by_house[row["house"]]
        cutoff = parse_hhmm(house["alert_random_cutoff"], dt.time(20))
        at = dt.datetime.combine(row["day"], cutoff, tzinfo=zone(house["timezone"]))
        if now < at:
            continue
        specs.append(
            AlertSpec(
                key=f"random_not_screened:selection:{row['id']}",
                kind="random_not_screened",
                severity="critical",
                house_id=row["house"],
                resident_id=row["resident"],
                record=f"draw_selection:{row['id']}",
                summary=f"{name_of(row)}: selected for a random screen and not screened",
                to=MANAGERS,
            )
        )
    return specs


async def chores_missed(now: dt.datetime, by_house: dict[int, dict[str, Any]]) -> list[AlertSpec]:
    """A resident's missed chores this week (Monday to Sunday, house time) reaching the
    house's `alert_chores_missed` (0 turns it off). One query."""
    mondays = {h["id"]: week_monday(local_today(now, h["timezone"])) for h in by_house.values()}
    rows = await ChoreAssignment.select(
        ChoreAssignment.house,
        ChoreAssignment.resident,
        ChoreAssignment.day,
        ChoreAssignment.resident.preferred_name.as_alias("resident_name"),
    ).where(
        ChoreAssignment.status == ChoreAssignment.Status.missed,
        ChoreAssignment.day >= min(mondays.values()),
    )
    counts: Counter[tuple[int, int]] = Counter()
    names: dict[int, str] = {}
    for row in rows:
        monday = mondays[row["house"]]
        if monday <= row["day"] <= monday + dt.timedelta(days=6):
            counts[(row["house"], row["resident"])] += 1
            names[row["resident"]] = name_of(row)
    specs = []
    for (house_id, resident_id), count in sorted(counts.items()):
        threshold = by_house[house_id]["alert_chores_missed"]
        if threshold < 1 or count < threshold:
            continue
        monday = mondays[house_id]
        specs.append(
            AlertSpec(
                key=f"chores_missed:resident:{resident_id}:{monday.isoformat()}",
                kind="chores_missed",
                severity="attention",
                house_id=house_id,
                resident_id=resident_id,
                record=f"resident:{resident_id}",
                summary=f"{names[resident_id]}: {count} chores missed this week",
                to=MANAGERS,
            )
        )
    return specs


async def chore_unverified(now: dt.datetime) -> list[AlertSpec]:
    """A chore marked done and not verified for a day. One query."""
    rows = await ChoreAssignment.select(
        ChoreAssignment.id,
        ChoreAssignment.house,
        ChoreAssignment.resident,
        ChoreAssignment.chore.name.as_alias("chore_name"),
        ChoreAssignment.resident.preferred_name.as_alias("resident_name"),
    ).where(
        ChoreAssignment.status == ChoreAssignment.Status.done,
        ChoreAssignment.done_at < now - UNVERIFIED_AFTER,
    )
    return [
        AlertSpec(
            key=f"chore_unverified:assignment:{row['id']}",
            kind="chore_unverified",
            severity="attention",
            house_id=row["house"],
            resident_id=row["resident"],
            record=f"chore_assignment:{row['id']}",
            summary=f"{name_of(row)}: {row['chore_name']} done and not verified for a day",
            to=MANAGERS,
        )
        for row in rows
    ]


async def meetings_behind(now: dt.datetime, by_house: dict[int, dict[str, Any]]) -> list[AlertSpec]:
    """From the house's `alert_meetings_weekday` (ISO, 1 = Monday) on, a resident with
    fewer verified outside meetings this week than required. Residents admitted after the
    week's Monday are left out (they could not have met it). Two queries."""
    due: dict[int, dt.date] = {}
    for house in by_house.values():
        today = local_today(now, house["timezone"])
        if house["outside_meetings_required"] > 0 and today.isoweekday() >= max(
            1, house["alert_meetings_weekday"]
        ):
            due[house["id"]] = week_monday(today)
    if not due:
        return []
    stays = await Stay.select(
        Stay.house,
        Stay.resident,
        Stay.admitted_on,
        Stay.resident.preferred_name.as_alias("resident_name"),
    ).where(Stay.status == Stay.Status.active, Stay.house.is_in(list(due)))
    since = min(local_start(due[h], by_house[h]["timezone"]) for h in due)
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
        if week_monday(local_today(row["held_at"], house["timezone"])) == due[row["house"]]:
            counts[(row["house"], row["resident"])] += 1
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
            AlertSpec(
                key=f"meetings_behind:resident:{stay['resident']}:{monday.isoformat()}",
                kind="meetings_behind",
                severity="attention",
                house_id=stay["house"],
                resident_id=stay["resident"],
                record=f"resident:{stay['resident']}",
                summary=f"{name_of(stay)}: {count} of {required} outside meetings this week",
                to=MANAGERS_AND_RESIDENT,
            )
        )
    return specs


async def house_meeting_absence(now: dt.datetime) -> list[AlertSpec]:
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
    return [
        AlertSpec(
            key=f"house_meeting_absence:attendance:{row['id']}",
            kind="house_meeting_absence",
            severity="attention",
            house_id=row["house"],
            resident_id=row["resident"],
            record=f"attendance:{row['id']}",
            summary=f"{name_of(row)}: absent from a house meeting",
            to=MANAGERS,
        )
        for row in rows
    ]


async def rules_unsigned(now: dt.datetime, by_house: dict[int, dict[str, Any]]) -> list[AlertSpec]:
    """An active resident who has not signed the house's current rules 48 h after the
    later of their admission (start of that day, house time) and the version's creation.
    Three queries."""
    versions = await RuleSet.select(
        RuleSet.id, RuleSet.house, RuleSet.version, RuleSet.created_at
    ).order_by(RuleSet.version)
    current = {row["house"]: row for row in versions}  # the last one wins: the newest
    if not current:
        return []
    stays = await Stay.select(
        Stay.house,
        Stay.resident,
        Stay.admitted_on,
        Stay.resident.preferred_name.as_alias("resident_name"),
    ).where(Stay.status == Stay.Status.active, Stay.house.is_in(list(current)))
    signed = {
        (row["rule_set"], row["resident"])
        for row in await RuleSignature.select(RuleSignature.rule_set, RuleSignature.resident).where(
            RuleSignature.rule_set.is_in([row["id"] for row in current.values()])
        )
    }
    specs = []
    for stay in stays:
        rule_set = current[stay["house"]]
        if stay["admitted_on"] is None or (rule_set["id"], stay["resident"]) in signed:
            continue
        admitted = local_start(stay["admitted_on"], by_house[stay["house"]]["timezone"])
        if now < max(admitted, rule_set["created_at"]) + RULES_SIGN_WITHIN:
            continue
        specs.append(
            AlertSpec(
                key=f"rules_unsigned:resident:{stay['resident']}:v{rule_set['id']}",
                kind="rules_unsigned",
                severity="attention",
                house_id=stay["house"],
                resident_id=stay["resident"],
                record=f"resident:{stay['resident']}",
                summary=f"{name_of(stay)}: house rules version {rule_set['version']} unsigned",
                to=MANAGERS_AND_RESIDENT,
            )
        )
    return specs


async def bed_free(now: dt.datetime, by_house: dict[int, dict[str, Any]]) -> list[AlertSpec]:
    """An available, unoccupied bed free for more than `alert_bed_free_days` days while the
    house's waitlist is not empty (0 turns it off). Two queries."""
    waiting = {
        row["house"]
        for row in await Stay.select(Stay.house)
        .where(Stay.status == Stay.Status.waitlist)
        .distinct()
    }
    if not waiting:
        return []
    rows = await Bed.select(
        Bed.id, Bed.house, Bed.label, Bed.room.label.as_alias("room_label"), Bed.free_since
    ).where(
        Bed.state == Bed.State.available,
        Bed.house.is_in(list(waiting)),
        Bed.id.not_in(
            BedAssignment.select(BedAssignment.bed).where(BedAssignment.end_on.is_null())
        ),
    )
    specs = []
    for row in rows:
        house = by_house[row["house"]]
        days = house["alert_bed_free_days"]
        if days < 1 or now - row["free_since"] <= dt.timedelta(days=days):
            continue
        since = local_today(row["free_since"], house["timezone"])
        specs.append(
            AlertSpec(
                key=f"bed_free:bed:{row['id']}:{since.isoformat()}",
                kind="bed_free",
                severity="attention",
                house_id=row["house"],
                resident_id=None,
                record=f"bed:{row['id']}",
                summary=f"Bed {row['room_label']} {row['label']} free since {since:%b %-d}",
                to=ADMINS,
            )
        )
    return specs


async def milestones(now: dt.datetime, by_house: dict[int, dict[str, Any]]) -> list[AlertSpec]:
    """An active resident reaching 30/60/90/180/365 days since the sobriety date (house
    local date), today or in the last two days; once per sobriety date. One query."""
    earliest = min(local_today(now, h["timezone"]) for h in by_house.values())
    rows = await Stay.select(
        Stay.house,
        Stay.resident,
        Stay.resident.sobriety_date.as_alias("sobriety_date"),
        Stay.resident.preferred_name.as_alias("resident_name"),
    ).where(
        Stay.status == Stay.Status.active,
        Stay.resident.sobriety_date.is_not_null(),
        Stay.resident.sobriety_date
        >= earliest - dt.timedelta(days=max(MILESTONES) + MILESTONE_GRACE_DAYS + 1),
    )
    specs = []
    for row in rows:
        days = (local_today(now, by_house[row["house"]]["timezone"]) - row["sobriety_date"]).days
        for milestone in MILESTONES:
            if 0 <= days - milestone <= MILESTONE_GRACE_DAYS:
                specs.append(
                    AlertSpec(
                        # With the sobriety date: after a reset, 30 days come again.
                        key=(
                            f"milestone:resident:{row['resident']}:"
                            f"{row['sobriety_date'].isoformat()}:{milestone}"
                        ),
                        kind="milestone",
                        severity="celebrate",
                        house_id=row["house"],
                        resident_id=row["resident"],
                        record=f"resident:{row['resident']}",
                        summary=f"{name_of(row)}: {milestone} days sober",
                        to=MANAGERS_AND_RESIDENT,
                    )
                )
    return specs


async def time_based(now: dt.datetime) -> list[AlertSpec]:
    """Every time-based rule, in a fixed number of queries."""
    by_house = {row["id"]: row for row in await houses()}
    if not by_house:
        return []
    return [
        *await random_not_screened(now, by_house),
        *await chores_missed(now, by_house),
        *await chore_unverified(now),
        *await meetings_behind(now, by_house),
        *await house_meeting_absence(now),
        *await rules_unsigned(now, by_house),
        *await bed_free(now, by_house),
        *await milestones(now, by_house),
    ]
