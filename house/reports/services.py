"""The weekly summary page: a house's week resident by resident, for its staff, with the
audit row every view of results writes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from house.audit.services import record_access
from house.lib.dates import house_today, week_start
from house.reports.weekly import asked_week, reports, totals, week_of


async def house_week(
    house: dict[str, Any], raw_week: str | None, now: dt.datetime
) -> dict[str, Any]:
    """The week asked for by `?week=` (see weekly.asked_week: a note says when another week
    is shown) with its rows per resident and the house's counts. Six queries."""
    monday, note = asked_week(raw_week, now, house["timezone"])
    week = week_of(monday, house["timezone"])
    rows = (
        await reports({house["id"]: week}, {house["id"]: int(house["outside_meetings_required"])})
    ).get(house["id"], [])
    this_monday = week_start(house_today(now, house["timezone"]))
    return {
        "week": week,
        "note": note,
        "rows": rows,
        "counts": totals(rows),
        "in_progress": monday == this_monday,
        "is_last_week": monday == this_monday - dt.timedelta(days=7),
        "next": week.sent_in if week.sent_in <= this_monday else None,
    }


async def record_summary_viewed(
    *, actor_id: int, house_id: int, summary: dict[str, Any], now: dt.datetime, request_id: str
) -> None:
    """The page's one audit row: which house and week, and which screens it showed (never
    what they showed). Raises if it cannot be written (then the page is not shown)."""
    screen_ids = [i for row in summary["rows"] for i in row["screen_ids"]]
    await record_access(
        actor_id=actor_id,
        action="weekly_summary_viewed",
        at=now,
        record=f"house:{house_id}:week:{summary['week'].monday.isoformat()}",
        detail="screens:" + ",".join(str(i) for i in screen_ids),
        request_id=request_id,
    )
