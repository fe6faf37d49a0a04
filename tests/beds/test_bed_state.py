"""A bed's state from the board: reserve it with a note, mark it out of service with a
reason, put it back in service; as plain form posts and in place with htmx."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from markupsafe import escape

from house.audit.tables import AuditEvent
from house.beds import services as beds
from house.beds.placements import services as placements
from house.beds.tables import Bed, BedAssignment
from house.lib import clock
from house.lib.errors import DomainError
from tests.cast import Cast
from tests.client import Client, form_value
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
STORED = (Bed.state, Bed.reserved_note, Bed.out_of_service_reason, Bed.version)


async def _bed(house: int) -> int:
    return await make_bed(await make_room(house))


async def _stored(bed: int) -> dict[str, Any]:
    row = await Bed.select(*STORED).where(Bed.id == bed).first()
    assert row is not None
    return row


async def _version(client: Client, bed: int) -> str:
    """The version the bed's page shows in its state forms."""
    page = await client.get(f"/beds/{bed}")
    assert page.status_code == 200
    return form_value(page.text, "version") or ""


async def _set(client: Client, bed: int, fields: dict[str, str], **kwargs: Any) -> Any:
    return await client.post(
        f"/beds/{bed}/state", {"version": await _version(client, bed), **fields}, **kwargs
    )


async def test_it_reserves_marks_out_of_service_and_puts_back_without_script(
    client: Client, cast: Cast
) -> None:
    bed = await make_bed(await make_room(cast.house_a, unique("Room")), "Bed Z")
    room = (await Bed.select(Bed.room.label.as_alias("room")).where(Bed.id == bed).first())["room"]  # type: ignore[index]
    await client.force_login(cast.manager_a)
    page = await client.get(f"/beds/{bed}")
    assert "Reserve" in page.text
    assert "Mark out of service" in page.text
    assert "Put back in service" not in page.text  # it is in service

    reserved = await _set(client, bed, {"state": "reserved", "reason": "Held for Kai"})
    assert reserved.status_code == 303
    assert reserved.headers["location"] == f"/houses/{cast.house_a}/board"
    board = await client.get(reserved.headers["location"])
    assert f"{room} · Bed Z: reserved." in board.text
    assert "Held for Kai" in board.text
    row = await Bed.select(Bed.state_changed_by, Bed.state_changed_at, *STORED).where(Bed.id == bed)
    assert row[0]["state"] == "reserved"
    assert row[0]["reserved_note"] == "Held for Kai"
    assert row[0]["state_changed_by"] == cast.manager_a.id
    assert row[0]["state_changed_at"] is not None

    page = await client.get(f"/beds/{bed}")
    assert "Put back in service" in page.text
    assert "Mia Manager" in page.text  # who reserved it, and since when

    out = await _set(client, bed, {"state": "out_of_service", "reason": "Leak in the ceiling"})
    assert out.status_code == 303
    assert await _stored(bed) == {
        "state": "out_of_service",
        "reserved_note": "",
        "out_of_service_reason": "Leak in the ceiling",
        "version": 3,
    }
    back = await _set(client, bed, {"state": "available"})
    assert back.status_code == 303
    assert (await _stored(bed))["state"] == "available"
    assert (await _stored(bed))["out_of_service_reason"] == ""
    audit = await AuditEvent.count().where(
        AuditEvent.action == "bed_state_set", AuditEvent.record == f"bed:{bed}"
    )
    assert audit == 3


async def test_it_sets_the_state_in_place_with_htmx_and_swaps_the_board(
    client: Client, cast: Cast
) -> None:
    house = await make_house()
    manager = await make_user("manager", [house])
    bed = await _bed(house)
    await make_bed(await make_room(house), "Other")
    await client.force_login(manager)
    before = (await client.get(f"/houses/{house}/board")).text
    assert "<strong>2</strong> of 2 beds free" in before
    assert f'hx-get="/beds/{bed}"' in before

    panel = await client.get(f"/beds/{bed}", headers=HTMX)  # tap 1: the bed
    assert "<html" not in panel.text
    assert f'hx-post="/beds/{bed}/state"' in panel.text
    version = form_value(panel.text, "version") or ""
    done = await client.post(  # tap 2: out of service, with why
        f"/beds/{bed}/state",
        {"state": "out_of_service", "reason": "Broken frame", "version": version},
        headers=HTMX,
    )
    assert done.status_code == 200
    assert done.headers["hx-retarget"] == "#board"
    assert f'id="bed-{bed}" class="bed bed-out_of_service"' in done.text
    assert "Broken frame" in done.text
    assert "<strong>1</strong> of 1 beds free" in done.text  # the counts follow

    panel = await client.get(f"/beds/{bed}", headers=HTMX)
    assert "Put back in service" in panel.text
    assert "Admit" not in panel.text  # nobody moves into a bed out of service
    version = form_value(panel.text, "version") or ""
    back = await client.post(
        f"/beds/{bed}/state", {"state": "available", "version": version}, headers=HTMX
    )
    assert back.status_code == 200
    assert f'id="bed-{bed}" class="bed bed-available"' in back.text


async def test_it_keeps_the_typed_note_and_a_message_in_place_on_an_error(
    client: Client, cast: Cast
) -> None:
    bed = await _bed(cast.house_a)
    await client.force_login(cast.manager_a)
    version = await _version(client, bed)
    response = await client.post(
        f"/beds/{bed}/state",
        {"state": "out_of_service", "reason": "  ", "version": version},
        headers=HTMX,
    )
    assert response.status_code == 422
    assert f'id="bed-{bed}" class="bed bed-choosing"' in response.text  # the cell, in place
    assert "Say why the bed is out of service." in response.text
    too_long = await client.post(
        f"/beds/{bed}/state",
        {"state": "reserved", "reason": "Held " + "x" * 300, "version": version},
        headers=HTMX,
    )
    assert too_long.status_code == 422
    assert "Use at most 200 characters" in too_long.text
    assert "Held xxxx" in too_long.text  # what was typed comes back
    assert (await _stored(bed))["state"] == "available"


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"state": "out_of_service", "reason": ""}, "reason", "Say why the bed is out of service."),
        ({"state": "out_of_service", "reason": "\u200b\u202e"}, "reason", "Say why the bed"),
        ({"state": "reserved", "reason": "x" * 201}, "reason", "Use at most 200 characters"),
        ({"state": "reserved", "reason": "x" * 10_001}, "reason", "Use at most 200 characters"),
        ({"state": "occupied"}, "state", "Choose a state from the list."),
        ({"state": ""}, "state", "Choose a state from the list."),
        ({"state": "OUT_OF_SERVICE", "reason": "x"}, "state", "Choose a state from the list."),
        ({"state": "reserved", "version": "abc"}, "form", "This form is out of date."),
        ({"state": "reserved", "version": ""}, "form", "This form is out of date."),
        ({"state": "reserved", "version": "NaN"}, "form", "This form is out of date."),
        ({"state": "reserved", "version": "-1"}, "form", "This form is out of date."),
    ],
)
async def test_it_refuses_bad_input_by_its_field_and_stores_nothing(
    client: Client, cast: Cast, fields: dict[str, str], field: str, message: str
) -> None:
    bed = await _bed(cast.house_a)
    await client.force_login(cast.manager_a)
    before = await _stored(bed)
    response = await _set(client, bed, fields)
    assert response.status_code == 422
    assert message in response.text
    assert await _stored(bed) == before
    assert not await AuditEvent.exists().where(
        AuditEvent.action == "bed_state_set", AuditEvent.record == f"bed:{bed}"
    )


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("<script>alert(1)</script>", "<script>alert(1)</script>"),
        ('"><img src=x onerror=alert(1)>', '"><img src=x onerror=alert(1)>'),
        ("{{7*7}}", "{{7*7}}"),
        ("Kai\u202e\u200b (Monday)\x00", "Kai (Monday)"),
        ("🛏" * 200, "🛏" * 200),
        ("'; DROP TABLE bed; --", "'; DROP TABLE bed; --"),
    ],
)
async def test_it_stores_a_hostile_note_cleaned_and_shows_it_escaped(
    client: Client, cast: Cast, typed: str, stored: str
) -> None:
    bed = await _bed(cast.house_a)
    await client.force_login(cast.manager_a)
    response = await _set(client, bed, {"state": "reserved", "reason": typed})
    assert response.status_code == 303
    assert (await _stored(bed))["reserved_note"] == stored
    board = (await client.get(f"/houses/{cast.house_a}/board")).text
    page = (await client.get(f"/beds/{bed}")).text
    for html in (board, page):
        assert str(escape(stored)) in html
        assert "<script>alert(1)" not in html
        assert "<img src=x" not in html


async def test_it_refuses_another_houses_bed_a_resident_and_a_missing_csrf_token(
    app: Any, client: Client, cast: Cast
) -> None:
    bed = await _bed(cast.house_b)
    fields = {"state": "out_of_service", "reason": "x", "version": "1"}
    await client.force_login(cast.manager_a)
    assert (await client.post(f"/beds/{bed}/state", fields)).status_code == 404
    await client.force_login(cast.resident_b)
    assert (await client.post(f"/beds/{bed}/state", fields)).status_code == 403
    await client.force_login(cast.manager_b)
    await client.csrf_token()  # this browser has a token of its own, and does not send it
    assert (await client.post(f"/beds/{bed}/state", fields, csrf=False)).status_code == 403
    async with Client(app) as other:  # a token of another browser
        await other.force_login(cast.manager_b)
        foreign = await other.csrf_token()
    response = await client.post(
        f"/beds/{bed}/state", {**fields, "_csrf_token": foreign}, csrf=False
    )
    assert response.status_code == 403
    assert (await _stored(bed))["state"] == "available"


async def test_it_stores_a_double_tap_once(client: Client, cast: Cast) -> None:
    bed = await _bed(cast.house_a)
    await client.force_login(cast.manager_a)
    fields = {"state": "reserved", "reason": "Held", "version": await _version(client, bed)}
    first = await client.post(f"/beds/{bed}/state", fields)
    second = await client.post(f"/beds/{bed}/state", fields)
    assert (first.status_code, second.status_code) == (303, 303)
    assert (await _stored(bed))["version"] == 2
    assert (
        await AuditEvent.count().where(
            AuditEvent.action == "bed_state_set", AuditEvent.record == f"bed:{bed}"
        )
        == 1
    )


async def test_it_tells_the_slower_of_two_managers_who_changed_the_bed(
    app: Any, client: Client, cast: Cast
) -> None:
    bed = await _bed(cast.house_a)
    await client.force_login(cast.manager_a)
    seen = await _version(client, bed)
    async with Client(app) as other:
        await other.force_login(cast.admin)
        await _set(other, bed, {"state": "reserved", "reason": "Held for Noor"})
    stale = {"state": "out_of_service", "reason": "Leak", "version": seen}
    page = await client.post(f"/beds/{bed}/state", stale)
    assert page.status_code == 409
    assert "Ada Admin marked this bed reserved at" in page.text
    assert (await _stored(bed))["reserved_note"] == "Held for Noor"
    # The page shows the bed as it is now: sending again goes through.
    assert form_value(page.text, "version") == "2"
    in_place = await client.post(f"/beds/{bed}/state", stale, headers=HTMX)
    assert in_place.status_code == 409
    assert in_place.headers["hx-retarget"] == "#board"
    assert "The board below is up to date." in in_place.text
    again = await client.post(f"/beds/{bed}/state", {**stale, "version": "2"})
    assert again.status_code == 303
    assert (await _stored(bed))["state"] == "out_of_service"


async def test_it_never_takes_an_occupied_bed_out_of_service(client: Client, cast: Cast) -> None:
    home = await make_resident_in(cast.house_a, cast.manager_a.id)
    bed = home["bed"]
    await client.force_login(cast.manager_a)
    page = await client.get(f"/beds/{bed}")
    assert "Mark out of service" not in page.text
    assert f'href="/residents/{home["resident"]}"' in page.text
    # A form kept open from before they moved in, with the version it showed then.
    version = str((await _stored(bed))["version"])
    response = await client.post(
        f"/beds/{bed}/state", {"state": "out_of_service", "reason": "Leak", "version": version}
    )
    assert response.status_code == 422
    assert "Someone sleeps in this bed: move them first." in response.text
    assert (await _stored(bed))["state"] == "available"


async def test_it_uses_up_a_reservation_when_someone_moves_in(cast: Cast) -> None:
    bed = await _bed(cast.house_a)
    now = clock.now()
    await beds.set_bed_state(
        actor_id=cast.manager_a.id, bed_id=bed, state="reserved", note="Held", now=now
    )
    stay = await make_stay(cast.house_a, cast.manager_a.id)
    await placements.admit(
        actor_id=cast.manager_a.id,
        stay_id=stay,
        bed_id=bed,
        on=now.date(),
        today=now.date(),
        now=now,
    )
    assert await _stored(bed) == {
        "state": "available",
        "reserved_note": "",
        "out_of_service_reason": "",
        "version": 3,
    }


async def test_it_never_leaves_a_bed_both_occupied_and_out_of_service_in_a_race(
    cast: Cast,
) -> None:
    """Admissions and out-of-service marks of the same beds at the same moment: each bed
    ends up either occupied or out of service, never both, and nothing fails with a 500."""
    now = clock.now()
    pairs = [
        (await _bed(cast.house_a), await make_stay(cast.house_a, cast.admin.id)) for _ in range(6)
    ]

    async def admit(bed: int, stay: int) -> str:
        try:
            await placements.admit(
                actor_id=cast.admin.id,
                stay_id=stay,
                bed_id=bed,
                on=now.date(),
                today=now.date(),
                now=now,
            )
        except DomainError as exc:
            return exc.message
        return "admitted"

    async def close(bed: int) -> str:
        try:
            await beds.set_bed_state(
                actor_id=cast.admin.id,
                bed_id=bed,
                state="out_of_service",
                note="Leak",
                now=now,
                version=1,
            )
        except DomainError as exc:
            return exc.message
        return "closed"

    results = await asyncio.gather(
        *(call for bed, stay in pairs for call in (admit(bed, stay), close(bed)))
    )
    for (bed, _), outcome in zip(pairs, zip(results[::2], results[1::2], strict=True), strict=True):
        occupied = await BedAssignment.exists().where(
            BedAssignment.bed == bed, BedAssignment.end_on.is_null()
        )
        state = (await _stored(bed))["state"]
        assert not (occupied and state == "out_of_service"), (bed, outcome)
        assert occupied or state == "out_of_service", (bed, outcome)
