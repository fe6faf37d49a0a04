"""Scheduling an extra (ad hoc) meeting: title, date and time, within a year, clear messages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from house.lib import clock
from house.meetings.tables import HouseMeeting
from tests.cast import Cast
from tests.client import Client
from tests.factories import make_house, make_user

NOW = dt.datetime(2026, 6, 10, 15, 0, tzinfo=dt.UTC)  # 10:00 in Chicago


async def test_it_schedules_an_extra_meeting_in_house_time(
    client: Client, cast: Cast, frozen_clock: Any
) -> None:
    clock.freeze(NOW)
    house = await make_house(timezone="America/Chicago")
    await client.force_login(await make_user("manager", [house]))
    response = await client.post(
        f"/houses/{house}/meetings",
        {"title": "  Welcome   Marco ", "date": "2026-06-12", "time": "18:15"},
    )
    assert response.status_code == 303
    row = await HouseMeeting.select().where(HouseMeeting.house == house).first()
    assert row is not None
    assert (row["title"], row["kind"], row["starts_at"], row["roll_taken_at"]) == (
        "Welcome Marco",
        "ad_hoc",
        dt.datetime(2026, 6, 12, 23, 15, tzinfo=dt.UTC),
        None,
    )
    assert response.headers["location"] == f"/meetings/{row['id']}"
    page = await client.get(f"/houses/{house}/meetings")
    assert "Welcome Marco" in page.text
    assert "Fri 12 Jun at 18:15" in page.text
    # The same time again: a clear message, not a second row or an error page.
    again = await client.post(
        f"/houses/{house}/meetings", {"title": "Again", "date": "2026-06-12", "time": "18:15"}
    )
    assert again.status_code == 422
    assert "already has a meeting at that time" in again.text
    assert await HouseMeeting.count().where(HouseMeeting.house == house) == 1


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"title": "", "date": "2026-06-12", "time": "18:00"}, "title", "Enter a title."),
        ({"title": "t" * 121, "date": "2026-06-12", "time": "18:00"}, "title", "at most 120"),
        ({"title": "A", "date": "", "time": "18:00"}, "date", "YYYY-MM-DD"),
        ({"title": "A", "date": "2026-02-30", "time": "18:00"}, "date", "YYYY-MM-DD"),
        ({"title": "A", "date": "tomorrow", "time": "18:00"}, "date", "YYYY-MM-DD"),
        ({"title": "A", "date": "2026-06-12", "time": "25:00"}, "time", "HH:MM"),
        ({"title": "A", "date": "2026-06-12", "time": "6pm"}, "time", "HH:MM"),
        ({"title": "A", "date": "2025-06-01", "time": "18:00"}, "date", "within the last year"),
        ({"title": "A", "date": "2027-06-20", "time": "18:00"}, "date", "within the next year"),
        ({"title": "A", "date": "1899-01-01", "time": "18:00"}, "date", "YYYY-MM-DD"),
    ],
)
async def test_it_answers_a_bad_meeting_form_by_the_field_and_stores_nothing(
    client: Client,
    cast: Cast,
    frozen_clock: Any,
    data: dict[str, str],
    field: str,
    message: str,
) -> None:
    clock.freeze(NOW)
    house = await make_house(timezone="America/Chicago")
    await client.force_login(await make_user("manager", [house]))
    response = await client.post(f"/houses/{house}/meetings", data)
    assert response.status_code == 422
    assert f'id="f-{field}-error"' in response.text
    assert message in response.text
    assert f'value="{data[field][:240]}"' in response.text  # what was typed comes back
    assert await HouseMeeting.count().where(HouseMeeting.house == house) == 0


async def test_it_escapes_markup_in_a_title_and_refuses_without_csrf(
    client: Client, cast: Cast, frozen_clock: Any
) -> None:
    clock.freeze(NOW)
    house = await make_house(timezone="America/Chicago")
    await client.force_login(await make_user("manager", [house]))
    data = {"title": "<script>alert(1)</script>", "date": "2026-06-11", "time": "19:00"}
    refused = await client.post(f"/houses/{house}/meetings", data, csrf=False)
    assert refused.status_code == 403
    assert await HouseMeeting.count().where(HouseMeeting.house == house) == 0
    saved = await client.post(f"/houses/{house}/meetings", data)
    page = await client.get(saved.headers["location"])
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "<script>alert(1)</script>" not in page.text


async def test_it_answers_another_houses_meetings_with_404(client: Client, cast: Cast) -> None:
    await client.force_login(cast.manager_b)
    data = {"title": "Sneaky", "date": "2026-06-11", "time": "19:00"}
    assert (await client.post(f"/houses/{cast.house_a}/meetings", data)).status_code == 404
    assert (await client.get(f"/houses/{cast.house_a}/meetings")).status_code == 404
    assert await HouseMeeting.count().where(HouseMeeting.title == "Sneaky") == 0
