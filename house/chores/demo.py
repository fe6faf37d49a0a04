"""Demo data for chores (called by house/demo.py inside its one transaction): the chores of
each house, last week's rotation with a realistic mix (verified, missed, excused) and this
week's up to today, all made through the services."""

from __future__ import annotations

import datetime as dt

from house.chores import assignments, services, weeks
from house.chores.tables import ChoreAssignment
from house.houses.tables import House
from house.lib.dates import house_today, week_start

MANAGERS = ["maple.manager@demo.house", "cedar.manager@demo.house"]
# (name, area, instructions, frequency, weekdays, weight)
CHORES = [
    ("Kitchen", "Kitchen", "Counters, stove top, sink; sweep and mop the floor.", "daily", "", 3),
    ("Dishes", "Kitchen", "Wash, dry and put away; empty the rack.", "daily", "", 2),
    (
        "Bathrooms",
        "Upstairs",
        "Toilets, sinks, mirrors, shower; restock paper.",
        "weekdays",
        "1,3,5",
        3,
    ),
    (
        "Trash and recycling",
        "Outside",
        "Bins to the curb the night before pickup.",
        "weekdays",
        "2,5",
        1,
    ),
    ("Living room", "Downstairs", "Tidy, dust, vacuum the rug.", "weekdays", "2,4,6", 2),
    ("Yard", "Outside", "Mow or rake; sweep the porch.", "weekly", "6", 4),
    ("Laundry room", "Basement", "Clean the lint traps, wipe the machines.", "weekly", "3", 1),
]
EXCUSES = ["Doctor's appointment", "Court date", "Working a double shift"]


async def load(house_ids: list[int], users: dict[str, int], now: dt.datetime) -> None:
    """`users` maps the demo emails (house/demo.py PEOPLE) to user ids."""
    for index, house_id in enumerate(house_ids):
        manager = users[MANAGERS[index]]
        for name, area, instructions, frequency, weekdays, weight in CHORES[: 7 - index]:
            await services.add_chore(
                actor_id=manager,
                house_id=house_id,
                values={
                    "name": name,
                    "area": area,
                    "instructions": instructions,
                    "frequency": frequency,
                    "weekdays": weekdays,
                    "weight": weight,
                },
                now=now,
            )
        house = await House.select(House.timezone).where(House.id == house_id).first()
        today = house_today(now, house["timezone"] if house else "UTC")
        this_week = week_start(today)
        last_week = this_week - dt.timedelta(weeks=1)
        # Last week's, as the job made it on the Sunday before; this week's likewise.
        for week in (last_week, this_week):
            await weeks.generate_rotation(
                house_id=house_id,
                week_start=week,
                today=week,
                now=now - dt.timedelta(days=(today - week).days + 1),
            )
        await _history(house_id, manager, last_week, today, now)


async def _history(
    house_id: int, manager: int, last_week: dt.date, today: dt.date, now: dt.datetime
) -> None:
    """Verify most chores of the past days, excuse a few, mark some done by their resident
    (those who can sign in), and let the sweep mark the rest missed."""
    rows = (
        await ChoreAssignment.select(
            ChoreAssignment.id,
            ChoreAssignment.day,
            ChoreAssignment.resident.user.as_alias("user"),
        )
        .where(ChoreAssignment.house == house_id, ChoreAssignment.day >= last_week)
        .where(ChoreAssignment.day <= today)
        .order_by(ChoreAssignment.day)
        .order_by(ChoreAssignment.id)
    )
    for i, row in enumerate(rows):
        full = await services.assignment(row["id"])
        if full is None:
            continue
        if row["day"] == today:
            # Today: a few are done by now, one already checked, the rest still to do.
            if row["user"] and i % 2 == 0:
                await assignments.mark_done(user_id=row["user"], assignment_id=row["id"], now=now)
            elif i % 3 == 0:
                await assignments.verify(actor_id=manager, row=full, today=today, now=now)
            continue
        if i % 9 == 4:
            await assignments.excuse(
                actor_id=manager, row=full, reason=EXCUSES[i % len(EXCUSES)], now=now
            )
        elif i % 7 != 5:
            await assignments.verify(actor_id=manager, row=full, today=today, now=now)
    await assignments.sweep_missed(now)
