"""The residents' alert rule (sobriety milestones) and the active stays other concepts'
rules look at."""

from __future__ import annotations

import datetime as dt
from typing import Any

from house.events.alerts import MANAGERS_AND_RESIDENT, AlertRule, Houses, name_of
from house.events.services import AlertSpec
from house.lib.dates import house_today
from house.residents.tables import Stay

MILESTONES = (30, 60, 90, 180, 365)
MILESTONE_GRACE_DAYS = 2  # after a worker outage a milestone still fires, once


async def active_stays(house_ids: list[int]) -> list[dict[str, Any]]:
    """The active stays of these houses: house, resident, admitted_on, resident_name."""
    rows: list[dict[str, Any]] = await Stay.select(
        Stay.house,
        Stay.resident,
        Stay.admitted_on,
        Stay.resident.preferred_name.as_alias("resident_name"),
    ).where(Stay.status == Stay.Status.active, Stay.house.is_in(house_ids))
    return rows


async def milestones(now: dt.datetime, by_house: Houses) -> list[AlertSpec]:
    """An active resident reaching 30/60/90/180/365 days since the sobriety date (house
    local date), today or in the last two days; once per sobriety date. One query."""
    earliest = min(house_today(now, h["timezone"]) for h in by_house.values())
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
        days = (house_today(now, by_house[row["house"]]["timezone"]) - row["sobriety_date"]).days
        specs += [
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
            for milestone in MILESTONES
            if 0 <= days - milestone <= MILESTONE_GRACE_DAYS
        ]
    return specs


RULES = [AlertRule("milestone", sweep=milestones)]
