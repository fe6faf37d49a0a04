"""A house with chores and residents, at a fixed moment (a Wednesday morning in Chicago)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from house.accounts.tables import User
from house.chores import services, weeks
from house.lib import clock
from house.lib.dates import house_today
from tests.factories import make_house, make_resident_in, make_user, unique

# 10:00 on Wednesday 25 November 2026 in America/Chicago (the factories' house timezone).
WEDNESDAY = dt.datetime(2026, 11, 25, 16, 0, tzinfo=dt.UTC)
MONDAY = dt.date(2026, 11, 23)
TODAY = dt.date(2026, 11, 25)
CHORES = [
    ("Kitchen", "Downstairs", 3, "daily", ""),
    ("Bathrooms", "Upstairs", 2, "weekdays", "1,3,5"),
    ("Trash out", "", 1, "weekly", "4"),
]


async def chore_house(
    residents: int = 3,
    chores: list[tuple[str, str, int, str, str]] | None = None,
    *,
    admitted_on: dt.date = MONDAY - dt.timedelta(days=30),
) -> dict[str, Any]:
    """A house, its manager, `residents` residents who can sign in (admitted on
    `admitted_on`) and `chores`. Needs the clock frozen at WEDNESDAY."""
    house = await make_house(unique("Chore House"))
    manager = await make_user(User.Role.manager, [house], name="Mia Chores")
    people = []
    for i in range(residents):
        name = unique(f"Res{i}")
        person = await make_user(User.Role.resident, [house], name=name)
        ids = await make_resident_in(
            house, manager.id, user_id=person.id, preferred_name=name, admitted_on=admitted_on
        )
        people.append({**ids, "person": person, "name": name})
    chore_ids = []
    for name, area, weight, frequency, weekdays in chores if chores is not None else CHORES:
        chore_ids.append(
            await services.add_chore(
                actor_id=manager.id,
                house_id=house,
                values={
                    "name": name,
                    "area": area,
                    "instructions": f"How to do {name}.",
                    "frequency": frequency,
                    "weekdays": weekdays,
                    "weight": weight,
                },
                now=clock.now(),
            )
        )
    return {"house": house, "manager": manager, "residents": people, "chores": chore_ids}


async def with_rotation(setup: dict[str, Any], week: dt.date = MONDAY) -> int:
    made = await weeks.generate_rotation(
        house_id=setup["house"],
        week_start=week,
        today=house_today(clock.now(), "America/Chicago"),
        now=clock.now(),
    )
    return made.rotation_id
