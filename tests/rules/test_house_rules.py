"""House rules: versions that never overwrite, copying between houses, signing, who has not."""

from __future__ import annotations

from typing import Any

import pytest

from house.accounts.tables import User
from house.beds.placements import services as placements
from house.lib import clock
from house.residents.tables import Resident, Stay
from house.rules.tables import Rule, RuleSet, RuleSignature
from tests.cast import Cast
from tests.client import Client
from tests.factories import Person, make_bed, make_house, make_room, make_stay, make_user


async def _resident_in(house: int, actor: int, name: str) -> tuple[Person, int]:
    """A resident with an account, living in a bed of `house`. Returns (person, resident id)."""
    person = await make_user(User.Role.resident, [house], name=name)
    stay = await make_stay(house, actor, name)
    bed = await make_bed(await make_room(house))
    today = clock.now().date()
    await placements.admit(
        actor_id=actor, stay_id=stay, bed_id=bed, on=today, today=today, now=clock.now()
    )
    resident = (await Stay.select(Stay.resident).where(Stay.id == stay).first() or {})["resident"]
    await Resident.update({Resident.user: person.id}).where(Resident.id == resident)
    return person, resident


def _rules_form(*rules: tuple[str, str]) -> list[tuple[str, str]]:
    data: list[tuple[str, str]] = []
    for i, (number, text) in enumerate(rules):
        data += [
            (f"number-{i}", number),
            (f"text-{i}", text),
            (f"category-{i}", "Safety"),
            (f"consequence-{i}", "Warning"),
        ]
    return data


async def test_it_publishes_versions_and_keeps_the_old_ones(client: Client, cast: Cast) -> None:
    house = await make_house()
    manager = await make_user("manager", [house])
    await client.force_login(manager)
    first = await client.post(
        f"/houses/{house}/rules",
        _rules_form(("1", "No substances on the property."), ("2", "Curfew is 22:00.")),
    )
    assert first.status_code == 303
    editor = await client.get(f"/houses/{house}/rules/edit")
    assert "No substances on the property." in editor.text
    second = await client.post(
        f"/houses/{house}/rules",
        [
            *_rules_form(
                ("1", "No substances on the property."), ("2", ""), ("3", "Chores by 20:00.")
            ),
            ("note", "curfew moved to phase rules"),
        ],
    )
    assert second.status_code == 303
    versions = (
        await RuleSet.select(RuleSet.id, RuleSet.version)
        .where(RuleSet.house == house)
        .order_by(RuleSet.version)
    )
    assert [v["version"] for v in versions] == [1, 2]
    old = await Rule.select(Rule.number).where(Rule.rule_set == versions[0]["id"])
    new = await Rule.select(Rule.number).where(Rule.rule_set == versions[1]["id"])
    assert sorted(r["number"] for r in old) == [1, 2]
    assert sorted(r["number"] for r in new) == [1, 3]
    page = await client.get(f"/houses/{house}/rules")
    assert "Version 2" in page.text
    assert "Chores by 20:00." in page.text
    assert "Earlier versions" in page.text


async def test_it_lets_a_resident_sign_and_shows_staff_who_has_not(
    client: Client, cast: Cast, app: Any
) -> None:
    house = await make_house()
    manager = await make_user("manager", [house])
    me, my_id = await _resident_in(house, manager.id, "Signer")
    _, their_id = await _resident_in(house, manager.id, "Notyet")
    await client.force_login(manager)
    await client.post(f"/houses/{house}/rules", _rules_form(("1", "Be kind.")))

    async with Client(app) as resident:
        await resident.force_login(me)
        home = await resident.get("/")
        assert 'id="rules-to-sign"' in home.text
        page = await resident.get("/rules")
        assert "Be kind." in page.text
        rule_set = (await RuleSet.select(RuleSet.id).where(RuleSet.house == house).first() or {})[
            "id"
        ]
        unticked = await resident.post(
            "/rules/sign", {"name": "Sig Ner", "rule_set": str(rule_set)}
        )
        assert unticked.status_code == 422
        assert "Tick the box" in unticked.text
        assert 'value="Sig Ner"' in unticked.text
        signed = await resident.post(
            "/rules/sign", {"name": "Sig Ner", "confirm": "yes", "rule_set": str(rule_set)}
        )
        assert signed.status_code == 303
        again = await resident.post(
            "/rules/sign", {"name": "Sig Ner", "confirm": "yes", "rule_set": str(rule_set)}
        )
        assert again.status_code == 422
        assert "You signed this version today at" in again.text
        assert 'id="rules-to-sign"' not in (await resident.get("/")).text
    row = await RuleSignature.select().where(RuleSignature.resident == my_id).first()
    assert row is not None
    assert (row["name_typed"], row["rule_set"]) == ("Sig Ner", rule_set)

    status = await client.get(f"/houses/{house}/rules")
    assert "1 of 2 residents have not signed" in status.text
    assert f'id="unsigned-{their_id}"' in status.text
    assert f'id="unsigned-{my_id}"' not in status.text

    # A new version needs signing again; signing the old one is refused.
    await client.post(f"/houses/{house}/rules", _rules_form(("1", "Be kinder.")))
    async with Client(app) as resident:
        await resident.force_login(me)
        assert 'id="rules-to-sign"' in (await resident.get("/")).text
        stale = await resident.post(
            "/rules/sign", {"name": "Sig Ner", "confirm": "yes", "rule_set": str(rule_set)}
        )
        assert "The rules changed while you were reading" in stale.text


async def test_it_copies_another_houses_rules_as_a_new_version(client: Client, cast: Cast) -> None:
    source, target = await make_house(), await make_house()
    await client.force_login(cast.admin)
    await client.post(f"/houses/{source}/rules", _rules_form(("4", "Meetings on Sunday.")))
    copied = await client.post(f"/houses/{target}/rules/copy", {"source": str(source)})
    assert copied.status_code == 303
    page = await client.get(f"/houses/{target}/rules")
    assert "Meetings on Sunday." in page.text
    assert "copied from version 1" in page.text


async def test_it_answers_another_houses_id_when_copying_with_404(
    client: Client, cast: Cast
) -> None:
    await client.force_login(cast.admin)
    response = await client.post(f"/houses/{cast.house_a}/rules/copy", {"source": "2000000000"})
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([("1", "")], "A house needs at least one rule."),
        ([("1", "A"), ("1", "B")], "Two rules have the same number."),
        ([("x", "A")], "Give the rule a number from 1 to 999."),
        ([("1000", "A")], "Give the rule a number from 1 to 999."),
        ([("1", "r" * 1001)], "Use at most 1000 characters"),
    ],
)
async def test_it_answers_a_bad_rules_form_and_publishes_nothing(
    client: Client, cast: Cast, rows: list[tuple[str, str]], message: str
) -> None:
    house = await make_house()
    await client.force_login(cast.admin)
    response = await client.post(f"/houses/{house}/rules", _rules_form(*rows))
    assert response.status_code == 422
    assert message in response.text
    assert await RuleSet.count().where(RuleSet.house == house) == 0


async def test_it_escapes_markup_in_a_rule(client: Client, cast: Cast) -> None:
    house = await make_house()
    await client.force_login(cast.admin)
    await client.post(f"/houses/{house}/rules", _rules_form(("1", "<script>x()</script>")))
    page = await client.get(f"/houses/{house}/rules")
    assert "<script>x()</script>" not in page.text
    assert "&lt;script&gt;x()&lt;/script&gt;" in page.text


async def test_it_shows_the_rules_page_with_the_same_queries_however_many_residents(
    client: Client, cast: Cast, queries: Any
) -> None:
    house = await make_house()
    manager = await make_user("manager", [house])
    await client.force_login(manager)
    await client.post(f"/houses/{house}/rules", _rules_form(("1", "One."), ("2", "Two.")))
    await client.get(f"/houses/{house}/rules")
    with queries() as few:
        await client.get(f"/houses/{house}/rules")
    for i in range(6):
        await _resident_in(house, manager.id, f"Many{i}")
    with queries() as many:
        await client.get(f"/houses/{house}/rules")
    assert few.count == many.count
