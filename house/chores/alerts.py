"""The chores' alert rules: too many chores missed in a week, a chore left unverified, and
a chore sent back (to the resident alone)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from house.chores.tables import ChoreAssignment
from house.events.alerts import MANAGERS, RESIDENT, AlertRule, Houses, alert_spec, name_of, quoted
from house.events.services import AlertSpec
from house.lib.dates import house_today, week_start
from house.lib.datewords import day_words

UNVERIFIED_AFTER = dt.timedelta(hours=24)


async def chores_missed(now: dt.datetime, by_house: Houses) -> list[AlertSpec]:
    """A resident's missed chores this week (Monday to Sunday, house time) reaching the
    house's `alert_chores_missed` (0 turns it off). One query."""
    mondays = {h["id"]: week_start(house_today(now, h["timezone"])) for h in by_house.values()}
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
        specs.append(
            alert_spec(
                "chores_missed",
                {"house": house_id, "resident": resident_id},
                f"resident:{resident_id}",
                f"{names[resident_id]}: {count} chores missed this week",
                MANAGERS,
                about=f"resident:{resident_id}:{mondays[house_id].isoformat()}",
            )
        )
    return specs


async def chore_unverified(now: dt.datetime, by_house: Houses) -> list[AlertSpec]:
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
        alert_spec(
            "chore_unverified",
            row,
            f"chore_assignment:{row['id']}",
            f"{name_of(row)}: {row['chore_name']} done and not verified for a day",
            MANAGERS,
            about=f"assignment:{row['id']}",
        )
        for row in rows
    ]


async def chore_sent_back(assignment_ids: list[int]) -> list[AlertSpec]:
    """`chore_assignment` events: a chore still sent back tells its resident, alone, which
    chore, which day and what the manager wrote. Each sending back is its own alert (the
    key has the time of the check). One query."""
    rows = await ChoreAssignment.select(
        ChoreAssignment.id,
        ChoreAssignment.house,
        ChoreAssignment.resident,
        ChoreAssignment.day,
        ChoreAssignment.note,
        ChoreAssignment.checked_at,
        ChoreAssignment.chore.name.as_alias("chore_name"),
        ChoreAssignment.house.timezone.as_alias("timezone"),
    ).where(
        ChoreAssignment.id.is_in(assignment_ids),
        ChoreAssignment.status == ChoreAssignment.Status.sent_back,
    )
    specs = []
    for row in rows:
        day = day_words(row["day"], house_today(row["checked_at"], row["timezone"]))
        specs.append(
            alert_spec(
                "chore_sent_back",
                row,
                f"chore_assignment:{row['id']}",
                f"Please do {row['chore_name']} ({day}) again: {quoted(row['note'])}",
                RESIDENT,
                about=f"assignment:{row['id']}:{int(row['checked_at'].timestamp())}",
            )
        )
    return specs


RULES = [
    AlertRule("chores_missed", sweep=chores_missed),
    AlertRule("chore_unverified", sweep=chore_unverified),
    AlertRule("chore_sent_back", event="chore_assignment", on_events=chore_sent_back),
]
