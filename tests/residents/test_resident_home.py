"""A resident's home page shows their own house, room and bed, and nothing of anyone else."""

from __future__ import annotations

from house.accounts.tables import User
from house.lib import clock
from house.residents import services
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
        await services.admit(
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
