"""What the alert engine reads of the houses: each house's timezone and alert settings."""

from __future__ import annotations

from house.events.alerts import Houses
from house.houses.tables import House


async def settings() -> Houses:
    """Every house with its timezone and alert settings, by id (one query)."""
    rows = await House.select(
        House.id,
        House.timezone,
        House.outside_meetings_required,
        House.alert_random_cutoff,
        House.alert_chores_missed,
        House.alert_meetings_weekday,
        House.alert_bed_free_days,
    )
    return {row["id"]: row for row in rows}
