"""When a roll call can be taken: any time on the meeting's day in the house's timezone,
and for any past meeting; never for a day still ahead (a frozen clock, Chicago time)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from house.lib import clock
from house.meetings.tables import Attendance
from tests.client import Client
from tests.factories import make_house, make_house_meeting, make_resident_in, make_user

CHICAGO = "America/Chicago"
# Thursday 2026-03-12 at 00:30 in Chicago (CDT, UTC-5) is 05:30 UTC.
JUST_AFTER_MIDNIGHT = dt.datetime(2026, 3, 12, 5, 30, tzinfo=dt.UTC)
# Thursday 2026-03-12 at 21:00 in Chicago is Friday 02:00 UTC.
THURSDAY_EVENING = dt.datetime(2026, 3, 13, 2, 0, tzinfo=dt.UTC)
# Wednesday 23:59:59 and Thursday 00:00 in Chicago: the day boundary (the UTC date is
# already Thursday at both).
LAST_SECOND_BEFORE = dt.datetime(2026, 3, 12, 4, 59, 59, tzinfo=dt.UTC)
MIDNIGHT = dt.datetime(2026, 3, 12, 5, 0, tzinfo=dt.UTC)


async def _house_with_meeting(starts_at: dt.datetime) -> dict[str, Any]:
    house = await make_house(timezone=CHICAGO)
    manager = await make_user("manager", [house])
    person = await make_resident_in(house, manager.id, admitted_on=dt.date(2026, 2, 1))
    meeting = await make_house_meeting(house, starts_at=starts_at)
    return {"house": house, "manager": manager, "resident": person["resident"], "id": meeting}


async def _signed_in_at(client: Client, now: dt.datetime, starts_at: dt.datetime) -> dict[str, Any]:
    """The clock frozen at `now`, a house with a meeting at `starts_at`, its manager in."""
    clock.freeze(now)
    setup = await _house_with_meeting(starts_at)
    await client.force_login(setup["manager"])
    return setup


async def _take(client: Client, setup: dict[str, Any]) -> Any:
    return await client.post(
        f"/meetings/{setup['id']}/roll",
        {f"status-{setup['resident']}": "present", "minutes": "", "version": "1"},
    )


async def _assert_open(client: Client, setup: dict[str, Any]) -> None:
    listing = await client.get(f"/houses/{setup['house']}/meetings")
    assert f'href="/meetings/{setup["id"]}/roll"' in listing.text
    roll = await client.get(f"/meetings/{setup['id']}/roll")
    assert 'id="roll-call"' in roll.text
    assert (await _take(client, setup)).status_code == 303
    assert await Attendance.count().where(Attendance.meeting == setup["id"]) == 1


async def _assert_closed(client: Client, setup: dict[str, Any], day: str) -> None:
    listing = await client.get(f"/houses/{setup['house']}/meetings")
    assert f'href="/meetings/{setup["id"]}/roll"' not in listing.text
    assert f"Roll call opens on the day ({day})." in listing.text
    detail = await client.get(f"/meetings/{setup['id']}")
    assert "Take roll call" not in detail.text
    assert f"Roll call opens on the day of the meeting ({day})." in detail.text
    roll = await client.get(f"/meetings/{setup['id']}/roll")
    assert 'id="roll-call"' not in roll.text
    saved = await _take(client, setup)
    assert saved.status_code == 422
    refused = f"The roll call opens on the day of the meeting ({day}): nothing was saved."
    assert refused in saved.text
    assert await Attendance.count().where(Attendance.meeting == setup["id"]) == 0


@pytest.mark.parametrize(
    ("now", "starts_at"),
    [
        # An evening meeting at 19:00, and it is only half past midnight that day.
        (JUST_AFTER_MIDNIGHT, dt.datetime(2026, 3, 13, 0, 0, tzinfo=dt.UTC)),
        # A meeting ten days ago.
        (THURSDAY_EVENING, dt.datetime(2026, 3, 2, 0, 0, tzinfo=dt.UTC)),
    ],
    ids=["earlier-that-day", "days-ago"],
)
async def test_it_opens_the_roll_call_on_the_day_and_after(
    client: Client, frozen_clock: Any, now: dt.datetime, starts_at: dt.datetime
) -> None:
    await _assert_open(client, await _signed_in_at(client, now, starts_at))


async def test_it_keeps_the_roll_call_of_a_later_day_closed(
    client: Client, frozen_clock: Any
) -> None:
    # Thursday evening; the meeting is at 00:30 on Friday, three and a half hours away.
    friday = dt.datetime(2026, 3, 13, 5, 30, tzinfo=dt.UTC)
    setup = await _signed_in_at(client, THURSDAY_EVENING, friday)
    await _assert_closed(client, setup, "Fri 13 Mar")


async def test_it_opens_the_roll_call_at_midnight_house_time_not_utc(
    client: Client, frozen_clock: Any
) -> None:
    # A meeting at 08:00 on Thursday in Chicago (13:00 UTC). At 23:59:59 on Wednesday in
    # Chicago (already Thursday in UTC) it is still closed; a second later it is open.
    thursday = dt.datetime(2026, 3, 12, 13, 0, tzinfo=dt.UTC)
    setup = await _signed_in_at(client, LAST_SECOND_BEFORE, thursday)
    await _assert_closed(client, setup, "Thu 12 Mar")
    clock.freeze(MIDNIGHT)
    await _assert_open(client, setup)
