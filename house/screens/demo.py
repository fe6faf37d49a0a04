"""Demo data (called by house/demo.py inside its one transaction): panels for both houses, a
buprenorphine prescription for Jordan with an expected positive, and screens of every
outcome over the last weeks (a positive confirmed by the lab, one overturned, a dilute, an
invalid, a refused and a missed), each written through the services the app uses."""

from __future__ import annotations

import datetime as dt
from typing import Any

from house.residents.tables import Stay
from house.screens import outcomes, services
from house.screens.random import services as random_services
from house.screens.setup import services as setup
from house.screens.tables import Substance

CUP = [
    "alcohol",
    "amphetamine",
    "methamphetamine",
    "mdma",
    "cocaine",
    "opiates",
    "oxycodone",
    "fentanyl",
    "buprenorphine",
    "methadone",
    "benzodiazepines",
    "thc",
    "ketamine",
]
MANAGERS = ["maple.manager@demo.house", "cedar.manager@demo.house"]
# (preferred name, days ago, hour UTC, specimen, positives, lab: "", "confirmed", "overturned")
SCREENS: list[tuple[str, int, int, str, list[str], str]] = [
    ("Jordan", 20, 15, "", [], ""),
    ("Jordan", 13, 15, "", ["buprenorphine"], ""),  # expected: prescribed
    ("Jordan", 6, 14, "", ["buprenorphine"], ""),
    ("Riley", 18, 16, "", ["methamphetamine"], "confirmed"),
    ("Riley", 9, 16, "dilute", [], ""),
    ("Riley", 4, 15, "", [], ""),
    ("Dev", 16, 14, "", ["ketamine"], "overturned"),
    ("Dev", 8, 14, "invalid", [], ""),
    ("Dev", 3, 14, "", [], ""),
    ("Marco", 5, 17, "refused", [], ""),
    ("Sam", 12, 15, "", [], ""),
    ("Tess", 10, 15, "", [], ""),
]


async def load(house_ids: list[int], users: dict[str, int], now: dt.datetime) -> None:
    """`users` maps the demo emails (house/demo.py PEOPLE) to user ids.

    1. Each house gets a cup panel and a breath panel; Jordan discloses a prescription.
    2. The screens of SCREENS, with their lab steps; one missed screen as the sweep writes it.
    """
    codes = {r["code"]: r["id"] for r in await Substance.select(Substance.id, Substance.code)}
    manager_of = dict(zip(house_ids, (users[e] for e in MANAGERS), strict=True))
    stays = await _stays(house_ids)
    cups = await _panels(house_ids, manager_of, codes, now)
    await _prescription(stays["Jordan"], manager_of, codes, now)
    for name, days, hour, specimen, positives, lab in SCREENS:
        stay = stays[name]
        actor = manager_of[stay["house"]]
        at = (now - dt.timedelta(days=days)).replace(hour=hour, minute=10, second=0, microsecond=0)
        recorded = at + dt.timedelta(minutes=20)  # written soon after collection
        tested = specimen not in outcomes.NO_SPECIMEN
        screen_id = await services.record_screen(
            actor_id=actor,
            house_id=stay["house"],
            values={
                "resident": stay["resident"],
                "collected_at": at,
                "collected_on": at.date(),
                "method": "urine_cup" if tested else None,
                "reason": "random" if days % 2 else "scheduled",
                "observed": True,
                "specimen_id": f"DEMO-{days:02d}{hour}" if tested else "",
                "specimen": specimen,
                "panel": cups[stay["house"]] if tested else None,
                "results": {codes[c]: "positive" for c in positives},
                "breath_milli": None,
                "note": "",
            },
            now=recorded,
        )
        if lab:
            await _lab(actor, screen_id, lab, at, recorded)
    await _missed(stays["Marco"], now)


async def _stays(house_ids: list[int]) -> dict[str, dict[str, Any]]:
    """The current stays of the demo houses, by the resident's preferred name."""
    return {
        s["name"]: s
        for s in await Stay.select(
            Stay.id,
            Stay.house,
            Stay.resident,
            Stay.admitted_on,
            Stay.resident.preferred_name.as_alias("name"),
        ).where(Stay.status == Stay.Status.active, Stay.house.is_in(house_ids))
    }


async def _panels(
    house_ids: list[int], manager_of: dict[int, int], codes: dict[str, int], now: dt.datetime
) -> dict[int, int]:
    """Step 1: a cup and a breath panel per house; returns each house's cup panel id."""
    for house_id in house_ids:
        for name, members in (("12-panel cup", CUP), ("Breath", ["alcohol"])):
            await setup.save_panel(
                actor_id=manager_of[house_id],
                house_id=house_id,
                panel_id=None,
                name=name,
                substance_ids=[codes[c] for c in members],
                now=now,
            )
    return {h: (await setup.house_panels(h, active_only=True))[0]["id"] for h in house_ids}


async def _prescription(
    jordan: dict[str, Any], manager_of: dict[int, int], codes: dict[str, int], now: dt.datetime
) -> None:
    """Step 1: Jordan's buprenorphine, disclosed from move-in."""
    await setup.add_prescription(
        actor_id=manager_of[jordan["house"]],
        resident_id=jordan["resident"],
        values={
            "substance": codes["buprenorphine"],
            "medication": "Suboxone (buprenorphine/naloxone) 8 mg",
            "prescriber": "Dr. Patel, Springfield MAT clinic",
            "starts_on": jordan["admitted_on"],
            "ends_on": None,
        },
        now=now,
    )


async def _lab(
    actor: int, screen_id: int, lab: str, at: dt.datetime, recorded: dt.datetime
) -> None:
    """Step 2: sent to the lab the next day, answered three days later."""
    sent = at.date() + dt.timedelta(days=1)
    answered = at.date() + dt.timedelta(days=4)
    await services.lab_step(
        actor_id=actor,
        screen_id=screen_id,
        step="send",
        on=sent,
        reference="",
        today=sent,
        now=recorded + dt.timedelta(days=1),
    )
    await services.lab_step(
        actor_id=actor,
        screen_id=screen_id,
        step=lab,
        on=answered,
        reference=f"LAB-{screen_id:05d}",
        today=answered,
        now=recorded + dt.timedelta(days=4),
    )


async def _missed(marco: dict[str, Any], now: dt.datetime) -> None:
    """Step 2: a missed screen, written as the random selection's end-of-day sweep writes one."""
    missed_at = (now - dt.timedelta(days=2)).replace(hour=23, minute=0, second=0, microsecond=0)
    stay = {"house": marco["house"], "stay": marco["id"], "resident": marco["resident"]}
    await random_services.write_missed(stay, collected_at=missed_at, now=missed_at)
