"""The one-screen roll call: every resident of the meeting's day, one POST, saved once."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

from house.amendments.tables import Amendment
from house.beds.placements import services as placements
from house.lib import clock
from house.meetings.tables import Attendance, HouseMeeting
from tests.cast import Cast
from tests.client import Client, form_value
from tests.factories import make_house, make_house_meeting, make_resident_in, make_user

STATUSES = ["present", "late", "excused", "absent"]


async def _house_with(names: list[str]) -> dict[str, Any]:
    """A house, its manager, residents living there for a month, and yesterday's meeting."""
    house = await make_house()
    manager = await make_user("manager", [house])
    month_ago = clock.now().date() - dt.timedelta(days=30)
    residents = {}
    for name in names:
        made = await make_resident_in(house, manager.id, preferred_name=name, admitted_on=month_ago)
        residents[name] = made
    meeting = await make_house_meeting(house)
    return {"house": house, "manager": manager, "residents": residents, "meeting": meeting}


def _form(setup: dict[str, Any], marks: dict[str, str], **extra: str) -> dict[str, str]:
    data = {f"status-{setup['residents'][n]['resident']}": s for n, s in marks.items()}
    return {"version": "1", "minutes": "", **data, **extra}


async def test_it_takes_a_roll_call_of_eight_in_one_post(client: Client, cast: Cast) -> None:
    names = ["Hal", "Ana", "Gus", "Bea", "Fay", "Cy", "Eve", "Dot"]
    setup = await _house_with(names)
    await client.force_login(setup["manager"])
    page = await client.get(f"/meetings/{setup['meeting']}/roll")
    assert page.status_code == 200
    # Sorted by preferred name; nothing chosen in advance.
    positions = [page.text.index(f"<legend>{n}</legend>") for n in sorted(names)]
    assert positions == sorted(positions)
    assert "checked" not in page.text
    marks = {n: STATUSES[i % 4] for i, n in enumerate(names)}
    saved = await client.post(
        f"/meetings/{setup['meeting']}/roll",
        _form(setup, marks, minutes="Chores agreed.\n<b>Curfew</b> reminder."),
    )
    assert saved.status_code == 303
    assert saved.headers["location"] == f"/meetings/{setup['meeting']}"
    rows = await Attendance.select(Attendance.resident, Attendance.status).where(
        Attendance.meeting == setup["meeting"]
    )
    by_resident = {r["resident"]: r["status"] for r in rows}
    assert by_resident == {setup["residents"][n]["resident"]: s for n, s in marks.items()}
    meeting = await HouseMeeting.select().where(HouseMeeting.id == setup["meeting"]).first()
    assert meeting is not None
    assert meeting["roll_taken_by"] == setup["manager"].id
    assert meeting["roll_taken_at"] is not None
    assert meeting["minutes"] == "Chores agreed.\n<b>Curfew</b> reminder."
    detail = await client.get(f"/meetings/{setup['meeting']}")
    assert "Roll call saved." in detail.text
    assert "&lt;b&gt;Curfew&lt;/b&gt;" in detail.text
    assert "<b>Curfew</b>" not in detail.text
    assert "<strong>2</strong> present" in detail.text
    listing = await client.get(f"/houses/{setup['house']}/meetings")
    assert "2 present" in listing.text
    assert "2 absent" in listing.text


async def test_it_lists_only_residents_living_there_on_the_meetings_day(
    client: Client, cast: Cast
) -> None:
    setup = await _house_with(["Stayer"])
    house, manager = setup["house"], setup["manager"]
    today = clock.now().date()
    later = await make_resident_in(house, manager.id, preferred_name="Newcomer", admitted_on=today)
    left = await make_resident_in(
        house, manager.id, preferred_name="Leaver", admitted_on=today - dt.timedelta(days=20)
    )
    await placements.exit_stay(
        actor_id=manager.id,
        stay_id=left["stay"],
        on=today - dt.timedelta(days=5),
        reason="completed",
        note="",
        today=today,
        now=clock.now(),
    )
    other_house = await make_house()
    elsewhere = await make_resident_in(
        other_house, manager.id, preferred_name="Elsewhere", admitted_on=today - dt.timedelta(30)
    )
    week_ago = await make_house_meeting(house, starts_at=clock.now() - dt.timedelta(days=7))
    await client.force_login(manager)
    page = await client.get(f"/meetings/{week_ago}/roll")
    assert "<legend>Stayer</legend>" in page.text
    assert "<legend>Leaver</legend>" in page.text  # left after that meeting
    assert "Newcomer" not in page.text
    assert "Elsewhere" not in page.text
    # Today's meeting: the leaver is gone, the newcomer is there.
    today_meeting = await make_house_meeting(house, starts_at=clock.now())
    page = await client.get(f"/meetings/{today_meeting}/roll")
    assert "Leaver" not in page.text
    # Someone not on the roll (exited, another house, made up) is refused; nothing stored.
    for stranger in (left["resident"], elsewhere["resident"], 2_000_000_000):
        response = await client.post(
            f"/meetings/{today_meeting}/roll",
            {
                "version": "1",
                f"status-{setup['residents']['Stayer']['resident']}": "present",
                f"status-{later['resident']}": "present",
                f"status-{stranger}": "present",
            },
        )
        assert response.status_code == 422
        assert "not on this meeting&#39;s roll" in response.text
    assert await Attendance.count().where(Attendance.meeting == today_meeting) == 0


async def test_it_marks_a_missing_row_and_stores_nothing(client: Client, cast: Cast) -> None:
    setup = await _house_with(["Ann", "Bob", "Cat"])
    await client.force_login(setup["manager"])
    response = await client.post(
        f"/meetings/{setup['meeting']}/roll",
        _form(setup, {"Ann": "present", "Cat": "late"}, minutes="Kept notes"),
    )
    assert response.status_code == 422
    bob = setup["residents"]["Bob"]["resident"]
    assert f'id="f-status-{bob}-error"' in response.text
    assert "Choose present, late, excused or absent for Bob." in response.text
    # What was typed comes back.
    ann = setup["residents"]["Ann"]["resident"]
    assert f'name="status-{ann}" value="present" checked' in response.text
    assert "Kept notes" in response.text
    assert await Attendance.count().where(Attendance.meeting == setup["meeting"]) == 0
    meeting = await HouseMeeting.select().where(HouseMeeting.id == setup["meeting"]).first()
    assert meeting is not None
    assert (meeting["roll_taken_at"], meeting["minutes"], meeting["version"]) == (None, "", 1)


async def test_it_answers_hostile_roll_call_forms_and_stores_nothing(
    client: Client, cast: Cast
) -> None:
    setup = await _house_with(["Ann", "Bob"])
    url = f"/meetings/{setup['meeting']}/roll"
    ann = setup["residents"]["Ann"]["resident"]
    bob = setup["residents"]["Bob"]["resident"]
    await client.force_login(setup["manager"])
    cases: list[tuple[dict[str, str], str]] = [
        ({}, "This form is out of date. Reload the page and try again."),
        ({"version": "x", f"status-{ann}": "present", f"status-{bob}": "present"}, "Reload"),
        ({"version": "1", f"status-{ann}": "maybe", f"status-{bob}": "present"}, "Choose present"),
        (
            {"version": "1", f"status-{ann}": "<script>x()</script>", f"status-{bob}": "late"},
            "Choose present",
        ),
        ({"version": "1", "status-abc": "present", f"status-{bob}": "late"}, "not on the roll"),
        ({"version": "1", "status--1": "present", f"status-{bob}": "late"}, "not on the roll"),
        (
            {
                "version": "1",
                f"status-{ann}": "present",
                f"status-{bob}": "late",
                "minutes": "m" * 10_001,
            },
            "Use at most 10000 characters",
        ),
    ]
    for data, message in cases:
        response = await client.post(url, data)
        assert response.status_code == 422, data
        assert message in response.text, data
        assert "<script>x()</script>" not in response.text
    # Without the CSRF token the post is refused before it is read.
    refused = await client.post(
        url, {"version": "1", f"status-{ann}": "present", f"status-{bob}": "late"}, csrf=False
    )
    assert refused.status_code == 403
    assert await Attendance.count().where(Attendance.meeting == setup["meeting"]) == 0


async def test_it_saves_a_double_submit_once(client: Client, cast: Cast) -> None:
    setup = await _house_with(["Ann", "Bob"])
    await client.force_login(setup["manager"])
    data = _form(setup, {"Ann": "present", "Bob": "excused"}, minutes="Short meeting.")
    first = await client.post(f"/meetings/{setup['meeting']}/roll", data)
    second = await client.post(f"/meetings/{setup['meeting']}/roll", data)
    assert first.status_code == second.status_code == 303
    assert second.headers["location"] == first.headers["location"]
    assert await Attendance.count().where(Attendance.meeting == setup["meeting"]) == 2
    assert (
        await Amendment.count().where(
            Amendment.table_name == "attendance",
            Amendment.record_id.is_in(
                Attendance.select(Attendance.id).where(Attendance.meeting == setup["meeting"])
            ),
        )
        == 0
    )
    meeting = await HouseMeeting.select().where(HouseMeeting.id == setup["meeting"]).first()
    assert meeting is not None
    assert meeting["version"] == 2
    # The same old form with something else in it is a stale edit, not an overwrite.
    stale = await client.post(
        f"/meetings/{setup['meeting']}/roll",
        _form(setup, {"Ann": "absent", "Bob": "excused"}, minutes="Short meeting."),
    )
    assert stale.status_code == 422
    assert "Someone else saved this roll call" in stale.text
    assert form_value(stale.text, "version") == "2"
    statuses = await Attendance.select(Attendance.status).where(
        Attendance.meeting == setup["meeting"]
    )
    assert sorted(r["status"] for r in statuses) == ["excused", "present"]


async def test_it_offers_everyone_present_only_when_asked(client: Client, cast: Cast) -> None:
    setup = await _house_with(["Ann", "Bob"])
    await client.force_login(setup["manager"])
    plain = await client.get(f"/meetings/{setup['meeting']}/roll")
    assert 'id="all-present"' in plain.text
    assert "checked" not in plain.text
    chosen = await client.get(f"/meetings/{setup['meeting']}/roll?all=present")
    assert chosen.text.count('value="present" checked') == 2


async def test_it_answers_another_houses_meeting_with_404(client: Client, cast: Cast) -> None:
    setup = await _house_with(["Ann"])
    await client.force_login(cast.manager_b)
    ann = setup["residents"]["Ann"]["resident"]
    assert (await client.get(f"/meetings/{setup['meeting']}/roll")).status_code == 404
    posted = await client.post(
        f"/meetings/{setup['meeting']}/roll", {"version": "1", f"status-{ann}": "present"}
    )
    assert posted.status_code == 404
    assert await Attendance.count().where(Attendance.meeting == setup["meeting"]) == 0


async def test_it_saves_two_identical_posts_at_the_same_moment_once(
    client: Client, cast: Cast, app: Any
) -> None:
    setup = await _house_with(["Ann", "Bob", "Cat"])
    await client.force_login(setup["manager"])
    data = _form(setup, {"Ann": "present", "Bob": "late", "Cat": "absent"}, minutes="Same.")
    async with Client(app) as other:
        await other.force_login(cast.admin)
        both = await asyncio.gather(
            client.post(f"/meetings/{setup['meeting']}/roll", data),
            other.post(f"/meetings/{setup['meeting']}/roll", data),
        )
    assert [r.status_code for r in both] == [303, 303]
    assert await Attendance.count().where(Attendance.meeting == setup["meeting"]) == 3
    meeting = await HouseMeeting.select().where(HouseMeeting.id == setup["meeting"]).first()
    assert meeting is not None
    assert meeting["version"] == 2


async def test_it_refuses_a_roll_call_days_before_the_meeting(client: Client) -> None:
    house = await make_house()
    manager = await make_user("manager", [house])
    month_ago = clock.now().date() - dt.timedelta(days=30)
    person = await make_resident_in(house, manager.id, admitted_on=month_ago)
    sunday = await make_house_meeting(house, starts_at=clock.now() + dt.timedelta(days=4))
    await client.force_login(manager)
    listing = await client.get(f"/houses/{house}/meetings")
    assert f'href="/meetings/{sunday}/roll"' not in listing.text
    assert "Roll call opens on the day (" in listing.text
    roll = await client.get(f"/meetings/{sunday}/roll")
    assert 'id="roll-call"' not in roll.text
    assert 'id="roll-not-open"' in roll.text
    version = "1"
    saved = await client.post(
        f"/meetings/{sunday}/roll",
        {f"status-{person['resident']}": "present", "minutes": "", "version": version},
    )
    assert saved.status_code == 422
    assert "The roll call opens on the day of the meeting (" in saved.text
    assert await Attendance.count().where(Attendance.meeting == sunday) == 0
