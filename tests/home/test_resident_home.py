"""A resident's home page shows their own house, room and bed, and nothing of anyone else."""

from __future__ import annotations

from house.accounts.tables import User
from house.beds.placements import services as placements
from house.lib import clock
from house.residents.tables import Resident, Stay
from tests.cast import Cast
from tests.client import Client
from tests.factories import make_bed, make_room, make_stay, make_user


async def test_it_shows_a_resident_their_own_bed_and_nobody_elses(
    client: Client, cast: Cast
) -> None:
    room = await make_room(cast.house_a, "Blue Room")
    mine, theirs = await make_bed(room, "Window bed"), await make_bed(room, "Door bed")
    me = await make_user(User.Role.resident, [cast.house_a], name="Rowan Resident")
    today = clock.now().date()
    stay = await make_stay(cast.house_a, cast.manager_a.id, "Rowan")
    other = await make_stay(cast.house_a, cast.manager_a.id, "Quinn Housemate")
    for s, bed in ((stay, mine), (other, theirs)):
        await placements.admit(
            actor_id=cast.manager_a.id,
            stay_id=s,
            bed_id=bed,
            on=today,
            today=today,
            now=clock.now(),
        )
    resident = (await Stay.select(Stay.resident).where(Stay.id == stay).first() or {})["resident"]
    await Resident.update({Resident.user: me.id}).where(Resident.id == resident)

    await client.force_login(me)
    page = await client.get("/")
    assert page.status_code == 200
    assert "Blue Room · Window bed" in page.text
    assert "Quinn" not in page.text
    assert "Door bed" not in page.text
    for path in ("/residents", f"/houses/{cast.house_a}/board", f"/beds/{theirs}"):
        assert (await client.get(path)).status_code == 403


async def test_it_tells_a_resident_without_a_bed_so(client: Client, cast: Cast) -> None:
    await client.force_login(cast.resident_b)
    page = await client.get("/")
    assert "You do not have a bed in a house yet." in page.text


async def test_it_invites_a_resident_to_an_account_that_shows_their_bed(
    client: Client, cast: Cast, app: object
) -> None:
    import re

    from tests.factories import unique

    bed = await make_bed(await make_room(cast.house_a), "Corner bed")
    stay = await make_stay(cast.house_a, cast.manager_a.id, "Indigo")
    resident = (await Stay.select(Stay.resident).where(Stay.id == stay).first() or {})["resident"]
    today = clock.now().date()
    await placements.admit(
        actor_id=cast.manager_a.id,
        stay_id=stay,
        bed_id=bed,
        on=today,
        today=today,
        now=clock.now(),
    )
    await client.force_login(cast.manager_a)
    no_email = await client.post(f"/residents/{resident}/invite")
    assert no_email.status_code == 303
    assert "Add an email address" in (await client.get(no_email.headers["location"])).text

    email = f"{unique('indigo')}@house.test"
    await Resident.update({Resident.email: email}).where(Resident.id == resident)
    invited = await client.post(f"/residents/{resident}/invite")
    assert invited.status_code == 200
    token = re.search(r"/invite/([A-Za-z0-9_\-]+)</code>", invited.text)
    assert token
    again = await client.post(f"/residents/{resident}/invite")
    assert "already has an account" in (await client.get(again.headers["location"])).text

    async with Client(app) as newcomer:
        done = await newcomer.post(
            f"/invite/{token.group(1)}",
            {"password": "eight chars!", "password_confirm": "eight chars!"},
        )
        assert done.status_code == 303
        home = await newcomer.get("/")
        assert "Corner bed" in home.text
