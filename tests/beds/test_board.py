"""The bed board over HTTP: admitting and moving from a bed, with and without htmx."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import pytest

from house.beds.placements import services as placements
from house.beds.tables import Bed, BedAssignment
from house.houses.tables import House
from house.lib import clock
from house.residents.tables import Stay
from tests.cast import Cast
from tests.client import Client
from tests.factories import (
    make_bed,
    make_house,
    make_resident_in,
    make_room,
    make_stay,
    make_user,
    unique,
)

HTMX = {"hx-request": "true"}


async def _bed_with_waitlist(cast: Cast, waiting: int = 1) -> tuple[int, list[int]]:
    bed = await make_bed(await make_room(cast.house_a))
    stays = [await make_stay(cast.house_a, cast.manager_a.id) for _ in range(waiting)]
    return bed, stays


async def _occupant(bed: int) -> int | None:
    row = (
        await BedAssignment.select(BedAssignment.stay)
        .where(BedAssignment.bed == bed, BedAssignment.end_on.is_null())
        .first()
    )
    return row["stay"] if row else None


async def test_it_shows_rooms_beds_vacancy_and_the_waitlist_in_priority_order(
    client: Client, cast: Cast
) -> None:
    house = await make_house()
    manager = await make_user("manager", [house])
    room = await make_room(house, "Room 1")
    beds = [await make_bed(room, f"Bed {c}") for c in "ABC"]
    await Bed.update(
        {Bed.state: Bed.State.out_of_service, Bed.out_of_service_reason: "mould"}
    ).where(Bed.id == beds[2])
    low = await make_stay(house, manager.id, "Lowpri")
    high = await make_stay(house, manager.id, "Highpri")
    await Stay.update({Stay.priority: 1}).where(Stay.id == high)
    await Stay.update({Stay.priority: 5}).where(Stay.id == low)
    await client.force_login(manager)
    page = (await client.get(f"/houses/{house}/board")).text
    assert "<strong>2</strong> of 2 beds free" in page
    assert page.index("Highpri") < page.index("Lowpri")
    assert "Out of service" in page
    assert f'id="bed-{beds[0]}"' in page


async def test_it_admits_from_a_free_bed_without_script(client: Client, cast: Cast) -> None:
    bed, (stay,) = await _bed_with_waitlist(cast)
    await client.force_login(cast.manager_a)
    choices = await client.get(f"/beds/{bed}")
    assert choices.status_code == 200
    assert "Admit " in choices.text
    response = await client.post(f"/beds/{bed}/admit", {"stay": str(stay)})
    assert response.status_code == 303
    assert response.headers["location"] == f"/houses/{cast.house_a}/board"
    assert await _occupant(bed) == stay
    board = await client.get(response.headers["location"])
    assert "Saved." in board.text


async def test_it_admits_in_two_taps_with_htmx_and_swaps_the_board(
    client: Client, cast: Cast
) -> None:
    bed, (stay,) = await _bed_with_waitlist(cast)
    name = (
        await Stay.select(Stay.resident.preferred_name.as_alias("n")).where(Stay.id == stay).first()
    )["n"]  # type: ignore[index]
    await client.force_login(cast.manager_a)
    panel = await client.get(f"/beds/{bed}", headers=HTMX)  # tap 1: the bed
    assert panel.status_code == 200
    assert "<html" not in panel.text  # the partial, not the page
    assert f"Admit {name}" in panel.text
    done = await client.post(f"/beds/{bed}/admit", {"stay": str(stay)}, headers=HTMX)  # tap 2
    assert done.status_code == 200
    assert done.headers["hx-retarget"] == "#board"
    assert f'id="bed-{bed}" class="bed bed-occupied"' in done.text
    assert name in done.text
    assert await _occupant(bed) == stay


async def test_it_tells_the_slower_of_two_managers_who_took_the_bed(app: Any, cast: Cast) -> None:
    bed, stays = await _bed_with_waitlist(cast, waiting=2)
    other_manager = await make_user("manager", [cast.house_a])
    async with Client(app) as one, Client(app) as two:
        await one.force_login(cast.manager_a)
        await two.force_login(other_manager)
        first, second = await asyncio.gather(
            one.post(f"/beds/{bed}/admit", {"stay": str(stays[0])}, headers=HTMX),
            two.post(f"/beds/{bed}/admit", {"stay": str(stays[1])}, headers=HTMX),
        )
    statuses = sorted([first.status_code, second.status_code])
    assert statuses == [200, 409]
    loser = first if first.status_code == 409 else second
    assert "This bed was just taken by" in loser.text
    assert loser.headers["hx-retarget"] == "#board"
    assert await BedAssignment.count().where(BedAssignment.bed == bed) == 1


async def test_it_moves_a_resident_and_frees_the_old_bed(client: Client, cast: Cast) -> None:
    room = await make_room(cast.house_a)
    old, new = await make_bed(room), await make_bed(room)
    stay = await make_stay(cast.house_a, cast.manager_a.id)
    await client.force_login(cast.manager_a)
    assert (await client.post(f"/beds/{old}/admit", {"stay": str(stay)})).status_code == 303
    moved = await client.post(f"/beds/{new}/move", {"stay": str(stay)})
    assert moved.status_code == 303
    assert await _occupant(old) is None
    assert await _occupant(new) == stay


async def test_it_answers_another_houses_stay_in_a_hidden_field_with_404(
    client: Client, cast: Cast
) -> None:
    bed, _ = await _bed_with_waitlist(cast)
    foreign = await make_stay(cast.house_b, cast.manager_b.id)
    await client.force_login(cast.manager_a)
    response = await client.post(f"/beds/{bed}/admit", {"stay": str(foreign)})
    assert response.status_code == 404
    assert await _occupant(bed) is None


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"stay": ""}, "Choose a person from the list."),
        ({"stay": "abc"}, "Choose a person from the list."),
        ({"stay": "1" * 40}, "Choose a person from the list."),
        ({"on": "2026-02-30"}, "Enter a date like"),
        ({"on": "1900-01-01"}, "at most a year back"),
        ({"on": "0999-01-01"}, "Enter a date like"),
        ({"on": "9999-12-31"}, "at most 90 days ahead"),
        ({"on": "<script>"}, "Enter a date like"),
    ],
)
async def test_it_answers_bad_admission_input_and_stores_nothing(
    client: Client, cast: Cast, fields: dict[str, str], message: str
) -> None:
    bed, (stay,) = await _bed_with_waitlist(cast)
    await client.force_login(cast.manager_a)
    response = await client.post(f"/beds/{bed}/admit", {"stay": str(stay), **fields})
    assert response.status_code == 422
    assert message in response.text
    assert "<script>" not in response.text
    assert await _occupant(bed) is None


async def test_it_shows_the_board_with_the_same_queries_for_5_or_200_beds(
    client: Client, cast: Cast, queries: Any
) -> None:
    admin = cast.admin
    counts = []
    for size in (5, 200):
        house = await make_house(unique("Sized"))
        room = await make_room(house)
        for i in range(size):
            bed = await make_bed(room, f"B{i:03d}")
            if i % 2 == 0:
                stay = await make_stay(house, admin.id)
                await _admit_direct(stay, bed, admin.id)
        for _ in range(size // 5):
            await make_stay(house, admin.id)
        await client.force_login(admin)
        with queries() as counted:
            response = await client.get(f"/houses/{house}/board")
        assert response.status_code == 200
        counts.append(counted.count)
    assert counts[0] == counts[1]
    assert counts[0] <= 8
    assert await House.exists().where(House.id == house)


async def _admit_direct(stay: int, bed: int, actor: int) -> None:
    today = clock.now().date()
    await placements.admit(
        actor_id=actor, stay_id=stay, bed_id=bed, on=today, today=today, now=clock.now()
    )


async def test_it_admits_on_another_date_from_the_beds_page(client: Client, cast: Cast) -> None:
    bed, (stay,) = await _bed_with_waitlist(cast)
    await client.force_login(cast.manager_a)
    page = await client.get(f"/beds/{bed}")
    assert 'type="date"' in page.text
    when = clock.now().date() - dt.timedelta(days=3)
    response = await client.post(f"/beds/{bed}/admit", {"stay": str(stay), "on": when.isoformat()})
    assert response.status_code == 303
    row = await Stay.select(Stay.admitted_on).where(Stay.id == stay).first()
    assert row == {"admitted_on": when}


async def test_it_links_an_occupied_bed_and_every_name_in_its_history_to_the_person(
    client: Client, cast: Cast
) -> None:
    first = await make_resident_in(cast.house_a, cast.manager_a.id, preferred_name="Quinn")
    bed = first["bed"]
    today = clock.now().date()
    await placements.exit_stay(
        actor_id=cast.manager_a.id,
        stay_id=first["stay"],
        on=today,
        reason="graduated",
        note="",
        today=today,
        now=clock.now(),
    )
    stay = await make_stay(cast.house_a, cast.manager_a.id, "Avery")
    await placements.admit(
        actor_id=cast.manager_a.id, stay_id=stay, bed_id=bed, on=today, today=today, now=clock.now()
    )
    avery = (await Stay.select(Stay.resident).where(Stay.id == stay).first())["resident"]  # type: ignore[index]
    await client.force_login(cast.manager_a)
    board = (await client.get(f"/houses/{cast.house_a}/board")).text
    cell = board.split(f'id="bed-{bed}"', 1)[1].split("</li>", 1)[0]
    assert f'<a href="/residents/{avery}">' in cell
    assert "Avery" in cell
    page = (await client.get(f"/beds/{bed}")).text
    history = page.split("Who slept here", 1)[1]
    assert f'href="/residents/{avery}">Avery</a>' in history
    assert f'href="/residents/{first["resident"]}">Quinn</a>' in history
    person = (await client.get(f"/residents/{avery}")).text
    assert f'href="/beds/{bed}"' in person  # and the person's beds lead back
