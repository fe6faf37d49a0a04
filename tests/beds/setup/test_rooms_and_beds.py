"""Adding rooms and beds on a house's edit page: several beds at once ("A-D", "1-4",
"A, B, D"), all or none, answered in place for htmx and back to #rooms without script."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest

from house.audit.tables import AuditEvent
from house.beds.forms import BadLabels, bed_labels
from house.beds.tables import Bed, Room
from tests.cast import Cast
from tests.client import Client
from tests.factories import make_bed, make_house, make_room

HTMX = {"HX-Request": "true"}


def _once(**fields: str) -> dict[str, str]:
    return {"form_token": uuid.uuid4().hex, **fields}


async def _room_for_admin(client: Client, cast: Cast) -> tuple[int, int]:
    """A new house with an empty "Room 1", and the client signed in as the admin."""
    house = await make_house()
    room = await make_room(house, "Room 1")
    await client.force_login(cast.admin)
    return house, room


async def _labels(room: int) -> list[str]:
    rows = await Bed.select(Bed.label).where(Bed.room == room).order_by(Bed.id)
    return [r["label"] for r in rows]


@pytest.mark.parametrize(
    ("typed", "labels"),
    [
        ("A-D", ["A", "B", "C", "D"]),
        ("1-4", ["1", "2", "3", "4"]),
        ("A, B, D", ["A", "B", "D"]),
        ("a\u2013c", ["a", "b", "c"]),  # an en dash, lower case
        ("12A-12C", ["12A", "12B", "12C"]),
        ("12A-C, 14", ["12A", "12B", "12C", "14"]),
        ("Bed 9 - 11", ["Bed 9", "Bed 10", "Bed 11"]),
        ("08-10", ["08", "09", "10"]),
        ("Window, Top-left", ["Window", "Top-left"]),  # a dash inside a name is a name
        (" , A ,, ", ["A"]),
        ("A-Z", [chr(c) for c in range(ord("A"), ord("Z") + 1)]),  # 26: the most at once
    ],
)
def test_it_reads_names_ranges_and_lists(typed: str, labels: list[str]) -> None:
    assert bed_labels(typed) == labels


BAD = [
    ("D-A", "“D-A” runs backwards: write A-D."),
    ("12D-12A", "write 12A-12D."),
    ("A-4", "“A-4” is not a range: use two letters (A-D) or two numbers (1-4)"),
    ("a-D", "“a-D” is not a range"),
    ("Cot 1-Bunk 3", "after the same start if any (12A-12D)"),
    ("A-", "“A-”: write both ends of the range, like A-D."),
    ("-4", "“-4”: write both ends of the range"),
    ("1-27", "That is 27 beds: add at most 26 at once."),
    ("1-99999999999999999999", "That is 99999999999999999999 beds"),
    ("A-Z, 1", "That is 27 beds: add at most 26 at once."),
    ("A, B, a", "“a” is listed twice."),
    ("A-C, B", "“B” is listed twice."),
    ("x" * 41, f"“{'x' * 41}” is longer than 40 characters: shorten it."),
    ("The bed by the big window on the left side 8-10", "left side 8” is longer than 40"),
    (",, ,", "Enter a bed name, a range like A-D, or a list like A, B, D."),
]


@pytest.mark.parametrize(("typed", "message"), BAD, ids=[b[0][:20] for b in BAD])
def test_it_explains_a_bad_range_or_list(typed: str, message: str) -> None:
    with pytest.raises(BadLabels) as refused:
        bed_labels(typed)
    assert message in refused.value.message


async def test_it_adds_four_beds_at_once_and_comes_back_to_the_section(
    client: Client, cast: Cast
) -> None:
    house, room = await _room_for_admin(client, cast)
    added = await client.post(f"/rooms/{room}/beds", _once(label="A-D"))
    assert added.status_code == 303
    assert added.headers["location"] == f"/houses/{house}/edit#rooms"
    assert await _labels(room) == ["A", "B", "C", "D"]
    bed_ids = [r["id"] for r in await Bed.select(Bed.id).where(Bed.room == room)]
    audited = await AuditEvent.count().where(
        AuditEvent.action == "bed_added", AuditEvent.record.is_in([f"bed:{i}" for i in bed_ids])
    )
    assert audited == 4
    page = await client.get(f"/houses/{house}/edit")
    section = page.text[page.text.index('<section class="card" id="rooms">') :]
    # The note is in the section the browser is sent back to, not at the top of the page.
    assert "Room 1: beds A, B, C, D added." in section
    assert "Room 1: beds A, B, C, D added." not in page.text[: page.text.index(section)]
    assert "1 room, 4 beds" in section
    assert "(4 beds)" in section
    # Shown in number order: "Bed 2" before "Bed 10".
    await client.post(f"/rooms/{room}/beds", _once(label="Bed 9-11, Bed 2"))
    page = await client.get(f"/houses/{house}/edit")
    assert "A, B, Bed 2, Bed 9, Bed 10, Bed 11, C, D" in page.text


async def test_it_answers_htmx_with_the_section_and_moves_the_focus_to_the_next_field(
    client: Client, cast: Cast
) -> None:
    house = await make_house()
    await client.force_login(cast.admin)
    made = await client.post(f"/houses/{house}/rooms", _once(label="Upstairs"), headers=HTMX)
    assert made.status_code == 200
    assert made.text.lstrip().startswith('<section class="card" id="rooms">')
    assert "<html" not in made.text
    assert "Room added: Upstairs. Now add its beds." in made.text
    room = (await Room.select(Room.id).where(Room.house == house).first() or {})["id"]
    # The new room's beds come next: their field has the focus.
    assert f'aria-describedby="f-bed-{room}-hint" autofocus>' in made.text
    beds = await client.post(f"/rooms/{room}/beds", _once(label="1-4"), headers=HTMX)
    assert beds.status_code == 200
    assert beds.text.lstrip().startswith('<section class="card" id="rooms">')
    assert "Upstairs: beds 1, 2, 3, 4 added." in beds.text
    assert "1 room, 4 beds" in beds.text
    assert "autofocus" not in beds.text  # focus stays where it was (the button or field)
    assert f'id="add-beds-{room}"' in beds.text
    # Nothing is left in the session for the next page.
    page = await client.get(f"/houses/{house}/edit")
    assert "beds 1, 2, 3, 4 added" not in page.text
    refused = await client.post(f"/rooms/{room}/beds", _once(label="4-1"), headers=HTMX)
    assert refused.status_code == 422
    assert refused.text.lstrip().startswith('<section class="card" id="rooms">')
    assert f'<p class="error" id="f-bed-{room}-error">“4-1” runs backwards: write 1-4.</p>' in (
        refused.text
    )
    assert 'value="4-1"' in refused.text
    assert f'f-bed-{room}-error" aria-invalid="true" autofocus>' in refused.text
    assert await _labels(room) == ["1", "2", "3", "4"]


HOSTILE = [
    ("", "Enter a bed name, a range like A-D, or a list like A, B, D."),
    ("x" * 10_001, "Use at most 200 characters (you typed 10001)."),
    ("😀" * 41, "is longer than 40 characters"),
    ("A-C, D-A", "“D-A” runs backwards"),
    ("1-27", "That is 27 beds"),
    ("C, c", "“c” is listed twice."),
    ("B-D", "This room already has a bed called B. Nothing was added."),
    ("a, b, e-g, z", "This room already has beds called a, b and z. Nothing was added."),
]


@pytest.mark.parametrize(("typed", "message"), HOSTILE, ids=[h[0][:12] for h in HOSTILE])
async def test_it_adds_none_of_a_bad_list_and_says_why_by_the_field(
    client: Client, cast: Cast, typed: str, message: str
) -> None:
    _, room = await _room_for_admin(client, cast)
    for label in ("A", "B", "Z"):
        await make_bed(room, label)
    refused = await client.post(f"/rooms/{room}/beds", _once(label=typed))
    assert refused.status_code == 422
    assert "<html" in refused.text  # without script: the whole page, at the room
    assert f'id="f-bed-{room}-error">' in refused.text
    assert message in refused.text
    assert f'action="/rooms/{room}/beds#room-{room}"' in refused.text
    assert await _labels(room) == ["A", "B", "Z"]


async def test_it_escapes_what_was_typed_and_cleans_invisible_characters(
    client: Client, cast: Cast
) -> None:
    house, room = await _room_for_admin(client, cast)
    script = "<script>alert(1)</script>-{{7*7}}-x"
    refused = await client.post(f"/rooms/{room}/beds", _once(label=f"A, A, {script}"))
    assert refused.status_code == 422
    assert "<script>alert(1)" not in refused.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;-{{7*7}}-x" in refused.text
    # NUL, zero-width and right-to-left override characters are dropped before reading.
    typed = "\x00A\u200b-\u202eC, <b>bold</b>"
    added = await client.post(f"/rooms/{room}/beds", _once(label=typed))
    assert added.status_code == 303
    assert await _labels(room) == ["A", "B", "C", "<b>bold</b>"]
    page = await client.get(f"/houses/{house}/edit")
    assert "&lt;b&gt;bold&lt;/b&gt;" in page.text
    assert "<b>bold</b>" not in page.text


async def test_it_adds_once_for_a_double_tap_and_once_for_five_at_the_same_moment(
    client: Client, cast: Cast, app: Any
) -> None:
    _, room = await _room_for_admin(client, cast)
    form = _once(label="A-D")
    first = await client.post(f"/rooms/{room}/beds", form)
    second = await client.post(f"/rooms/{room}/beds", form)
    assert first.status_code == second.status_code == 303
    assert await _labels(room) == ["A", "B", "C", "D"]
    # Five admins (five tokens) sending "E-H" at once: one adds them, four are told why.
    others = [Client(app) for _ in range(4)]
    for other in others:
        await other.force_login(cast.admin)
    try:
        answers = await asyncio.gather(
            *(c.post(f"/rooms/{room}/beds", _once(label="E-H")) for c in (client, *others))
        )
    finally:
        for other in others:
            await other.http.aclose()
    assert sorted(a.status_code for a in answers) == [303, 422, 422, 422, 422]
    for answer in answers:
        if answer.status_code == 422:
            assert "This room already has" in answer.text
    assert await _labels(room) == ["A", "B", "C", "D", "E", "F", "G", "H"]


async def test_it_refuses_without_csrf_and_for_anyone_but_an_admin(
    client: Client, cast: Cast
) -> None:
    room = await make_room(cast.house_b, "Room 9")
    await client.force_login(cast.admin)
    refused = await client.post(f"/rooms/{room}/beds", _once(label="A-D"), csrf=False)
    assert refused.status_code == 403
    await client.force_login(cast.manager_b)  # the house's own manager: not set-up
    assert (await client.post(f"/rooms/{room}/beds", _once(label="A-D"))).status_code == 403
    await client.force_login(cast.manager_a)  # another house's
    assert (await client.post(f"/rooms/{room}/beds", _once(label="A-D"))).status_code == 403
    assert await _labels(room) == []


async def test_it_adds_a_room_in_place_and_refuses_a_duplicate_by_the_field(
    client: Client, cast: Cast
) -> None:
    house = await make_house()
    await make_room(house, "Room 1")
    await client.force_login(cast.admin)
    refused = await client.post(f"/houses/{house}/rooms", _once(label="Room 1"), headers=HTMX)
    assert refused.status_code == 422
    assert '<p class="error" id="f-room-error">' in refused.text
    assert 'value="Room 1"' in refused.text
    assert 'aria-invalid="true" aria-describedby="f-room-error" autofocus>' in refused.text
    assert await Room.count().where(Room.house == house) == 1
    plain = await client.post(f"/houses/{house}/rooms", _once(label="Room 2"))
    assert plain.status_code == 303
    assert plain.headers["location"] == f"/houses/{house}/edit#rooms"
    page = await client.get(f"/houses/{house}/edit")
    assert "Room added: Room 2. Now add its beds." in page.text
