"""A manager swaps two pending assignments of one week: both change in one transaction."""

from __future__ import annotations

import datetime as dt

import pytest

from house.audit.tables import AuditEvent
from house.chores.tables import ChoreAssignment
from tests.cast import Cast
from tests.chores.helpers import MONDAY, TODAY, chore_house, with_rotation
from tests.client import Client

pytestmark = pytest.mark.usefixtures("wednesday")


async def _two_of_different_residents(house: int, after: dt.date = TODAY) -> list[dict]:
    rows = (
        await ChoreAssignment.select()
        .where(ChoreAssignment.house == house, ChoreAssignment.day >= after)
        .order_by(ChoreAssignment.id)
    )
    first = rows[0]
    second = next(r for r in rows if r["resident"] != first["resident"])
    return [first, second]


async def test_it_swaps_two_residents(client: Client) -> None:
    setup = await chore_house()
    await with_rotation(setup)
    a, b = await _two_of_different_residents(setup["house"])
    await client.force_login(setup["manager"])
    page = await client.get(f"/houses/{setup['house']}/chores/week")
    assert 'id="swap"' in page.text
    response = await client.post(
        f"/houses/{setup['house']}/chores/swap",
        {"week": str(MONDAY), "first": str(a["id"]), "second": str(b["id"])},
    )
    assert response.status_code == 303
    stored = {
        r["id"]: r
        for r in await ChoreAssignment.select().where(ChoreAssignment.id.is_in([a["id"], b["id"]]))
    }
    assert (stored[a["id"]]["resident"], stored[a["id"]]["stay"]) == (b["resident"], b["stay"])
    assert (stored[b["id"]]["resident"], stored[b["id"]]["stay"]) == (a["resident"], a["stay"])
    assert stored[a["id"]]["version"] == stored[b["id"]]["version"] == 2
    assert await AuditEvent.exists().where(
        AuditEvent.action == "chore_swapped", AuditEvent.record == f"chore_assignment:{a['id']}"
    )


async def test_it_refuses_a_swap_of_a_checked_or_past_chore_and_changes_neither(
    client: Client,
) -> None:
    setup = await chore_house(residents=2, chores=[("Porch", "", 1, "daily", "")])
    await with_rotation(setup)
    a, b = await _two_of_different_residents(setup["house"])
    await client.force_login(setup["manager"])
    await client.post(f"/chore-assignments/{a['id']}/verify", {})
    url = f"/houses/{setup['house']}/chores/swap"
    refused = await client.post(
        url, {"week": str(MONDAY), "first": str(a["id"]), "second": str(b["id"])}
    )
    assert refused.status_code == 422
    assert "Only chores still pending can be swapped." in refused.text
    same = await client.post(
        url, {"week": str(MONDAY), "first": str(b["id"]), "second": str(b["id"])}
    )
    assert same.status_code == 422
    assert "Choose two different chores." in same.text
    for bad in ("", "x", "-1", "9" * 30, "<b>1</b>"):
        answer = await client.post(url, {"week": str(MONDAY), "first": bad, "second": str(b["id"])})
        assert answer.status_code == 422, bad
        assert "Choose a chore from the list." in answer.text
    stored = await ChoreAssignment.select().where(ChoreAssignment.id == b["id"]).first()
    assert stored is not None
    assert (stored["resident"], stored["version"]) == (b["resident"], 1)


async def test_it_answers_another_houses_assignment_in_a_swap_with_404(
    client: Client, cast: Cast
) -> None:
    mine = await chore_house(residents=2)
    theirs = await chore_house(residents=2)
    await with_rotation(mine)
    await with_rotation(theirs)
    a, _ = await _two_of_different_residents(mine["house"])
    x, _ = await _two_of_different_residents(theirs["house"])
    await client.force_login(mine["manager"])
    response = await client.post(
        f"/houses/{mine['house']}/chores/swap",
        {"week": str(MONDAY), "first": str(a["id"]), "second": str(x["id"])},
    )
    assert response.status_code == 404
    stored = await ChoreAssignment.select().where(ChoreAssignment.id == x["id"]).first()
    assert stored is not None
    assert stored["resident"] == x["resident"]
