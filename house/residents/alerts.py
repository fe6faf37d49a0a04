"""The residents' alert rule (sobriety milestones), the active stays other concepts' rules
look at, and a resident's account (the "resident" audience of an alert)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from house.events.alerts import MANAGERS_AND_RESIDENT, AlertRule, Houses, alert_spec, name_of
from house.events.services import AlertSpec
from house.lib.dates import house_today
from house.residents.tables import Resident, Stay

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


async def user_of(resident_id: int) -> dict[int, bool]:
    """{user id: joined} of the resident's active account, if any. One query."""
    rows = await Resident.select(
        Resident.user, Resident.user.password_hash.as_alias("password")
    ).where(
        Resident.id == resident_id,
        Resident.user.is_not_null(),
        Resident.user._.is_active.eq(True),
    )
    return {int(r["user"]): bool(r["password"]) for r in rows}


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
        record = f"resident:{row['resident']}"
        specs += [
            alert_spec(
                "milestone",
                row,
                record,
                f"{name_of(row)}: {milestone} days sober",
                MANAGERS_AND_RESIDENT,
                # With the sobriety date: after a reset, 30 days come again.
                about=f"{record}:{row['sobriety_date'].isoformat()}:{milestone}",
                severity="celebrate",
            )
            for milestone in MILESTONES
            if 0 <= days - milestone <= MILESTONE_GRACE_DAYS
        ]
    return specs


RULES = [AlertRule("milestone", sweep=milestones)]
