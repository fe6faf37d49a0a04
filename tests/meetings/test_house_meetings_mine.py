"""A resident sees their own house-meeting attendance, never anyone else's."""

from __future__ import annotations

import datetime as dt

from house.lib import clock
from house.meetings import roll
from house.meetings.tables import Attendance, HouseMeeting
from tests.cast import Cast
from tests.client import Client
from tests.factories import make_house, make_house_meeting, make_resident_in, make_user


async def test_it_shows_a_resident_only_their_own_attendance(
    client: Client, cast: Cast, app: object
) -> None:
    house = await make_house()
    manager = await make_user("manager", [house])
    me = await make_user("resident", [house], name="Me Myself")
    them = await make_user("resident", [house], name="Them Other")
    month_ago = clock.now().date() - dt.timedelta(days=30)
    mine = await make_resident_in(
        house, manager.id, user_id=me.id, preferred_name="Mememe", admitted_on=month_ago
    )
    theirs = await make_resident_in(
        house, manager.id, user_id=them.id, preferred_name="Themthem", admitted_on=month_ago
    )
    meeting = await make_house_meeting(house, title="Curfew talk")
    await roll.take_roll(
        actor_id=manager.id,
        meeting_id=meeting,
        statuses={mine["resident"]: "late", theirs["resident"]: "absent"},
        reasons={},
        minutes="Private minutes about Themthem.",
        version=1,
        now=clock.now(),
    )
    await client.force_login(me)
    page = await client.get("/meetings/house")
    assert page.status_code == 200
    assert "Curfew talk" in page.text
    assert 'class="status status-late">late<' in page.text
    assert "status-absent" not in page.text
    assert "Themthem" not in page.text
    assert "Private minutes" not in page.text
    assert 'id="next-meeting"' in page.text
    home = await client.get("/")
    assert 'href="/meetings/house"' in home.text
    # The meeting itself, its roll call and another house's pages are staff only.
    assert (await client.get(f"/meetings/{meeting}")).status_code == 403
    assert (await client.get(f"/meetings/{meeting}/roll")).status_code == 403
    assert (await client.get(f"/houses/{house}/meetings")).status_code == 403
    posted = await client.post(
        f"/meetings/{meeting}/roll",
        {"version": "2", f"status-{mine['resident']}": "present"},
    )
    assert posted.status_code == 403
    row = await Attendance.select(Attendance.status).where(
        Attendance.meeting == meeting, Attendance.resident == mine["resident"]
    )
    assert row[0]["status"] == "late"
    async with Client(app) as other:
        await other.force_login(them)
        theirs_page = await other.get("/meetings/house")
        assert 'class="status status-absent">absent<' in theirs_page.text
        assert "status-late" not in theirs_page.text


async def test_it_loads_demo_meetings_with_roll_calls_and_the_next_one_open(
    cast: Cast, demo: dict[str, int]
) -> None:
    from house.houses.tables import House

    houses = await House.select(House.id).where(House.name.is_in(["Maple House", "Cedar House"]))
    assert len(houses) == 2
    for house in houses:
        meetings = (
            await HouseMeeting.select()
            .where(HouseMeeting.house == house["id"])
            .order_by(HouseMeeting.starts_at)
        )
        taken = [m for m in meetings if m["roll_taken_at"] is not None]
        assert len(taken) == 3
        assert all(m["minutes"] for m in taken)
        assert all(m["starts_at"] < clock.now() for m in taken)
        assert [m["roll_taken_at"] for m in meetings[3:]] == [None]
        assert meetings[3]["starts_at"] > clock.now()
        statuses = {
            r["status"]
            for r in await Attendance.select(Attendance.status).where(
                Attendance.meeting.is_in([m["id"] for m in taken])
            )
        }
        assert {"present", "late", "excused", "absent"} <= statuses
