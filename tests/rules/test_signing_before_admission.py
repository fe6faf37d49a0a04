"""A house can ask for its rules to be signed before a person moves in (house setting)."""

from __future__ import annotations

from typing import Any

from house.accounts.tables import User
from house.beds.tables import BedAssignment
from house.houses.tables import House
from house.lib import clock
from house.residents.tables import Resident, Stay
from house.rules import services as rules
from tests.cast import Cast
from tests.client import Client
from tests.factories import make_bed, make_house, make_room, make_stay, make_user


async def _applicant(house: int, actor: int) -> tuple[Any, int]:
    """A person on the house's waitlist with a resident sign-in. Returns (person, stay)."""
    person = await make_user(User.Role.resident, [house], name="Applicant Ann")
    stay = await make_stay(house, actor, "Ann")
    resident = (await Stay.select(Stay.resident).where(Stay.id == stay).first() or {})["resident"]
    await Resident.update({Resident.user: person.id}).where(Resident.id == resident)
    return person, stay


async def _house_with_rules(actor: int, *, required: bool) -> int:
    house = await make_house()
    await House.update({House.require_signed_rules: required}).where(House.id == house)
    rows = [{"number": 1, "text": "Be kind.", "category": "", "consequence": ""}]
    await rules.publish(actor_id=actor, house_id=house, rules=rows, note="", now=clock.now())
    return house


async def test_it_refuses_to_admit_before_signing_then_admits_after(
    client: Client, cast: Cast, app: Any
) -> None:
    house = await _house_with_rules(cast.admin.id, required=True)
    person, stay = await _applicant(house, cast.admin.id)
    bed = await make_bed(await make_room(house))
    await client.force_login(cast.admin)

    refused = await client.post(f"/beds/{bed}/admit", {"stay": str(stay)})
    assert refused.status_code == 422
    assert "has not signed version 1 yet" in refused.text
    assert await BedAssignment.count().where(BedAssignment.stay == stay) == 0
    assert (await Stay.select(Stay.status).where(Stay.id == stay).first() or {})[
        "status"
    ] == "waitlist"

    async with Client(app) as applicant:
        await applicant.force_login(person)
        home = await applicant.get("/")
        assert 'id="rules-to-sign"' in home.text
        mine = await rules.my_rules(person.id)
        assert mine is not None
        assert mine["version"] is not None
        signed = await applicant.post(
            "/rules/sign",
            {"name": "Ann Applicant", "confirm": "yes", "rule_set": str(mine["version"]["id"])},
        )
        assert signed.status_code == 303

    admitted = await client.post(f"/beds/{bed}/admit", {"stay": str(stay)})
    assert admitted.status_code == 303
    assert (await Stay.select(Stay.status).where(Stay.id == stay).first() or {})[
        "status"
    ] == "active"


async def test_it_admits_without_a_signature_when_the_house_does_not_ask(
    client: Client, cast: Cast
) -> None:
    house = await _house_with_rules(cast.admin.id, required=False)
    _, stay = await _applicant(house, cast.admin.id)
    bed = await make_bed(await make_room(house))
    await client.force_login(cast.admin)
    assert (await client.post(f"/beds/{bed}/admit", {"stay": str(stay)})).status_code == 303


async def test_it_asks_for_the_new_version_after_the_rules_change(cast: Cast) -> None:
    house = await _house_with_rules(cast.admin.id, required=True)
    person, stay = await _applicant(house, cast.admin.id)
    resident = (await Stay.select(Stay.resident).where(Stay.id == stay).first() or {})["resident"]
    mine = await rules.my_rules(person.id)
    assert mine is not None
    assert mine["version"] is not None
    await rules.sign(
        user_id=person.id, rule_set_id=mine["version"]["id"], name_typed="Ann", now=clock.now()
    )
    assert await rules.unsigned_version(house, resident) is None
    rows = [{"number": 1, "text": "Be kinder.", "category": "", "consequence": ""}]
    await rules.publish(
        actor_id=cast.admin.id, house_id=house, rules=rows, note="", now=clock.now()
    )
    assert await rules.unsigned_version(house, resident) == 2
