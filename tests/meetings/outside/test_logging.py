"""A resident logs an outside meeting: what is stored, what is refused, and who sees it."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import pytest

from house.lib import clock
from house.meetings.tables import OutsideMeeting
from tests.cast import Cast
from tests.client import Client
from tests.factories import make_house, make_outside_meeting
from tests.meetings.outside.kit import (
    CHICAGO,
    image_bytes,
    meeting_form,
    post_meeting,
    resident_in_house,
    stored_files,
)


async def test_it_logs_a_meeting_with_the_chairs_phone_and_shows_it_waiting(
    client: Client, cast: Cast
) -> None:
    person, ids, house, _ = await resident_in_house()
    await client.force_login(person)
    form = await client.get("/meetings/outside/new")
    assert form.status_code == 200
    assert 'enctype="multipart/form-data"' in form.text
    assert 'name="form_token"' in form.text

    response = await post_meeting(client, meeting_form(fellowship="na", format="in_person"))
    assert response.status_code == 303
    row = await OutsideMeeting.select().where(OutsideMeeting.resident == ids["resident"]).first()
    assert row is not None
    assert (row["house"], row["stay"], row["logged_by"]) == (house, ids["stay"], person.id)
    assert (row["fellowship"], row["format"], row["status"]) == ("na", "in_person", "pending")
    assert (row["chair_name"], row["chair_phone"], row["photo"]) == ("Pat C.", "555-201-3344", "")
    typed = meeting_form()
    expected = dt.datetime.fromisoformat(f"{typed['held_on']}T{typed['held_time']}").replace(
        tzinfo=CHICAGO
    )
    assert row["held_at"] == expected
    assert response.headers["location"] == f"/meetings/outside#outside-{row['id']}"

    page = await client.get("/meetings/outside")
    assert f'id="outside-{row["id"]}"' in page.text
    assert "Waiting for staff" in page.text
    assert "0 of 3" in page.text


async def test_it_logs_a_meeting_with_only_a_photo(client: Client, cast: Cast) -> None:
    person, ids, _, _ = await resident_in_house()
    await client.force_login(person)
    before = stored_files()
    response = await post_meeting(
        client,
        meeting_form(chair_name="", chair_phone="", format="online", location=""),
        ("slip.jpg", image_bytes(), "image/jpeg"),
    )
    assert response.status_code == 303
    row = await OutsideMeeting.select().where(OutsideMeeting.resident == ids["resident"]).first()
    assert row is not None
    assert row["photo"] in stored_files() - before
    assert row["photo_type"] == "image/jpeg"
    assert (row["format"], row["location"]) == ("online", "")


async def test_it_needs_a_chair_and_phone_or_a_photo(client: Client, cast: Cast) -> None:
    person, ids, _, _ = await resident_in_house()
    await client.force_login(person)
    response = await post_meeting(client, meeting_form(chair_name="", chair_phone=""))
    assert response.status_code == 422
    assert 'id="f-proof-error"' in response.text
    assert "or a photo of the signed slip" in response.text
    assert 'value="Tuesday Night Big Book"' in response.text
    assert await OutsideMeeting.count().where(OutsideMeeting.resident == ids["resident"]) == 0


def _days_ago(days: int) -> str:
    return (clock.now().astimezone(CHICAGO).date() - dt.timedelta(days=days)).isoformat()


def _tomorrow() -> str:
    return (clock.now().astimezone(CHICAGO).date() + dt.timedelta(days=1)).isoformat()


HOSTILE: list[tuple[dict[str, str], str, str]] = [
    ({"name": ""}, "name", "Enter the meeting"),
    ({"name": "x" * 10_001}, "name", "Use at most 120 characters"),
    ({"name": "\U0001f600" * 121}, "name", "Use at most 120 characters"),
    ({"name": "\u200b\u202e \x00"}, "name", "Enter the meeting"),
    ({"fellowship": "martians"}, "fellowship", "Choose the fellowship."),
    ({"fellowship": ""}, "fellowship", "Choose the fellowship."),
    ({"format": "boat"}, "format", "Choose in person or online."),
    ({"format": "in_person", "location": ""}, "location", "Enter where the meeting was"),
    ({"location": "l" * 201}, "location", "Use at most 200 characters"),
    ({"held_on": "2026-02-30"}, "held_on", "Enter the date like"),
    ({"held_on": "1900-01-01"}, "held_on", "before you moved in"),
    ({"held_on": "' OR 1=1 --"}, "held_on", "Enter the date like"),
    ({"held_on": "NaN"}, "held_on", "Enter the date like"),
    ({"held_time": "25:00"}, "held_time", "Enter the time it started"),
    ({"held_time": ""}, "held_time", "Enter the time it started"),
    ({"chair_phone": "call me maybe"}, "chair_phone", "Enter a phone number like"),
    ({"chair_phone": "=HYPERLINK(1)"}, "chair_phone", "Enter a phone number like"),
    ({"chair_phone": ""}, "chair_phone", "Add their phone too"),
    ({"chair_name": ""}, "chair_name", "Add whose phone this is."),
    ({"chair_name": "c" * 121}, "chair_name", "Use at most 120 characters"),
]


@pytest.mark.parametrize(("fields", "field", "message"), HOSTILE, ids=lambda v: str(v)[:30])
async def test_it_answers_bad_input_by_the_field_and_stores_nothing(
    client: Client, cast: Cast, fields: dict[str, str], field: str, message: str
) -> None:
    person, ids, _, _ = await resident_in_house()
    await client.force_login(person)
    before = stored_files()
    response = await post_meeting(
        client, meeting_form(**fields), ("slip.png", image_bytes("PNG"), "image/png")
    )
    assert response.status_code == 422
    assert f'id="f-{field}-error"' in response.text
    assert message in response.text
    assert await OutsideMeeting.count().where(OutsideMeeting.resident == ids["resident"]) == 0
    assert stored_files() == before
    if field != "name":
        assert 'value="Tuesday Night Big Book"' in response.text
    # The photo was fine: the page says to choose it again (file inputs are never refilled).
    assert "Choose the photo again" in response.text


@pytest.mark.parametrize(
    ("when", "field", "message"),
    [
        ({"held_on": "tomorrow"}, "held_on", "That is in the future."),
        ({"held_on": "15 days ago"}, "held_on", "more than 14 days ago"),
        ({"held_on": "before move-in"}, "held_on", "before you moved in"),
    ],
    ids=["future", "too-old", "before-move-in"],
)
async def test_it_refuses_a_meeting_in_the_future_too_old_or_before_move_in(
    client: Client, cast: Cast, when: dict[str, str], field: str, message: str
) -> None:
    person, ids, _, _ = await resident_in_house()
    days = {"tomorrow": _tomorrow(), "15 days ago": _days_ago(15), "before move-in": ""}
    if when["held_on"] == "before move-in":
        from house.residents.tables import Stay

        await Stay.update({Stay.admitted_on: clock.now().date() - dt.timedelta(days=2)}).where(
            Stay.id == ids["stay"]
        )
        days["before move-in"] = _days_ago(5)
    await client.force_login(person)
    response = await post_meeting(client, meeting_form(held_on=days[when["held_on"]]))
    assert response.status_code == 422
    assert f'id="f-{field}-error"' in response.text
    assert message in response.text
    assert await OutsideMeeting.count().where(OutsideMeeting.resident == ids["resident"]) == 0


async def test_it_refuses_a_time_later_today(client: Client, cast: Cast) -> None:
    person, ids, _, _ = await resident_in_house()
    await client.force_login(person)
    later = (clock.now() + dt.timedelta(minutes=30)).astimezone(CHICAGO)
    response = await post_meeting(
        client,
        meeting_form(held_on=later.date().isoformat(), held_time=later.strftime("%H:%M")),
    )
    assert response.status_code == 422
    assert "That is in the future." in response.text
    assert await OutsideMeeting.count().where(OutsideMeeting.resident == ids["resident"]) == 0


async def test_it_escapes_markup_and_ignores_fields_it_did_not_offer(
    client: Client, cast: Cast
) -> None:
    person, ids, house, _ = await resident_in_house()
    other_house = await make_house()
    await client.force_login(person)
    data = [
        *meeting_form(name="<script>alert(1)</script>{{7*7}}").items(),
        ("house", str(other_house)),
        ("status", "verified"),
        ("role", "admin"),
        ("fellowship", "martians"),  # a duplicate: the first value counts
    ]
    response = await post_meeting(client, data)
    assert response.status_code == 303
    row = await OutsideMeeting.select().where(OutsideMeeting.resident == ids["resident"]).first()
    assert row is not None
    assert (row["house"], row["status"], row["fellowship"]) == (house, "pending", "aa")
    page = await client.get("/meetings/outside")
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;{{7*7}}" in page.text


async def test_it_refuses_a_form_without_its_csrf_token(client: Client, cast: Cast) -> None:
    person, ids, _, _ = await resident_in_house()
    await client.force_login(person)
    response = await post_meeting(client, meeting_form(), csrf=False)
    assert response.status_code == 403
    assert await OutsideMeeting.count().where(OutsideMeeting.resident == ids["resident"]) == 0


async def test_it_asks_again_for_a_form_without_its_one_time_token(
    client: Client, cast: Cast
) -> None:
    person, ids, _, _ = await resident_in_house()
    await client.force_login(person)
    form = meeting_form()
    del form["form_token"]
    response = await post_meeting(client, form)
    assert response.status_code == 422
    assert "This form is out of date" in response.text
    assert 'name="form_token" value="' in response.text
    assert await OutsideMeeting.count().where(OutsideMeeting.resident == ids["resident"]) == 0


async def test_it_logs_once_when_the_form_is_sent_five_times_at_once(
    client: Client, cast: Cast
) -> None:
    person, ids, _, _ = await resident_in_house()
    await client.force_login(person)
    form = meeting_form()
    before = stored_files()
    photo = ("slip.jpg", image_bytes(), "image/jpeg")
    responses = await asyncio.gather(*[post_meeting(client, form, photo) for _ in range(5)])
    assert [r.status_code for r in responses] == [303] * 5
    rows = await OutsideMeeting.select().where(OutsideMeeting.resident == ids["resident"])
    assert len(rows) == 1
    # The four repeats wrote a photo first, then removed it: one file is left.
    assert stored_files() - before == {rows[0]["photo"]}
    again = await post_meeting(client, form, photo)
    assert again.status_code == 303
    assert await OutsideMeeting.count().where(OutsideMeeting.resident == ids["resident"]) == 1


async def test_it_explains_to_a_resident_without_a_house_that_they_cannot_log_yet(
    client: Client, cast: Cast
) -> None:
    await client.force_login(cast.resident_b)
    for url in ("/meetings/outside", "/meetings/outside/new", "/meetings/week"):
        page = await client.get(url)
        assert page.status_code == 200
        assert "while you live in a house" in page.text
        assert 'name="held_on"' not in page.text
    refused = await post_meeting(client, meeting_form())
    assert refused.status_code == 422
    assert "while you live in a house" in refused.text


async def test_it_never_shows_one_residents_logs_to_another(
    client: Client, cast: Cast, app: Any
) -> None:
    me, my_ids, house, _ = await resident_in_house()
    other, other_ids, _, _ = await resident_in_house(house)
    secret = await make_outside_meeting(other_ids, house, other.id, name="Their private meeting")
    await make_outside_meeting(my_ids, house, me.id, name="My own meeting")
    await client.force_login(me)
    for url in ("/meetings/outside", "/meetings/week"):
        page = await client.get(url)
        assert "My own meeting" in page.text
        assert "Their private meeting" not in page.text
        assert f"outside-{secret}" not in page.text
