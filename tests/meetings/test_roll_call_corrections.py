"""Re-saving a taken roll call is a correction: a reason per changed row, Amendment rows,
attendance never deleted."""

from __future__ import annotations

import datetime as dt

from house.amendments.tables import Amendment
from house.lib import clock
from house.meetings.tables import Attendance, HouseMeeting
from tests.cast import Cast
from tests.client import Client
from tests.factories import make_house, make_house_meeting, make_resident_in, make_user


async def test_it_needs_a_reason_for_each_changed_row_and_keeps_the_old_value(
    client: Client, cast: Cast
) -> None:
    house = await make_house()
    manager = await make_user("manager", [house])
    month_ago = clock.now().date() - dt.timedelta(days=30)
    ann = (await make_resident_in(house, manager.id, preferred_name="Ann", admitted_on=month_ago))[
        "resident"
    ]
    bob = (await make_resident_in(house, manager.id, preferred_name="Bob", admitted_on=month_ago))[
        "resident"
    ]
    meeting = await make_house_meeting(house)
    url = f"/meetings/{meeting}/roll"
    await client.force_login(manager)
    first = await client.post(
        url, {"version": "1", f"status-{ann}": "absent", f"status-{bob}": "present"}
    )
    assert first.status_code == 303
    page = await client.get(url)
    assert "a change is a correction and needs a reason" in page.text
    assert f'name="status-{ann}" value="absent" checked' in page.text
    assert "Save corrections" in page.text

    no_reason = await client.post(
        url,
        {"version": "2", f"status-{ann}": "excused", f"status-{bob}": "present", "minutes": "x"},
    )
    assert no_reason.status_code == 422
    assert f'id="f-reason-{ann}-error"' in no_reason.text
    assert "Say why you are changing Ann from absent to excused." in no_reason.text
    assert f'name="status-{ann}" value="excused" checked' in no_reason.text
    row = await Attendance.select().where(Attendance.meeting == meeting, Attendance.resident == ann)
    assert row[0]["status"] == "absent"

    corrected = await client.post(
        url,
        {
            "version": "2",
            f"status-{ann}": "excused",
            f"reason-{ann}": "She was at work; her manager's note came in <late>.",
            f"status-{bob}": "present",
            "minutes": "Notes added later.",
        },
    )
    assert corrected.status_code == 303
    rows = await Attendance.select().where(Attendance.meeting == meeting)
    assert sorted((r["resident"], r["status"]) for r in rows) == sorted(
        [(ann, "excused"), (bob, "present")]
    )
    amendments = await Amendment.select().where(
        (Amendment.table_name == "attendance") & (Amendment.record_id == row[0]["id"])
    )
    assert [(a["old_value"], a["new_value"], a["actor"]) for a in amendments] == [
        ("absent", "excused", manager.id)
    ]
    assert amendments[0]["reason"] == "She was at work; her manager's note came in <late>."
    minutes = await Amendment.select().where(
        (Amendment.table_name == "house_meeting") & (Amendment.record_id == meeting)
    )
    assert [(m["old_value"], m["new_value"]) for m in minutes] == [("", "Notes added later.")]
    stored = await HouseMeeting.select().where(HouseMeeting.id == meeting).first()
    assert stored is not None
    # Who took the roll call stays; the correction is in the amendments.
    assert (stored["roll_taken_by"], stored["version"]) == (manager.id, 3)
    detail = await client.get(f"/meetings/{meeting}")
    assert "Ann: absent → excused" in detail.text
    assert "&lt;late&gt;" in detail.text
    assert "Corrections saved." in detail.text

    # Saving the same again changes nothing and writes no amendment.
    again = await client.post(
        url,
        {
            "version": "3",
            f"status-{ann}": "excused",
            f"status-{bob}": "present",
            "minutes": "Notes added later.",
        },
    )
    assert again.status_code == 303
    assert (
        await Amendment.count().where(
            (Amendment.table_name == "attendance") & (Amendment.record_id == row[0]["id"])
        )
        == 1
    )
    too_long = await client.post(
        url,
        {
            "version": "3",
            f"status-{ann}": "late",
            f"reason-{ann}": "r" * 301,
            f"status-{bob}": "present",
        },
    )
    assert too_long.status_code == 422
    assert "Use at most 300 characters" in too_long.text
    assert await Attendance.count().where(Attendance.meeting == meeting) == 2
