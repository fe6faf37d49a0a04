"""A wrong tap is corrected, never undone in place: an amendment keeps the old status."""

from __future__ import annotations

import pytest

from house.amendments.tables import Amendment
from house.chores.tables import ChoreAssignment
from tests.cast import Cast
from tests.chores.helpers import TODAY, chore_house, with_rotation
from tests.client import Client

pytestmark = pytest.mark.usefixtures("wednesday")
HTMX = {"HX-Request": "true"}


async def _verified_row(client: Client, setup: dict) -> int:
    await with_rotation(setup)
    row = (
        await ChoreAssignment.select(ChoreAssignment.id)
        .where(ChoreAssignment.house == setup["house"], ChoreAssignment.day == TODAY)
        .first()
    )
    assert row is not None
    await client.force_login(setup["manager"])
    await client.post(f"/chore-assignments/{row['id']}/verify", {})
    return int(row["id"])


async def test_it_corrects_a_wrong_verify_with_an_amendment(client: Client) -> None:
    setup = await chore_house(residents=1)
    assignment = await _verified_row(client, setup)
    page = await client.get(f"/houses/{setup['house']}/chores/day")
    assert f'action="/chore-assignments/{assignment}/correct"' in page.text
    answer = await client.post(
        f"/chore-assignments/{assignment}/correct",
        {"status": "missed", "reason": "Tapped the wrong row"},
        headers=HTMX,
    )
    assert answer.status_code == 200
    assert "missed" in answer.text
    row = await ChoreAssignment.select().where(ChoreAssignment.id == assignment).first()
    assert row is not None
    assert (row["status"], row["version"]) == ("missed", 3)
    amendment = (
        await Amendment.select()
        .where(Amendment.table_name == "chore_assignment", Amendment.record_id == assignment)
        .first()
    )
    assert amendment is not None
    assert (
        amendment["field"],
        amendment["old_value"],
        amendment["new_value"],
        amendment["reason"],
        amendment["actor"],
    ) == ("status", "verified", "missed", "Tapped the wrong row", setup["manager"].id)
    # The same correction again (a double submit) changes nothing more.
    again = await client.post(
        f"/chore-assignments/{assignment}/correct",
        {"status": "missed", "reason": "Tapped the wrong row"},
    )
    assert again.status_code == 422
    assert await Amendment.count().where(Amendment.record_id == assignment) == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"status": "missed", "reason": ""}, "Enter why it is corrected."),
        ({"status": "missed", "reason": "r" * 301}, "Use at most 300 characters"),
        ({"status": "pending", "reason": "x"}, "Choose what it should be instead."),
        ({"status": "<b>", "reason": "x"}, "Choose what it should be instead."),
        ({"status": "verified", "reason": "x"}, "Choose what it should be instead."),
    ],
)
async def test_it_answers_a_bad_correction_with_422_and_changes_nothing(
    client: Client, data: dict[str, str], message: str
) -> None:
    setup = await chore_house(residents=1)
    assignment = await _verified_row(client, setup)
    answer = await client.post(f"/chore-assignments/{assignment}/correct", data)
    assert answer.status_code == 422
    assert message in answer.text
    assert "<b>" not in answer.text.split("<main", 1)[1]
    row = await ChoreAssignment.select().where(ChoreAssignment.id == assignment).first()
    assert row is not None
    assert row["status"] == "verified"
    assert await Amendment.count().where(Amendment.record_id == assignment) == 0


async def test_it_refuses_to_correct_an_open_chore_or_another_houses(
    client: Client, cast: Cast
) -> None:
    setup = await chore_house(residents=1)
    await with_rotation(setup)
    row = (
        await ChoreAssignment.select(ChoreAssignment.id)
        .where(ChoreAssignment.house == setup["house"], ChoreAssignment.day == TODAY)
        .first()
    )
    assert row is not None
    await client.force_login(setup["manager"])
    answer = await client.post(
        f"/chore-assignments/{row['id']}/correct", {"status": "missed", "reason": "x"}
    )
    assert answer.status_code == 422
    assert "Only a verified, missed or excused chore is corrected." in answer.text
    await client.force_login(cast.manager_a)
    other = await client.post(
        f"/chore-assignments/{row['id']}/correct", {"status": "missed", "reason": "x"}
    )
    assert other.status_code == 404


async def test_it_shows_why_a_send_back_or_excuse_of_a_checked_chore_is_refused(
    client: Client,
) -> None:
    setup = await chore_house(residents=1)
    assignment = await _verified_row(client, setup)
    back = await client.post(f"/chore-assignments/{assignment}/send-back", {"note": "again"})
    assert back.status_code == 422
    assert "Only a chore marked done can be sent back." in back.text
    excuse = await client.post(f"/chore-assignments/{assignment}/excuse", {"reason": "ill"})
    assert excuse.status_code == 422
    assert "This chore is already verified." in excuse.text
