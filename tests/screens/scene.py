"""A house with panels, its manager, and two residents who can sign in (Rae lives here and
takes buprenorphine, prescribed)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from house.accounts.tables import User
from house.db import write_transaction
from house.lib import clock
from house.lib.dates import house_today
from house.screens.setup import services as setup
from house.screens.tables import DrawSelection, RandomDraw, Substance
from tests.factories import Person, make_house, make_resident_in, make_user

TIMEZONE = "America/Chicago"
CUP = ["amphetamine", "cocaine", "fentanyl", "buprenorphine", "ketamine", "thc"]


@dataclass(frozen=True)
class Scene:
    house: int
    manager: Person
    resident: Person
    neighbour: Person
    rae: dict[str, int]
    ned: dict[str, int]
    cup: int
    breath: int
    codes: dict[str, int]
    today: dt.date


async def substance_ids() -> dict[str, int]:
    return {r["code"]: r["id"] for r in await Substance.select(Substance.id, Substance.code)}


async def make_scene(*, prescription: bool = True) -> Scene:
    house = await make_house(timezone=TIMEZONE)
    manager = await make_user(User.Role.manager, [house], name="Mo Collector")
    resident = await make_user(User.Role.resident, [house], name="Rae Resident")
    neighbour = await make_user(User.Role.resident, [house], name="Ned Neighbour")
    today = house_today(clock.now(), TIMEZONE)
    moved_in = today - dt.timedelta(days=10)
    rae = await make_resident_in(
        house, manager.id, user_id=resident.id, preferred_name="Rae", admitted_on=moved_in
    )
    ned = await make_resident_in(
        house, manager.id, user_id=neighbour.id, preferred_name="Ned", admitted_on=moved_in
    )
    codes = await substance_ids()
    now = clock.now()
    cup = await setup.save_panel(
        actor_id=manager.id,
        house_id=house,
        panel_id=None,
        name="12-panel cup",
        substance_ids=[codes[c] for c in CUP],
        now=now,
    )
    breath = await setup.save_panel(
        actor_id=manager.id,
        house_id=house,
        panel_id=None,
        name="Breath",
        substance_ids=[codes["alcohol"]],
        now=now,
    )
    if prescription:
        await setup.add_prescription(
            actor_id=manager.id,
            resident_id=rae["resident"],
            values={
                "substance": codes["buprenorphine"],
                "medication": "Suboxone 8 mg",
                "prescriber": "Dr Lee",
                "starts_on": moved_in,
                "ends_on": None,
            },
            now=now,
        )
    return Scene(
        house=house,
        manager=manager,
        resident=resident,
        neighbour=neighbour,
        rae=rae,
        ned=ned,
        cup=cup,
        breath=breath,
        codes=codes,
        today=today,
    )


def local_now() -> dt.datetime:
    return clock.now().astimezone(ZoneInfo(TIMEZONE))


def screen_form(scene: Scene, **changes: str) -> dict[str, str]:
    """The full form for Rae: cup panel, all negative, collected now."""
    now = local_now()
    return {
        "resident": str(scene.rae["resident"]),
        "collected_on": now.date().isoformat(),
        "collected_time": now.strftime("%H:%M"),
        "method": "urine_cup",
        "reason": "random",
        "observed": "yes",
        "specimen_id": "CUP-0042",
        "specimen": "",
        "panel": str(scene.cup),
        "note": "Collected in the downstairs bathroom.",
        "form_token": uuid.uuid4().hex,
        **{f"result-{scene.codes[c]}": "negative" for c in CUP},
        **changes,
    }


def values(scene: Scene, **changes: object) -> dict[str, object]:
    """Parsed values for services.record_screen (Rae, cup panel, now)."""
    now = clock.now()
    return {
        "resident": scene.rae["resident"],
        "collected_at": now - dt.timedelta(minutes=1),
        "collected_on": house_today(now - dt.timedelta(minutes=1), TIMEZONE),
        "method": "urine_cup",
        "reason": "random",
        "observed": True,
        "specimen_id": "",
        "specimen": "",
        "panel": scene.cup,
        "results": {},
        "breath_milli": None,
        "note": "",
        **changes,
    }


async def draw(scene: Scene, *residents: dict[str, int]) -> int:
    """Today's random draw for the house, selecting `residents` (written as the random
    selection's job writes it)."""
    now = clock.now()
    async with write_transaction():
        rows = await RandomDraw.insert(
            RandomDraw(
                house=scene.house,
                day=scene.today,
                drawn_at=now,
                seed="0" * 64,
                eligible="[]",
                wanted=len(residents),
                selected="[]",
            )
        ).returning(RandomDraw.id)
        draw_id = int(rows[0]["id"])
        for r in residents:
            await DrawSelection.insert(
                DrawSelection(
                    draw=draw_id,
                    house=scene.house,
                    resident=r["resident"],
                    stay=r["stay"],
                    day=scene.today,
                )
            )
    return draw_id
