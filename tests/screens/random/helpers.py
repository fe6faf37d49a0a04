"""A house with random screens on and residents, at a fixed moment (Wednesday 25 November
2026, 10:00 in Chicago, the factories' timezone)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from house.accounts.tables import User
from house.db import write_transaction
from house.houses.tables import House
from house.lib import clock
from house.screens.tables import Screen
from tests.factories import make_house, make_resident_in, make_user, unique

WEDNESDAY = dt.datetime(2026, 11, 25, 16, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 11, 25)
MONDAY = dt.date(2026, 11, 23)


async def random_house(
    residents: int = 4,
    *,
    enabled: bool = True,
    rate: int = 2,
    kind: str = "count",
    cap: int = 2,
    hours: int = 48,
    draw_time: str = "06:00",
    timezone: str = "America/Chicago",
    admitted_on: dt.date = TODAY - dt.timedelta(days=30),
) -> dict[str, Any]:
    """A house, its manager and `residents` current residents (with sign-in accounts)."""
    house = await make_house(unique("Linden House"), timezone=timezone)
    async with write_transaction():
        await House.update(
            {
                House.random_enabled: enabled,
                House.random_rate: rate,
                House.random_rate_kind: kind,
                House.random_weekly_cap: cap,
                House.random_exclusion_hours: hours,
                House.random_draw_time: draw_time,
            }
        ).where(House.id == house)
    manager = await make_user(User.Role.manager, [house], name="Mo Draws")
    people = []
    for i in range(residents):
        name = unique(f"Sam{i}")
        person = await make_user(User.Role.resident, [house], name=name)
        ids = await make_resident_in(
            house, manager.id, user_id=person.id, preferred_name=name, admitted_on=admitted_on
        )
        people.append({**ids, "person": person, "name": name})
    return {"house": house, "manager": manager, "residents": people}


async def screened(
    resident: dict[str, Any], house: int, at: dt.datetime, outcome: str = "negative"
) -> int:
    """A screen of `resident` collected at `at` (a plain row: the screens core is tested
    elsewhere)."""
    async with write_transaction():
        rows = await Screen.insert(
            Screen(
                house=house,
                stay=resident["stay"],
                resident=resident["resident"],
                collected_at=at,
                method=None if outcome == "missed" else Screen.Method.urine_cup,
                reason=Screen.Reason.scheduled,
                outcome=outcome,
                recorded_at=clock.now(),
            )
        ).returning(Screen.id)
    return int(rows[0]["id"])


@pytest.fixture
def at_wednesday() -> Iterator[None]:
    """The clock frozen at WEDNESDAY (the web app and the worker see it too)."""
    clock.freeze(WEDNESDAY)
    yield
    clock.freeze(None)
