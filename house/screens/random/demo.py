"""Demo data for random screens (called by house/demo.py inside its one transaction, after
the screens demo): Maple House draws 2 residents a day at 06:00, and the last 10 days were
drawn by the daily job, through the services, each at its own moment. Those drawn were
screened (recorded through the screens core), except one excused and one missed."""

from __future__ import annotations

import datetime as dt

from house.db import write_transaction
from house.houses.tables import House
from house.lib.dates import at_local, house_today
from house.screens import services as screens
from house.screens.random import services as random_services
from house.screens.setup import services as setup
from house.screens.tables import DrawSelection

MANAGER = "maple.manager@demo.house"
DAYS = 10


def _local(day: dt.date, hour: int, timezone: str) -> dt.datetime:
    return at_local(day, dt.time(hour), timezone)


async def load(house_ids: list[int], users: dict[str, int], now: dt.datetime) -> None:
    """`users` maps the demo emails (house/demo.py PEOPLE) to user ids."""
    house_id = house_ids[0]
    manager = users[MANAGER]
    async with write_transaction():
        await House.update(
            {
                House.random_enabled: True,
                House.random_rate_kind: "count",
                House.random_rate: 2,
                House.random_draw_time: "06:00",
            }
        ).where(House.id == house_id)
    house = await House.select(House.timezone).where(House.id == house_id).first()
    assert house is not None  # noqa: S101 - made by house/demo.py just before
    timezone = house["timezone"]
    today = house_today(now, timezone)
    panels = await setup.house_panels(house_id, active_only=True)
    excused = missed = False
    for back in range(DAYS, 0, -1):
        day = today - dt.timedelta(days=back)
        drawn = await random_services.draw_for_day(
            house_id=house_id, day=day, now=_local(day, 6, timezone), by=None
        )
        selections = await DrawSelection.select().where(DrawSelection.draw == drawn.draw_id)
        for index, selection in enumerate(selections):
            if not excused and back <= DAYS - 2:
                excused = True
                await random_services.excuse(
                    actor_id=manager,
                    selection_id=selection["id"],
                    reason="At court all morning (letter on file)",
                    now=_local(day, 8, timezone),
                )
                continue
            if not missed and back <= DAYS - 5:
                missed = True  # left "selected": the sweep below marks it missed
                continue
            collected = _local(day, 18 + index, timezone)
            await screens.record_screen(
                actor_id=manager,
                house_id=house_id,
                values={
                    "resident": selection["resident"],
                    "collected_at": collected,
                    "collected_on": day,
                    "specimen": "",
                    "method": "urine_cup" if panels else "breath",
                    "breath_milli": None if panels else 0,
                    "panel": panels[0]["id"] if panels else None,
                    "results": {},
                    "reason": "random",
                    "observed": True,
                    "specimen_id": "",
                    "note": "",
                },
                now=collected + dt.timedelta(minutes=5),
            )
    await random_services.sweep_missed(now)
