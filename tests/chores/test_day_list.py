"""The manager's day list: one tap verifies a row (htmx row swap, or a plain form), a second
tap changes nothing, send back and excuse need a note, and the page's queries stay constant."""

from __future__ import annotations

from typing import Any

import pytest

from house.audit.tables import AuditEvent
from house.chores.tables import ChoreAssignment
from house.lib import clock
from tests.cast import Cast
from tests.chores.helpers import TODAY, chore_house, with_rotation
from tests.client import Client

HTMX = {"HX-Request": "true"}
pytestmark = pytest.mark.usefixtures("wednesday")


async def _today_rows(house: int) -> list[dict[str, Any]]:
    return list(
        await ChoreAssignment.select()
        .where(ChoreAssignment.house == house, ChoreAssignment.day == TODAY)
        .order_by(ChoreAssignment.id)
    )


async def test_it_verifies_a_row_with_one_tap_and_swaps_only_that_row(client: Client) -> None:
    setup = await chore_house()
    await with_rotation(setup)
    rows = await _today_rows(setup["house"])
    assert len(rows) == 2  # Kitchen (daily) and Bathrooms (Mon, Wed, Fri)
    await client.force_login(setup["manager"])
    page = await client.get(f"/houses/{setup['house']}/chores/day")
    assert page.status_code == 200
    first = rows[0]["id"]
    assert f'hx-post="/chore-assignments/{first}/verify"' in page.text
    assert "2</strong> of 2 still to check" in page.text

    tapped = await client.post(f"/chore-assignments/{first}/verify", {}, headers=HTMX)
    assert tapped.status_code == 200
    assert tapped.text.lstrip().startswith(f'<li id="assignment-{first}"')
    assert "<html" not in tapped.text
    assert "verified" in tapped.text
    assert "by Mia Chores" in tapped.text
    # The day's count comes along, out of band.
    assert 'id="day-summary" hx-swap-oob="true"><strong>1</strong> of 2' in tapped.text
    stored = await ChoreAssignment.select().where(ChoreAssignment.id == first).first()
    assert stored is not None
    assert (stored["status"], stored["version"], stored["checked_by"]) == (
        "verified",
        2,
        setup["manager"].id,
    )
    assert stored["checked_at"] == clock.now()
    assert await AuditEvent.exists().where(
        AuditEvent.action == "chore_verified", AuditEvent.record == f"chore_assignment:{first}"
    )
    page = await client.get(f"/houses/{setup['house']}/chores/day")
    assert "1</strong> of 2 still to check" in page.text


async def test_it_verifies_without_script_by_post_redirect_get(client: Client) -> None:
    setup = await chore_house()
    await with_rotation(setup)
    row = (await _today_rows(setup["house"]))[0]
    await client.force_login(setup["manager"])
    response = await client.post(f"/chore-assignments/{row['id']}/verify", {})
    assert response.status_code == 303
    assert response.headers["location"] == f"/houses/{setup['house']}/chores/day?day={TODAY}"
    stored = await ChoreAssignment.select().where(ChoreAssignment.id == row["id"]).first()
    assert stored is not None
    assert stored["status"] == "verified"


async def test_it_applies_a_double_tap_once(client: Client) -> None:
    setup = await chore_house()
    await with_rotation(setup)
    row = (await _today_rows(setup["house"]))[0]
    await client.force_login(setup["manager"])
    first = await client.post(f"/chore-assignments/{row['id']}/verify", {}, headers=HTMX)
    second = await client.post(f"/chore-assignments/{row['id']}/verify", {}, headers=HTMX)
    assert first.status_code == 200
    assert second.status_code == 409
    assert "already checked" in second.text
    assert second.text.lstrip().startswith(f'<li id="assignment-{row["id"]}"')
    plain = await client.post(f"/chore-assignments/{row['id']}/verify", {})
    assert plain.status_code == 303
    stored = await ChoreAssignment.select().where(ChoreAssignment.id == row["id"]).first()
    assert stored is not None
    assert stored["version"] == 2
    assert (
        await AuditEvent.count().where(
            AuditEvent.action == "chore_verified",
            AuditEvent.record == f"chore_assignment:{row['id']}",
        )
        == 1
    )


async def test_it_sends_back_a_done_chore_with_a_note_and_excuses_with_a_reason(
    client: Client, app: Any
) -> None:
    setup = await chore_house()
    await with_rotation(setup)
    kitchen, bathrooms = await _today_rows(setup["house"])
    resident = next(r for r in setup["residents"] if r["resident"] == kitchen["resident"])
    async with Client(app) as phone:
        await phone.force_login(resident["person"])
        assert (await phone.post(f"/chores/{kitchen['id']}/done", {})).status_code == 303
    await client.force_login(setup["manager"])

    empty = await client.post(f"/chore-assignments/{kitchen['id']}/send-back", {"note": "  "})
    assert empty.status_code == 422
    assert "Enter what is left to do." in empty.text
    assert f'id="f-note-{kitchen["id"]}"' in empty.text
    sent = await client.post(
        f"/chore-assignments/{kitchen['id']}/send-back",
        {"note": "Floor still sticky"},
        headers=HTMX,
    )
    assert sent.status_code == 200
    assert "sent back" in sent.text
    assert "Floor still sticky" in sent.text

    no_reason = await client.post(
        f"/chore-assignments/{bathrooms['id']}/excuse", {"reason": ""}, headers=HTMX
    )
    assert no_reason.status_code == 422
    assert "Enter a reason." in no_reason.text
    assert no_reason.text.lstrip().startswith(f'<li id="assignment-{bathrooms["id"]}"')
    excused = await client.post(
        f"/chore-assignments/{bathrooms['id']}/excuse", {"reason": "At the clinic all day"}
    )
    assert excused.status_code == 303
    stored = {
        r["id"]: r
        for r in await ChoreAssignment.select().where(
            ChoreAssignment.id.is_in([kitchen["id"], bathrooms["id"]])
        )
    }
    assert (stored[kitchen["id"]]["status"], stored[kitchen["id"]]["note"]) == (
        "sent_back",
        "Floor still sticky",
    )
    assert stored[kitchen["id"]]["done_at"] == clock.now()
    assert (stored[bathrooms["id"]]["status"], stored[bathrooms["id"]]["note"]) == (
        "excused",
        "At the clinic all day",
    )
    # A sent-back chore is ticked again with one tap once it is redone.
    again = await client.post(f"/chore-assignments/{kitchen['id']}/verify", {}, headers=HTMX)
    assert again.status_code == 200
    assert "verified" in again.text


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("reason", "", "Enter a reason."),
        ("reason", "x" * 301, "Use at most 300 characters"),
        ("reason", ["a", "b"], None),
    ],
)
async def test_it_answers_a_bad_excuse_with_422_and_keeps_the_row(
    client: Client, field: str, value: Any, message: str | None
) -> None:
    setup = await chore_house(residents=1)
    await with_rotation(setup)
    row = (await _today_rows(setup["house"]))[0]
    await client.force_login(setup["manager"])
    data = [(field, v) for v in value] if isinstance(value, list) else [(field, value)]
    response = await client.post(f"/chore-assignments/{row['id']}/excuse", data)
    if message is None:
        # Two values for one field: the first is read, as a browser never sends two.
        assert response.status_code == 303
        return
    assert response.status_code == 422
    assert message in response.text
    stored = await ChoreAssignment.select().where(ChoreAssignment.id == row["id"]).first()
    assert stored is not None
    assert (stored["status"], stored["version"]) == ("pending", 1)


async def test_it_escapes_markup_in_an_excuse_and_keeps_it_as_typed(client: Client) -> None:
    setup = await chore_house(residents=1)
    await with_rotation(setup)
    row = (await _today_rows(setup["house"]))[0]
    await client.force_login(setup["manager"])
    too_long = "<script>alert(1)</script>" + "y" * 300
    answer = await client.post(f"/chore-assignments/{row['id']}/excuse", {"reason": too_long})
    assert answer.status_code == 422
    assert "<script>alert(1)</script>" not in answer.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in answer.text
    await client.post(f"/chore-assignments/{row['id']}/excuse", {"reason": "<b>sick</b>"})
    page = await client.get(f"/houses/{setup['house']}/chores/day")
    assert "<b>sick</b>" not in page.text
    assert "&lt;b&gt;sick&lt;/b&gt;" in page.text


async def test_it_refuses_to_verify_a_later_day(client: Client) -> None:
    setup = await chore_house(residents=1)
    await with_rotation(setup)
    later = (
        await ChoreAssignment.select()
        .where(ChoreAssignment.house == setup["house"], ChoreAssignment.day > TODAY)
        .first()
    )
    assert later is not None
    await client.force_login(setup["manager"])
    response = await client.post(f"/chore-assignments/{later['id']}/verify", {})
    assert response.status_code == 422
    assert "This chore is for a later day." in response.text
    page = await client.get(f"/houses/{setup['house']}/chores/day?day={later['day']}")
    assert f'action="/chore-assignments/{later["id"]}/verify"' not in page.text


async def test_it_answers_another_houses_assignment_and_a_missing_csrf(
    client: Client, cast: Cast
) -> None:
    setup = await chore_house(residents=1)
    await with_rotation(setup)
    row = (await _today_rows(setup["house"]))[0]
    await client.force_login(cast.manager_a)
    for action in ("verify", "send-back", "excuse"):
        response = await client.post(f"/chore-assignments/{row['id']}/{action}", {"note": "x"})
        assert response.status_code == 404, action
    await client.force_login(setup["manager"])
    no_token = await client.post(f"/chore-assignments/{row['id']}/verify", {}, csrf=False)
    assert no_token.status_code == 403
    stored = await ChoreAssignment.select().where(ChoreAssignment.id == row["id"]).first()
    assert stored is not None
    assert stored["status"] == "pending"


async def test_it_shows_a_bad_day_as_today_with_a_note(client: Client) -> None:
    setup = await chore_house(residents=1)
    await client.force_login(setup["manager"])
    for raw in ("2026-02-30", "<script>", "x" * 500):
        page = await client.get(f"/houses/{setup['house']}/chores/day", params={"day": raw})
        assert page.status_code == 200
        assert "That is not a date: showing today." in page.text
        assert "<script>" not in page.text.split("<main", 1)[1]


async def test_it_lists_the_day_with_the_same_queries_for_3_or_30_rows(
    client: Client, queries: Any
) -> None:
    small = await chore_house(residents=3, chores=[("Kitchen", "", 1, "daily", "")] * 3)
    large = await chore_house(
        residents=30, chores=[(f"C{i}", "", 1, "daily", "") for i in range(30)]
    )
    await with_rotation(small)
    await with_rotation(large)
    assert len(await _today_rows(small["house"])) == 3
    assert len(await _today_rows(large["house"])) == 30
    await client.force_login(small["manager"])
    await client.get(f"/houses/{small['house']}/chores/day")
    with queries() as few:
        await client.get(f"/houses/{small['house']}/chores/day")
    await client.force_login(large["manager"])
    await client.get(f"/houses/{large['house']}/chores/day")
    with queries() as many:
        page = await client.get(f"/houses/{large['house']}/chores/day")
    assert page.text.count('class="chore-row') == 30
    assert few.count == many.count
