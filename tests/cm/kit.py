"""A house with CM, its manager, a resident who can sign in, and screens written the way
the screens core writes them (a Screen row, then `screen_recorded` in the same transaction).

A resident earns at most once per house day, so the scene's screens fall on successive days
(25 hours apart: never one house day, even across a DST change) unless a test names the
moment."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from house.accounts.tables import User
from house.cm import services
from house.db import write_transaction
from house.houses.tables import House
from house.lib import clock
from house.screens.tables import Screen
from tests.factories import Person, make_house, make_resident_in, make_user

VOUCHERS: dict[Any, Any] = {House.cm_schedule: "vouchers"}
STEP = dt.timedelta(hours=25)
FIRST_SCREEN = 30  # steps back from now: room for 30 screens in the past
PRIZES: dict[Any, Any] = {House.cm_schedule: "prizes"}


@dataclass(frozen=True)
class Scene:
    house: int
    manager: Person
    resident: Person
    ids: dict[str, int]  # stay, resident, bed
    screens: list[int] = field(default_factory=list)  # written so far, without a moment

    @property
    def resident_id(self) -> int:
        return self.ids["resident"]


async def make_scene(settings: dict[Any, Any] | None = None, name: str = "Rae") -> Scene:
    """A house (CM as `settings` say, default vouchers), its manager, and a resident."""
    house = await make_house()
    await House.update(settings if settings is not None else VOUCHERS).where(House.id == house)
    manager = await make_user(User.Role.manager, [house], name="Mia Manager")
    resident = await make_user(User.Role.resident, [house], name=name)
    # Moved in before the first screen (and today's date in UTC can be tomorrow in the
    # house's timezone).
    ids = await make_resident_in(
        house,
        manager.id,
        user_id=resident.id,
        preferred_name=name,
        admitted_on=clock.now().date() - dt.timedelta(days=40),
    )
    return Scene(house=house, manager=manager, resident=resident, ids=ids)


async def add_resident(scene: Scene, name: str) -> dict[str, int]:
    return await make_resident_in(scene.house, scene.manager.id, preferred_name=name)


async def screen(
    scene: Scene,
    outcome: str,
    *,
    ids: dict[str, int] | None = None,
    roll: Any = None,
    at: dt.datetime | None = None,
) -> int:
    """A screen with `outcome` for the scene's resident (or `ids`), recorded with CM, at
    `at` or else one step after the scene's previous screen."""
    ids = ids or scene.ids
    if at is None:
        scene.screens.append(len(scene.screens))
        at = clock.now() - (FIRST_SCREEN - len(scene.screens)) * STEP
    now = at
    async with write_transaction():
        rows = await Screen.insert(
            Screen(
                house=scene.house,
                stay=ids["stay"],
                resident=ids["resident"],
                collected_at=now,
                collected_by=scene.manager.id,
                method=None if outcome in ("refused", "missed") else "urine_cup",
                reason="random",
                outcome=outcome,
                recorded_at=now,
                recorded_by=scene.manager.id,
            )
        ).returning(Screen.id)
        screen_id = int(rows[0]["id"])
        if roll is None:
            await services.screen_recorded(screen_id, now)
        else:
            await services.screen_recorded(screen_id, now, roll=roll)
    return screen_id
