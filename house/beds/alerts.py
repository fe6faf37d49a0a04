"""The beds' alert rule: a bed left free while people wait."""

from __future__ import annotations

import datetime as dt

from house.beds.tables import Bed, BedAssignment
from house.events.alerts import ADMINS, AlertRule, Houses, alert_spec
from house.events.services import AlertSpec
from house.lib.dates import house_today
from house.lib.datewords import day_words
from house.residents.tables import Stay


async def bed_free(now: dt.datetime, by_house: Houses) -> list[AlertSpec]:
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
        since = house_today(row["free_since"], house["timezone"])
        today = house_today(now, house["timezone"])
        specs.append(
            alert_spec(
                "bed_free",
                row,
                f"bed:{row['id']}",
                f"Bed {row['room_label']} {row['label']} free since {day_words(since, today)}",
                ADMINS,
                about=f"bed:{row['id']}:{since.isoformat()}",
            )
        )
    return specs


RULES = [AlertRule("bed_free", sweep=bed_free)]
