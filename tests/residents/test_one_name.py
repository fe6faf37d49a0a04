"""One name rule (house.residents.names): a resident is named by the name they go by on
every page of every role and in their emails; their legal name only on their details."""

from __future__ import annotations

import re
from typing import Any

from house.accounts import services as accounts
from house.accounts.tables import User
from house.amendments.tables import Amendment
from house.lib import clock
from house.outbox.tables import OutboxEmail
from house.residents import services as residents
from house.residents.tables import Resident
from tests.cast import Cast
from tests.client import Client
from tests.factories import Person, make_house, make_resident_in, make_user, unique

LEGAL = "Jordan Avery Miles"


def _shown(html: str) -> str:
    """The page's text without tags (names inside links and attributes count too)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


async def _jordan(cast: Cast) -> dict[str, Any]:
    """Jordan, who goes by "Jordan", living in a new house with a manager, invited from
    their page (the real way an account is linked to a resident)."""
    house = await make_house(unique("Name House"))
    manager = await make_user(User.Role.manager, [house], name="Morgan Maple")
    ids = await make_resident_in(house, manager.id, preferred_name="Jordan")
    email = f"{unique('jordan')}@house.test"
    await Resident.update({Resident.legal_name: LEGAL, Resident.email: email}).where(
        Resident.id == ids["resident"]
    )
    invitation = await residents.invite_resident(
        actor_id=manager.id, resident_id=ids["resident"], base_url="http://x", now=clock.now()
    )
    me = Person(id=invitation.user_id, email=email, name="Jordan", role="resident")
    await User.update({User.password_hash: await _hash_of(manager.id)}).where(User.id == me.id)
    return {"house": house, "manager": manager, "me": me, **ids}


async def _hash_of(user_id: int) -> str:
    row = await User.select(User.password_hash).where(User.id == user_id).first()
    return str((row or {})["password_hash"])


async def _pages(client: Client, cast: Cast, who: dict[str, Any]) -> dict[str, str]:
    """Pages of each role that name the resident: their own home, the manager's board,
    residents list and chores of the day, the admin's People and the resident's page."""
    house, resident = who["house"], who["resident"]
    pages = {}
    for person, urls in (
        (who["me"], ["/"]),
        (who["manager"], [f"/houses/{house}/board", "/residents", f"/residents/{resident}"]),
        (cast.admin, ["/admin/users", f"/admin/users/{who['me'].id}"]),
    ):
        await client.force_login(person)
        for url in urls:
            response = await client.get(url)
            assert response.status_code == 200, url
            pages[f"{person.role} {url}"] = _shown(response.text)
            pages[f"{person.role} {url} html"] = response.text
    return pages


async def _rename_account(cast: Cast, person: Person, name: str, house: int) -> None:
    """The admin saves the account on People with a new name (role and house unchanged)."""
    account = await User.select(User.version).where(User.id == person.id).first()
    await accounts.update_user(
        actor_id=cast.admin.id,
        user_id=person.id,
        name=name,
        role=person.role,
        house_ids=[house],
        version=(account or {})["version"],
        now=clock.now(),
    )


async def test_every_role_names_the_resident_alike(client: Client, cast: Cast) -> None:
    who = await _jordan(cast)
    pages = await _pages(client, cast, who)
    for where, text in pages.items():
        assert re.search(r"\bJordan\b", text), where
        if not where.startswith(f"manager /residents/{who['resident']}"):
            assert LEGAL not in text, where  # the legal name only on their details
    assert "Hello, Jordan" in pages["resident /"]
    assert '<span class="who">Jordan</span>' in pages["resident / html"]  # the top bar
    assert '<span class="row-title">Jordan<' in pages["admin /admin/users html"]
    [invite] = await OutboxEmail.select(OutboxEmail.body).where(
        OutboxEmail.to_address == who["me"].email
    )
    assert invite["body"].startswith("Hello Jordan,")


async def test_a_new_goes_by_name_reaches_the_top_bar_and_people(
    client: Client, cast: Cast
) -> None:
    who = await _jordan(cast)
    person = await residents.person(who["resident"])
    assert person is not None
    values = {f: person[f] for f in ("legal_name", "date_of_birth", "phone", "email")}
    values |= {"preferred_name": "Jo", "sobriety_date": None, "referral_source": "", "notes": ""}
    await residents.update_details(
        actor_id=who["manager"].id,
        resident_id=who["resident"],
        values=values,
        version=person["version"],
        why="goes by Jo now",
        now=clock.now(),
    )
    for where, text in (await _pages(client, cast, who)).items():
        assert re.search(r"\bJo\b", text), where
        # Their page keeps the correction; People lists everyone (other tests' Jordans).
        if "/residents/" not in where and where.split()[1] != "/admin/users":
            assert not re.search(r"\bJordan\b", text), where


async def test_renaming_a_residents_account_renames_what_they_go_by(
    client: Client, cast: Cast
) -> None:
    who = await _jordan(cast)
    await _rename_account(cast, who["me"], "Jordy", who["house"])
    row = await Resident.select(Resident.preferred_name).where(Resident.id == who["resident"])
    assert row == [{"preferred_name": "Jordy"}]
    kept = await Amendment.select(Amendment.old_value, Amendment.new_value, Amendment.actor).where(
        Amendment.table_name == "resident", Amendment.record_id == who["resident"]
    )
    assert kept == [{"old_value": "Jordan", "new_value": "Jordy", "actor": cast.admin.id}]
    for where, text in (await _pages(client, cast, who)).items():
        assert re.search(r"\bJordy\b", text), where
        if "/residents/" not in where and where.split()[1] != "/admin/users":
            assert not re.search(r"\bJordan\b", text), where
    # Renaming a staff account touches no resident.
    await _rename_account(cast, who["manager"], "Morgan M.", who["house"])
    assert await Amendment.count().where(Amendment.record_id == who["resident"]) == 1
