"""Intake onto a waitlist, a person's page, ending a stay and correcting a move-in date."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from typing import Any

import pytest

from house.amendments.tables import Amendment
from house.lib import clock
from house.residents.tables import EmergencyContact, Resident, Stay
from tests.cast import Cast
from tests.client import Client
from tests.factories import make_bed, make_room, unique


async def _form(client: Client) -> dict[str, str]:
    page = await client.get("/residents/new")
    token = re.search(r'name="form_token" value="([^"]+)"', page.text)
    assert token
    return {
        "legal_name": "Patricia Q. Public",
        "preferred_name": unique("Pat"),
        "date_of_birth": "1990-04-02",
        "phone": "555-0101",
        "email": "pat@example.org",
        "sobriety_date": (clock.now().date() - dt.timedelta(days=40)).isoformat(),
        "referral_source": "County drug court",
        "contact_name": "Lee Public",
        "contact_relation": "sister",
        "contact_phone": "555-0102",
        "requested_move_in": "",
        "priority": "2",
        "notes": "",
        "form_token": token.group(1),
    }


async def test_it_puts_a_new_person_on_the_waitlist_with_their_contact(
    client: Client, cast: Cast
) -> None:
    await client.force_login(cast.manager_a)
    form = await _form(client)
    response = await client.post("/residents", {**form, "house": str(cast.house_a)})
    assert response.status_code == 303
    resident = (
        await Resident.select().where(Resident.preferred_name == form["preferred_name"]).first()
    )
    assert resident is not None
    assert resident["legal_name"] == "Patricia Q. Public"
    assert await EmergencyContact.exists().where(
        EmergencyContact.resident == resident["id"], EmergencyContact.phone == "555-0102"
    )
    stay = await Stay.select().where(Stay.resident == resident["id"]).first()
    assert stay is not None
    assert (stay["status"], stay["priority"], stay["house"]) == ("waitlist", 2, cast.house_a)
    page = await client.get(response.headers["location"])
    assert "is on the waitlist of" in page.text
    board = await client.get(f"/houses/{cast.house_a}/board")
    assert form["preferred_name"] in board.text


async def test_it_creates_one_person_when_the_form_is_sent_twice(
    client: Client, cast: Cast
) -> None:
    await client.force_login(cast.manager_a)
    form = {**await _form(client), "house": str(cast.house_a)}
    first, second = await asyncio.gather(
        client.post("/residents", form), client.post("/residents", form)
    )
    third = await client.post("/residents", form)
    assert {r.status_code for r in (first, second, third)} == {303}
    assert len({r.headers["location"] for r in (first, second, third)}) == 1
    assert await Resident.count().where(Resident.preferred_name == form["preferred_name"]) == 1


HOSTILE = [
    ({"legal_name": ""}, "legal_name", "Enter the legal name."),
    ({"preferred_name": "p" * 61}, "preferred_name", "Use at most 60 characters"),
    ({"preferred_name": "😀" * 61}, "preferred_name", "Use at most 60 characters"),
    ({"date_of_birth": "1990-02-30"}, "date_of_birth", "Enter a real date"),
    ({"date_of_birth": "1899-12-31"}, "date_of_birth", "Enter a real date"),
    ({"date_of_birth": "2020-01-01"}, "date_of_birth", "at least 16"),
    ({"sobriety_date": "2999-01-01"}, "sobriety_date", "not in the future"),
    ({"email": '=HYPERLINK("x")'}, "email", "Enter an email address"),
    ({"contact_phone": ""}, "contact_phone", "Give the emergency contact"),
    ({"priority": "9"}, "priority", "Choose a priority from 1 to 5."),
    ({"house": "HOUSE_B"}, "house", "Choose a house from the list."),
    ({"house": "abc"}, "house", "Choose a house from the list."),
    ({"requested_move_in": "2030-13-01"}, "requested_move_in", "Enter a real date"),
]


@pytest.mark.parametrize(("fields", "field", "message"), HOSTILE, ids=lambda v: str(v)[:25])
async def test_it_answers_bad_intake_input_by_the_field_and_stores_nothing(
    client: Client, cast: Cast, fields: dict[str, str], field: str, message: str
) -> None:
    await client.force_login(cast.manager_a)
    form = {**await _form(client), "house": str(cast.house_a), **fields}
    if form["house"] == "HOUSE_B":
        form["house"] = str(cast.house_b)  # another house's id: not on this manager's list
    before = await Resident.count()
    response = await client.post("/residents", form)
    assert response.status_code == 422
    assert f'id="f-{field}-error"' in response.text
    assert message in response.text
    assert await Resident.count() == before
    if field != "legal_name":
        assert 'value="Patricia Q. Public"' in response.text


async def test_it_ends_a_stay_frees_the_bed_and_corrects_the_move_in_with_history(
    client: Client, cast: Cast
) -> None:
    await client.force_login(cast.manager_a)
    form = {**await _form(client), "house": str(cast.house_a)}
    created = await client.post("/residents", form)
    resident_id = int(created.headers["location"].rsplit("/", 1)[1])
    stay = (await Stay.select(Stay.id).where(Stay.resident == resident_id).first() or {})["id"]
    bed = await make_bed(await make_room(cast.house_a))
    assert (await client.post(f"/beds/{bed}/admit", {"stay": str(stay)})).status_code == 303

    # The move-in is the house's today (Chicago), which is not always UTC's.
    today = (await Stay.select(Stay.admitted_on).where(Stay.id == stay).first() or {})[
        "admitted_on"
    ]
    same = await client.post(
        f"/stays/{stay}/amend", {"admitted_on": today.isoformat(), "reason": "x"}
    )
    assert same.status_code == 422
    assert "That is the move-in date it already has." in same.text
    bad = await client.post(
        f"/stays/{stay}/amend", {"admitted_on": (today - dt.timedelta(days=1)).isoformat()}
    )
    assert bad.status_code == 422
    assert "Enter why the date is corrected." in bad.text
    fixed = await client.post(
        f"/stays/{stay}/amend",
        {"admitted_on": (today - dt.timedelta(days=1)).isoformat(), "reason": "Wrong day"},
    )
    assert fixed.status_code == 303
    page = await client.get(f"/residents/{resident_id}")
    assert "Wrong day" in page.text
    assert today.isoformat() in page.text  # the old value stays visible
    assert await Amendment.count().where(Amendment.record_id == stay) == 1

    no_reason = await client.post(f"/stays/{stay}/exit", {"on": today.isoformat()})
    assert no_reason.status_code == 422
    assert "Choose a reason." in no_reason.text
    ended = await client.post(
        f"/stays/{stay}/exit", {"on": today.isoformat(), "reason": "graduated", "note": "Yay"}
    )
    assert ended.status_code == 303
    row = await Stay.select(Stay.status, Stay.exit_reason).where(Stay.id == stay).first()
    assert row == {"status": "exited", "exit_reason": "graduated"}
    board = await client.get(f"/houses/{cast.house_a}/board")
    assert f'id="bed-{bed}" class="bed bed-available"' in board.text


async def test_it_lists_residents_with_the_same_queries_however_many(
    client: Client, cast: Cast, queries: Any
) -> None:
    await client.force_login(cast.manager_b)
    await client.get("/residents")
    with queries() as few:
        await client.get("/residents")
    from tests.factories import make_stay

    room = await make_room(cast.house_b)
    for _ in range(10):
        stay = await make_stay(cast.house_b, cast.manager_b.id)
        bed = await make_bed(room)
        await client.post(f"/beds/{bed}/admit", {"stay": str(stay)})
    await client.get("/residents")  # shows (and so clears) the flash messages of the admits
    with queries() as many:
        page = await client.get("/residents")
    assert few.count == many.count
    assert page.text.count('class="row" id="stay-') >= 10


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"on": "", "reason": "graduated"}, "Enter a date."),
        ({"on": "2026-02-30", "reason": "graduated"}, "Enter a real date"),
        ({"on": "DAY_AFTER_TOMORROW", "reason": "graduated"}, "cannot be dated after tomorrow"),
        ({"on": "LAST_YEAR", "reason": "graduated"}, "before the move-in"),
        ({"on": "TODAY", "reason": "expelled_to_mars"}, "Choose a reason."),
        ({"on": "TODAY", "reason": "other", "note": "n" * 2001}, "Use at most 2000 characters"),
    ],
)
async def test_it_answers_a_bad_exit_and_keeps_the_stay(
    client: Client, cast: Cast, fields: dict[str, str], message: str
) -> None:
    from tests.factories import make_stay

    stay = await make_stay(cast.house_a, cast.manager_a.id)
    bed = await make_bed(await make_room(cast.house_a))
    await client.force_login(cast.manager_a)
    assert (await client.post(f"/beds/{bed}/admit", {"stay": str(stay)})).status_code == 303
    today = clock.now().date()
    dates = {
        "TODAY": today,
        "DAY_AFTER_TOMORROW": today + dt.timedelta(days=2),
        "LAST_YEAR": today - dt.timedelta(days=200),
    }
    if fields["on"] in dates:
        fields = {**fields, "on": dates[fields["on"]].isoformat()}
    response = await client.post(f"/stays/{stay}/exit", fields)
    assert response.status_code == 422
    assert message in response.text
    row = await Stay.select(Stay.status).where(Stay.id == stay).first()
    assert row == {"status": "active"}


async def test_it_edits_details_keeping_every_old_value_and_refuses_a_stale_form(
    client: Client, cast: Cast, app: Any
) -> None:
    from tests.client import form_value
    from tests.factories import make_stay

    stay = await make_stay(cast.house_a, cast.manager_a.id, "Sky")
    resident = (await Stay.select(Stay.resident).where(Stay.id == stay).first() or {})["resident"]
    await client.force_login(cast.manager_a)
    page = await client.get(f"/residents/{resident}/edit")
    fields = {
        "legal_name": "Skyler Legal",
        "preferred_name": "Sky",
        "date_of_birth": "",
        "phone": "555-0199",
        "email": "",
        "sobriety_date": "",
        "referral_source": "",
        "notes": "",
        "why": "New phone",
        "version": form_value(page.text, "version") or "",
    }
    saved = await client.post(f"/residents/{resident}", fields)
    assert saved.status_code == 303
    amendment = (
        await Amendment.select()
        .where(
            Amendment.table_name == "resident",
            Amendment.record_id == resident,
            Amendment.field == "phone",
        )
        .first()
    )
    assert amendment is not None
    assert (amendment["old_value"], amendment["new_value"]) == ("", "555-0199")
    assert amendment["reason"] == "New phone"
    detail = await client.get(f"/residents/{resident}")
    assert "New phone" in detail.text

    stale = await client.post(f"/residents/{resident}", {**fields, "phone": "555-0000"})
    assert stale.status_code == 422
    assert "These details were changed by" in stale.text
    assert 'value="555-0000"' in stale.text
    row = await Resident.select(Resident.phone).where(Resident.id == resident).first()
    assert row == {"phone": "555-0199"}

    bad = await client.post(
        f"/residents/{resident}",
        {**fields, "version": form_value(stale.text, "version") or "", "legal_name": ""},
    )
    assert bad.status_code == 422
    assert "Enter the legal name." in bad.text

    no_phone = await client.post(f"/residents/{resident}/contacts", {"contact_name": "Mo"})
    assert no_phone.status_code == 422
    assert 'value="Mo"' in no_phone.text
    added = await client.post(
        f"/residents/{resident}/contacts", {"contact_name": "Mo", "contact_phone": "555-0111"}
    )
    assert added.status_code == 303
    assert await EmergencyContact.count().where(EmergencyContact.resident == resident) == 1


@pytest.mark.parametrize(
    ("admitted_on", "message"),
    [("2026-02-30", "Enter a real date"), ("", "Enter a date."), ("1800-01-01", "Enter a real")],
)
async def test_it_answers_a_bad_move_in_correction_and_keeps_the_date(
    client: Client, cast: Cast, admitted_on: str, message: str
) -> None:
    from tests.factories import make_stay

    stay = await make_stay(cast.house_a, cast.manager_a.id)
    bed = await make_bed(await make_room(cast.house_a))
    await client.force_login(cast.manager_a)
    assert (await client.post(f"/beds/{bed}/admit", {"stay": str(stay)})).status_code == 303
    before = await Stay.select(Stay.admitted_on).where(Stay.id == stay).first()
    response = await client.post(
        f"/stays/{stay}/amend", {"admitted_on": admitted_on, "reason": "typo"}
    )
    assert response.status_code == 422
    assert message in response.text
    assert 'value="typo"' in response.text
    assert await Stay.select(Stay.admitted_on).where(Stay.id == stay).first() == before
    assert await Amendment.count().where(Amendment.record_id == stay) == 0
