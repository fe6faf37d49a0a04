"""A house with rules, its manager, and two residents who can sign in."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from house.accounts.tables import User
from house.lib import clock
from house.lib.dates import house_today
from house.rules import services as rules
from house.rules.tables import Rule, RuleSet
from tests.factories import Person, make_house, make_resident_in, make_user

TIMEZONE = "America/Chicago"


@dataclass(frozen=True)
class Scene:
    house: int
    manager: Person
    other_manager: Person
    resident: Person
    neighbour: Person
    stay: int
    neighbour_stay: int
    rule: int
    yesterday: dt.date


async def make_scene() -> Scene:
    house = await make_house(timezone=TIMEZONE)
    manager = await make_user(User.Role.manager, [house], name="Mo Recorder")
    other_manager = await make_user(User.Role.manager, [house], name="Other Manager")
    resident = await make_user(User.Role.resident, [house], name="Rae Resident")
    neighbour = await make_user(User.Role.resident, [house], name="Ned Neighbour")
    today = house_today(clock.now(), TIMEZONE)
    mine = await make_resident_in(
        house,
        manager.id,
        user_id=resident.id,
        preferred_name="Rae",
        admitted_on=today - dt.timedelta(days=5),
    )
    theirs = await make_resident_in(
        house,
        manager.id,
        user_id=neighbour.id,
        preferred_name="Ned",
        admitted_on=today - dt.timedelta(days=5),
    )
    rows = [
        {"number": 1, "text": "No guests after 9 pm.", "category": "Guests", "consequence": ""},
        {"number": 2, "text": "Do your chores.", "category": "House", "consequence": ""},
    ]
    await rules.publish(actor_id=manager.id, house_id=house, rules=rows, note="", now=clock.now())
    rule = await Rule.select(Rule.id).where(Rule.rule_set.house == house, Rule.number == 1).first()
    assert rule is not None
    assert await RuleSet.count().where(RuleSet.house == house) == 1
    return Scene(
        house=house,
        manager=manager,
        other_manager=other_manager,
        resident=resident,
        neighbour=neighbour,
        stay=mine["stay"],
        neighbour_stay=theirs["stay"],
        rule=rule["id"],
        yesterday=today - dt.timedelta(days=1),
    )


def violation_form(scene: Scene, **changes: str) -> dict[str, str]:
    return {
        "stay": str(scene.stay),
        "rule": str(scene.rule),
        "occurred_on": scene.yesterday.isoformat(),
        "occurred_time": "21:40",
        "location": "Living room",
        "description": "Had a guest over after 9 pm.\nAsked to leave at 21:50.",
        "severity": "minor",
        "consequence": "Warning",
        "form_token": uuid.uuid4().hex,
        **changes,
    }
