"""A resident's week: their own chores with "Done", the house chart with preferred names,
nobody else's chore, no later day, no double tap, and constant queries."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from house.chores.tables import ChoreAssignment
from house.lib import clock
from tests.cast import Cast
from tests.chores.helpers import MONDAY, TODAY, chore_house, with_rotation
from tests.client import Client
from tests.factories import make_user

pytestmark = pytest.mark.usefixtures("wednesday")


async def _mine(resident: int) -> list[dict[str, Any]]:
    return list(
        await ChoreAssignment.select()
        .where(ChoreAssignment.resident == resident)
        .order_by(ChoreAssignment.day)
    )


async def test_it_shows_my_chores_and_the_house_chart_and_marks_one_done(
    client: Client,
) -> None:
    setup = await chore_house()
    await with_rotation(setup)
    me = setup["residents"][0]
    await client.force_login(me["person"])
    page = await client.get("/chores")
    assert page.status_code == 200
    mine = await _mine(me["resident"])
    assert mine
    for row in mine:
        assert f'id="mine-{row["id"]}"' in page.text
    # The chart names everyone by preferred name, never by legal name.
    for other in setup["residents"]:
        assert other["name"] in page.text
    assert " Legal" not in page.text
    assert "How to do Kitchen." in page.text or "How to do" in page.text

    todays = [r for r in mine if r["day"] == TODAY]
    later = [r for r in mine if r["day"] > TODAY]
    assert todays or later
    if todays:
        done = await client.post(f"/chores/{todays[0]['id']}/done", {})
        assert done.status_code == 303
        stored = await ChoreAssignment.select().where(ChoreAssignment.id == todays[0]["id"]).first()
        assert stored is not None
        assert (stored["status"], stored["done_at"], stored["version"]) == (
            "done",
            clock.now(),
            2,
        )
        again = await client.post(f"/chores/{todays[0]['id']}/done", {})
        assert again.status_code == 303
        stored = await ChoreAssignment.select().where(ChoreAssignment.id == todays[0]["id"]).first()
        assert stored is not None
        assert stored["version"] == 2
    if later:
        early = await client.post(f"/chores/{later[0]['id']}/done", {})
        assert early.status_code == 422
        assert "mark it done on the day" in early.text
        stored = await ChoreAssignment.select().where(ChoreAssignment.id == later[0]["id"]).first()
        assert stored is not None
        assert stored["status"] == "pending"


async def test_it_answers_someone_elses_chore_with_404(client: Client, cast: Cast) -> None:
    setup = await chore_house()
    await with_rotation(setup)
    me, other = setup["residents"][0], setup["residents"][1]
    theirs = (await _mine(other["resident"]))[0]
    await client.force_login(me["person"])
    assert (await client.post(f"/chores/{theirs['id']}/done", {})).status_code == 404
    assert (await client.post("/chores/2000000000/done", {})).status_code == 404
    await client.force_login(cast.resident_b)
    assert (await client.post(f"/chores/{theirs['id']}/done", {})).status_code == 404
    await client.force_login(setup["manager"])
    assert (await client.post(f"/chores/{theirs['id']}/done", {})).status_code == 403
    await client.force_login(other["person"])
    no_token = await client.post(f"/chores/{theirs['id']}/done", {}, csrf=False)
    assert no_token.status_code == 403
    stored = await ChoreAssignment.select().where(ChoreAssignment.id == theirs["id"]).first()
    assert stored is not None
    assert stored["status"] == "pending"


async def test_it_lets_a_resident_mark_an_earlier_day_of_this_week_but_not_last_week(
    client: Client,
) -> None:
    setup = await chore_house(residents=2, chores=[("Porch", "", 1, "daily", "")])
    last_week = MONDAY - dt.timedelta(weeks=1)
    clock.freeze(dt.datetime(2026, 11, 18, 16, 0, tzinfo=dt.UTC))
    await with_rotation(setup, last_week)
    clock.freeze(dt.datetime(2026, 11, 23, 16, 0, tzinfo=dt.UTC))
    await with_rotation(setup)
    clock.freeze(dt.datetime(2026, 11, 25, 16, 0, tzinfo=dt.UTC))
    me = setup["residents"][0]
    rows = await _mine(me["resident"])
    old = next(r for r in rows if r["day"] < MONDAY)
    earlier = next(r for r in rows if MONDAY <= r["day"] < TODAY)
    await client.force_login(me["person"])
    assert (await client.post(f"/chores/{earlier['id']}/done", {})).status_code == 303
    refused = await client.post(f"/chores/{old['id']}/done", {})
    assert refused.status_code == 422
    assert "That week is over." in refused.text


async def test_it_tells_a_resident_without_a_house_so(client: Client, cast: Cast) -> None:
    # A resident of their own: the cast's are given stays by other tests (the access matrix).
    newcomer = await make_user("resident", [cast.house_a])
    await client.force_login(newcomer)
    page = await client.get("/chores")
    assert page.status_code == 200
    assert "You are not living in a house yet." in page.text


async def test_it_shows_my_week_with_the_same_queries_for_3_or_30_chores(
    client: Client, queries: Any
) -> None:
    small = await chore_house(residents=3, chores=[("Kitchen", "", 1, "weekly", "5")])
    large = await chore_house(residents=3, chores=[(f"C{i}", "", 1, "daily", "") for i in range(5)])
    await with_rotation(small)
    await with_rotation(large)
    await client.force_login(small["residents"][0]["person"])
    await client.get("/chores")
    with queries() as few:
        await client.get("/chores")
    await client.force_login(large["residents"][0]["person"])
    await client.get("/chores")
    with queries() as many:
        page = await client.get("/chores")
    assert page.text.count("<li") > 20
    assert few.count == many.count
