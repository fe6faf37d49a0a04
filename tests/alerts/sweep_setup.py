"""Shared setup of the alert rule tests: a Chicago house with a manager, an admin and
residents, and reading the alerts a sweep raised for one house."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from house.accounts.tables import User
from house.alerts.tables import Alert
from house.lib import clock
from tests.factories import Person, make_house, make_resident_in, make_user, unique

# 10:00 on Wednesday 25 November 2026 in America/Chicago (UTC-6).
WEDNESDAY = dt.datetime(2026, 11, 25, 16, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 11, 25)
MONDAY = dt.date(2026, 11, 23)


@dataclass(frozen=True)
class House:
    id: int
    manager: Person
    residents: list[dict[str, Any]]


async def alert_house(residents: int = 1, *, admitted_on: dt.date | None = None) -> House:
    """A house in America/Chicago with a manager and `residents` residents who can sign
    in, admitted 60 days before today unless told."""
    house = await make_house(unique("Alert House"))
    manager = await make_user(User.Role.manager, [house], name="Mia Manager")
    people = []
    for i in range(residents):
        name = unique(f"Riley{i}")
        person = await make_user(User.Role.resident, [house], name=name)
        ids = await make_resident_in(
            house,
            manager.id,
            user_id=person.id,
            preferred_name=name,
            admitted_on=admitted_on or TODAY - dt.timedelta(days=60),
        )
        people.append({**ids, "person": person, "name": name})
    return House(id=house, manager=manager, residents=people)


async def alerts_of(house_id: int, kind: str | None = None) -> list[dict[str, Any]]:
    query = Alert.select().where(Alert.house == house_id)
    if kind is not None:
        query = query.where(Alert.kind == kind)
    rows: list[dict[str, Any]] = await query.order_by(Alert.id)
    return rows


def at(when: dt.datetime) -> dt.datetime:
    """Freeze the clock at `when` and return it."""
    clock.freeze(when)
    return when
