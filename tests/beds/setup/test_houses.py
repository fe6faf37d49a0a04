"""Setting up houses, rooms and beds (admin), and the across-houses overview."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest

from house.beds.tables import Bed, Room
from house.houses.tables import House
from house.lib import clock
from tests.cast import Cast
from tests.client import Client, form_value
from tests.factories import make_bed, make_house, make_room, make_stay, unique

VALID = {
    "name": "Elm House",
    "address": "5 Elm Street",
    "kind": "women",
    "narr_level": "3",
    "timezone": "America/Denver",
    "curfew": "22:30",
    "phone": "555-0100",
    "notes": "",
    "consequence_ladder": "Warning\nExtra chore\nLoss of pass",
    "chore_rotation_day": "7",
    "chore_rotation_hour": "18",
    "meeting_day": "1",
    "meeting_time": "19:30",
    "outside_meetings_required": "4",
    "alert_random_cutoff": "21:00",
    "alert_chores_missed": "3",
    "alert_meetings_weekday": "4",
    "alert_bed_free_days": "5",
    "alert_escalate_minutes": "30",
}


async def test_it_creates_a_house_then_its_rooms_and_beds(client: Client, cast: Cast) -> None:
    await client.force_login(cast.admin)
    name = unique("Elm")
    created = await client.post("/houses", {**VALID, "name": name})
    assert created.status_code == 303
    house = await House.select().where(House.name == name).first()
    assert house is not None
    assert (house["kind"], house["narr_level"], house["curfew"]) == ("women", 3, "22:30")
    assert house["consequence_ladder"] == "Warning\nExtra chore\nLoss of pass"
    assert (house["meeting_day"], house["meeting_time"]) == (1, "19:30")
    assert (house["chore_rotation_day"], house["chore_rotation_hour"]) == (7, 18)
    assert house["outside_meetings_required"] == 4
    assert house["require_signed_rules"] is False
    assert (house["alert_random_cutoff"], house["alert_escalate_minutes"]) == ("21:00", 30)
    assert created.headers["location"] == f"/houses/{house['id']}/edit"

    room = await client.post(f"/houses/{house['id']}/rooms", _once(label="Upstairs 1"))
    assert room.status_code == 303
    room_id = (await Room.select(Room.id).where(Room.house == house["id"]).first() or {})["id"]
    for label in ("A", "B"):
        added = await client.post(f"/rooms/{room_id}/beds", _once(label=label))
        assert added.status_code == 303
    again = await client.post(f"/rooms/{room_id}/beds", _once(label="A"))
    assert again.status_code == 422
    assert "This room already has a bed called A. Nothing was added." in again.text
    assert await Bed.count().where(Bed.room == room_id) == 2
    board = await client.get(f"/houses/{house['id']}/board")
    assert "<strong>2</strong> of 2 beds free" in board.text


def _once(**fields: str) -> dict[str, str]:
    """A form as the page sends it, with its one-time token."""
    return {"form_token": uuid.uuid4().hex, **fields}


HOSTILE = [
    ({"name": ""}, "name", "Enter a name."),
    ({"name": "x" * 10_001}, "name", "Use at most 120 characters"),
    ({"kind": "martians"}, "kind", "Choose who the house is for."),
    ({"narr_level": "5"}, "narr_level", "Choose a NARR level."),
    ({"narr_level": "NaN"}, "narr_level", "Choose a NARR level."),
    ({"timezone": "Mars/Olympus"}, "timezone", "Choose a timezone from the list."),
    ({"curfew": "25:00"}, "curfew", "Enter a time like 22:00"),
    ({"curfew": "10pm"}, "curfew", "Enter a time like 22:00"),
    ({"address": "a" * 301}, "address", "Use at most 300 characters"),
    ({"consequence_ladder": " \n \n"}, "consequence_ladder", "Write at least one consequence"),
    ({"consequence_ladder": "\n".join("x" * 81 for _ in range(2))}, "consequence_ladder", "80"),
    ({"consequence_ladder": "\n".join(str(i) for i in range(13))}, "consequence_ladder", "12"),
    ({"consequence_ladder": "Warning\nwarning"}, "consequence_ladder", "listed twice"),
    ({"consequence_ladder": "<script>x</script>"}, "consequence_ladder", "no &lt; or &gt;"),
    ({"chore_rotation_day": "8"}, "chore_rotation_day", "Choose a day of the week."),
    ({"chore_rotation_hour": "24"}, "chore_rotation_hour", "Choose an hour"),
    ({"meeting_day": "Sunday"}, "meeting_day", "Choose a day of the week."),
    ({"meeting_time": "7pm"}, "meeting_time", "Enter a time like 19:00."),
    ({"meeting_time": ""}, "meeting_time", "Enter the meeting time."),
    ({"outside_meetings_required": "-1"}, "outside_meetings_required", "from 0 to 14"),
    ({"outside_meetings_required": "15"}, "outside_meetings_required", "from 0 to 14"),
    ({"alert_random_cutoff": "8pm"}, "alert_random_cutoff", "Enter a time like 20:00."),
    ({"alert_chores_missed": "22"}, "alert_chores_missed", "Enter 0 (off) to 21."),
    ({"alert_meetings_weekday": "0"}, "alert_meetings_weekday", "Choose a day of the week."),
    ({"alert_bed_free_days": "x"}, "alert_bed_free_days", "Enter 0 (off) to 90."),
    ({"alert_escalate_minutes": "1"}, "alert_escalate_minutes", "Enter 5 to 1440 minutes."),
]


@pytest.mark.parametrize(("fields", "field", "message"), HOSTILE, ids=lambda v: str(v)[:25])
async def test_it_answers_bad_house_input_by_the_field_and_stores_nothing(
    client: Client, cast: Cast, fields: dict[str, str], field: str, message: str
) -> None:
    await client.force_login(cast.admin)
    name = unique("Bad")
    before = await House.count()
    response = await client.post("/houses", {**VALID, "name": name, **fields})
    assert response.status_code == 422
    assert f'id="f-{field}-error"' in response.text
    assert message in response.text
    assert await House.count() == before
    if "name" not in fields:
        assert f'value="{name}"' in response.text


async def test_it_escapes_markup_in_a_house_name_and_refuses_a_double_submit(
    client: Client, cast: Cast
) -> None:
    await client.force_login(cast.admin)
    name = unique("<b>Oak</b>")
    first = await client.post("/houses", {**VALID, "name": name})
    second = await client.post("/houses", {**VALID, "name": name})
    assert first.status_code == 303
    assert second.status_code == 422
    assert "There is already a house with this name." in second.text
    listing = await client.get("/houses")
    assert "&lt;b&gt;Oak&lt;/b&gt;" in listing.text
    assert await House.count().where(House.name == name) == 1


async def test_it_refuses_a_stale_house_edit(client: Client, cast: Cast, app: Any) -> None:
    house = await make_house()
    await client.force_login(cast.admin)
    page = await client.get(f"/houses/{house}/edit")
    version = form_value(page.text, "version") or ""
    async with Client(app) as other:
        await other.force_login(cast.admin)
        assert (
            await other.post(
                f"/houses/{house}", {**VALID, "name": unique("First"), "version": version}
            )
        ).status_code == 303
    stale = await client.post(
        f"/houses/{house}", {**VALID, "name": unique("Second"), "version": version}
    )
    assert stale.status_code == 422
    assert "changed this house today at" in stale.text
    assert cast.admin.name in stale.text


async def test_it_sums_beds_across_houses_and_shows_how_long_beds_are_free(
    client: Client, cast: Cast, frozen_clock: object
) -> None:
    house = await make_house(unique("Overview"))
    await House.update({House.kind: House.Kind.men}).where(House.id == house)
    room = await make_room(house)
    free = await make_bed(room, "Free1")
    taken = await make_bed(room, "Taken")
    broken = await make_bed(room, "Broken")
    await Bed.update({Bed.state: Bed.State.out_of_service}).where(Bed.id == broken)
    stay = await make_stay(house, cast.admin.id)
    from house.beds.placements import services as placements

    today = clock.now().date()
    await placements.admit(
        actor_id=cast.admin.id,
        stay_id=stay,
        bed_id=taken,
        on=today,
        today=today,
        now=clock.now(),
    )
    await make_stay(house, cast.admin.id)
    clock.advance(dt.timedelta(days=4, hours=1))
    await client.force_login(cast.admin)
    page = (await client.get("/houses?kind=men")).text
    row = page[page.index(f'id="house-{house}"') :]
    row = row[: row.index("</li>")]
    assert "1 free of 2" in row
    assert "1 occupied" in row
    assert "1 out of service" in row
    assert "1 waiting" in row
    assert "Free1 (4 days)" in row
    women_only = (await client.get("/houses?kind=women")).text
    assert f'id="house-{house}"' not in women_only
    assert free


async def test_it_shows_a_manager_only_their_houses(client: Client, cast: Cast) -> None:
    await client.force_login(cast.manager_a)
    page = (await client.get("/houses")).text
    assert f'id="house-{cast.house_a}"' in page
    assert f'id="house-{cast.house_b}"' not in page


async def test_it_sums_houses_with_the_same_queries_however_many(
    client: Client, cast: Cast, queries: Any
) -> None:
    await client.force_login(cast.admin)
    await client.get("/houses")
    with queries() as few:
        await client.get("/houses")
    for _ in range(10):
        room = await make_room(await make_house())
        for _ in range(5):
            await make_bed(room)
    with queries() as many:
        await client.get("/houses")
    assert few.count == many.count


@pytest.mark.parametrize(
    ("label", "message"),
    [("", "Enter a room label."), ("r" * 41, "Use at most 40 characters")],
)
async def test_it_answers_a_bad_room_label(
    client: Client, cast: Cast, label: str, message: str
) -> None:
    house = await make_house()
    await client.force_login(cast.admin)
    response = await client.post(f"/houses/{house}/rooms", _once(label=label))
    assert response.status_code == 422
    assert message in response.text
    assert await Room.count().where(Room.house == house) == 0


async def test_it_escapes_a_scripted_bed_label(client: Client, cast: Cast) -> None:
    room = await make_room(await make_house())
    await client.force_login(cast.admin)
    label = "<img src=x onerror=alert(1)>"[:40]
    assert (await client.post(f"/rooms/{room}/beds", _once(label=label))).status_code == 303
    house = (await Room.select(Room.house).where(Room.id == room).first() or {})["house"]
    board = await client.get(f"/houses/{house}/board")
    assert "<img src=x" not in board.text
    assert "&lt;img src=x onerror=alert(1)&gt;" in board.text
