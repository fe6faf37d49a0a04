"""The `get_rw_<thing>_for_user` loaders: the record for staff of its house, a 403 written
to the audit log for a resident (who may read it), a 404 for another house's manager.

The write routes are guarded by role as well (staff_only), so a resident never reaches these
loaders through the app today; they are called directly here, as a handler calls them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pytest
from litestar.exceptions import NotFoundException, PermissionDeniedException

from house.accounts.sessions import CurrentUser
from house.accounts.tables import HouseMembership, User
from house.audit.tables import AuditEvent
from house.beds.access import get_rw_bed_for_user, get_rw_room_for_user
from house.chores import services as chores
from house.chores import weeks
from house.chores.access import get_rw_assignment_for_user, get_rw_chore_for_user
from house.chores.tables import ChoreAssignment
from house.cm.access import get_rw_ledger_stay_for_user
from house.houses.access import get_rw_house_for_user
from house.lib import clock
from house.lib.dates import house_today, week_start
from house.meetings.access import get_rw_meeting_for_user
from house.meetings.outside.access import get_rw_outside_meeting_for_user
from house.residents.access import get_rw_resident_for_user, get_rw_stay_for_user
from house.rules import services as rules
from house.screens import services as screens
from house.screens.access import get_rw_screen_for_user
from house.screens.setup import services as setup
from house.screens.setup.access import get_rw_panel_for_user, get_rw_prescription_for_user
from house.screens.tables import Substance
from house.violations import services as violations
from house.violations.access import get_rw_violation_for_user
from tests.factories import (
    Person,
    make_bed,
    make_house,
    make_house_meeting,
    make_outside_meeting,
    make_resident_in,
    make_room,
    make_user,
)

TIMEZONE = "America/Chicago"


@dataclass(frozen=True)
class World:
    people: dict[str, Person]
    ids: dict[str, int]


async def _violation(house: int, manager: int, stay: int, today: dt.date) -> int:
    rows = [{"number": 1, "text": "Be home by curfew.", "category": "", "consequence": ""}]
    await rules.publish(actor_id=manager, house_id=house, rules=rows, note="", now=clock.now())
    choices = await violations.form_choices(house)
    return await violations.record_violation(
        actor_id=manager,
        house_id=house,
        values={
            "stay": stay,
            "rule": choices["rules"][0]["id"],
            "occurred_on": today,
            "occurred_at": clock.now() - dt.timedelta(minutes=5),
            "location": "",
            "description": "Came in at 23:40.",
            "severity": "minor",
            "consequence": choices["ladder"][0],
        },
        now=clock.now(),
    )


async def _screen_and_setup(
    house: int, manager: int, resident: int, today: dt.date
) -> dict[str, int]:
    codes = {r["code"]: r["id"] for r in await Substance.select(Substance.id, Substance.code)}
    now = clock.now()
    panel = await setup.save_panel(
        actor_id=manager,
        house_id=house,
        panel_id=None,
        name="Cup",
        substance_ids=[codes["cocaine"]],
        now=now,
    )
    prescription = await setup.add_prescription(
        actor_id=manager,
        resident_id=resident,
        values={
            "substance": codes["methadone"],
            "medication": "Methadone",
            "prescriber": "",
            "starts_on": today,
            "ends_on": None,
        },
        now=now,
    )
    screen = await screens.record_screen(
        actor_id=manager,
        house_id=house,
        values={
            "resident": resident,
            "collected_at": now,
            "collected_on": today,
            "method": None,
            "reason": "random",
            "observed": False,
            "specimen_id": "",
            "specimen": "refused",
            "panel": None,
            "results": {},
            "breath_milli": None,
            "note": "",
        },
        now=now,
    )
    return {"panel": panel, "prescription": prescription, "screen": screen}


async def _chore_and_assignment(house: int, manager: int, today: dt.date) -> dict[str, int]:
    values = {
        "name": "Dishes",
        "area": "",
        "instructions": "",
        "frequency": "daily",
        "weekdays": "",
        "weight": 1,
    }
    now = clock.now()
    chore = await chores.add_chore(actor_id=manager, house_id=house, values=values, now=now)
    await weeks.generate_rotation(
        house_id=house, week_start=week_start(today), today=today, now=now
    )
    row = (
        await ChoreAssignment.select(ChoreAssignment.id)
        .where(ChoreAssignment.chore == chore)
        .first()
    )
    assert row is not None
    return {"chore": chore, "assignment": row["id"]}


@pytest.fixture(scope="module")
async def world() -> World:
    """A house with its manager, a resident living there (who can sign in) and a record of
    each kind about them; another house with its own manager; an admin."""
    house = await make_house(timezone=TIMEZONE)
    other_house = await make_house(timezone=TIMEZONE)
    people = {
        "manager": await make_user(User.Role.manager, [house]),
        "other_manager": await make_user(User.Role.manager, [other_house]),
        "resident": await make_user(User.Role.resident, [house]),
        "admin": await make_user(User.Role.admin),
    }
    manager = people["manager"].id
    today = house_today(clock.now(), TIMEZONE)
    home = await make_resident_in(
        house, manager, user_id=people["resident"].id, admitted_on=today - dt.timedelta(days=3)
    )
    room = await make_room(house)
    ids = {
        "house": house,
        "room": room,
        "bed": await make_bed(room),
        "stay": home["stay"],
        "resident": home["resident"],
        "violation": await _violation(house, manager, home["stay"], today),
        "meeting": await make_house_meeting(house),
        "outside_meeting": await make_outside_meeting(home, house, people["resident"].id),
        **await _screen_and_setup(house, manager, home["resident"], today),
        **await _chore_and_assignment(house, manager, today),
    }
    return World(people=people, ids=ids)


Load = Callable[[CurrentUser, World], Awaitable[Any]]
# (name, load, the record named in the audit row of a refusal)
LOADERS: list[tuple[str, Load, str]] = [
    ("house", lambda u, w: get_rw_house_for_user(u, w.ids["house"]), "house:{house}"),
    ("room", lambda u, w: get_rw_room_for_user(u, w.ids["room"]), "room:{room}"),
    ("bed", lambda u, w: get_rw_bed_for_user(u, w.ids["bed"]), "bed:{bed}"),
    ("stay", lambda u, w: get_rw_stay_for_user(u, w.ids["stay"]), "stay:{stay}"),
    (
        "resident",
        lambda u, w: get_rw_resident_for_user(u, w.ids["resident"]),
        "resident:{resident}",
    ),
    (
        "violation",
        lambda u, w: get_rw_violation_for_user(u, w.ids["violation"]),
        "violation:{violation}",
    ),
    ("screen", lambda u, w: get_rw_screen_for_user(u, w.ids["screen"]), "screen:{screen}"),
    (
        "panel",
        lambda u, w: get_rw_panel_for_user(u, w.ids["house"], w.ids["panel"]),
        "panel:{panel}",
    ),
    (
        "prescription",
        lambda u, w: get_rw_prescription_for_user(u, w.ids["prescription"]),
        "prescription:{prescription}",
    ),
    (
        "chore",
        lambda u, w: get_rw_chore_for_user(u, w.ids["house"], w.ids["chore"]),
        "chore:{chore}",
    ),
    (
        "assignment",
        lambda u, w: get_rw_assignment_for_user(u, w.ids["assignment"]),
        "chore_assignment:{assignment}",
    ),
    (
        "meeting",
        lambda u, w: get_rw_meeting_for_user(u, w.ids["meeting"]),
        "house_meeting:{meeting}",
    ),
    (
        "outside_meeting",
        lambda u, w: get_rw_outside_meeting_for_user(u, w.ids["outside_meeting"]),
        "outside_meeting:{outside_meeting}",
    ),
    ("ledger", lambda u, w: get_rw_ledger_stay_for_user(u, w.ids["resident"]), "stay:{stay}"),
]
IDS = [name for name, _, _ in LOADERS]


async def signed_in(person: Person) -> CurrentUser:
    """The person as a request sees them (their houses: managers and residents only)."""
    rows = await HouseMembership.select(HouseMembership.house).where(
        HouseMembership.user == person.id
    )
    houses = frozenset(r["house"] for r in rows) if person.role != User.Role.admin else frozenset()
    return CurrentUser(
        id=person.id, email=person.email, name=person.name, role=person.role, house_ids=houses
    )


async def _refusals(person: Person, record: str) -> int:
    return await AuditEvent.count().where(
        AuditEvent.actor == person.id,
        AuditEvent.action == "access_denied",
        AuditEvent.record == record,
    )


@pytest.mark.parametrize(("name", "load", "record"), LOADERS, ids=IDS)
async def test_it_refuses_a_resident_of_the_house_with_a_403_and_an_audit_row(
    world: World, name: str, load: Load, record: str
) -> None:
    resident = world.people["resident"]
    record = record.format(**world.ids)
    before = await _refusals(resident, record)
    with pytest.raises(PermissionDeniedException):
        await load(await signed_in(resident), world)
    assert await _refusals(resident, record) == before + 1


@pytest.mark.parametrize(("name", "load", "record"), LOADERS, ids=IDS)
async def test_it_hides_the_record_from_another_houses_manager(
    world: World, name: str, load: Load, record: str
) -> None:
    other = world.people["other_manager"]
    with pytest.raises(NotFoundException):
        await load(await signed_in(other), world)
    # Not found is not a refusal: nothing says the record exists.
    assert await _refusals(other, record.format(**world.ids)) == 0


@pytest.mark.parametrize(("name", "load", "record"), LOADERS, ids=IDS)
@pytest.mark.parametrize("persona", ["manager", "admin"])
async def test_it_gives_the_record_to_the_houses_manager_and_an_admin(
    world: World, persona: str, name: str, load: Load, record: str
) -> None:
    person = world.people[persona]
    loaded = await load(await signed_in(person), world)
    if name != "resident":  # the resident's loader only checks (returns nothing)
        expected = world.ids["stay" if name == "ledger" else name]
        assert loaded["id"] == expected
    assert await _refusals(person, record.format(**world.ids)) == 0
