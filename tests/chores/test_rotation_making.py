"""Making a week's rotation from the page: once per house and week (a race has one winner),
again only while nothing is marked, the same for the same seed, only people in the house."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import pytest

from house.beds.placements import services as placements
from house.chores import weeks
from house.chores.rotation import derive_seed
from house.chores.tables import ChoreAssignment, ChoreRotation
from house.lib import clock
from tests.cast import Cast
from tests.chores.helpers import MONDAY, TODAY, chore_house, with_rotation
from tests.client import Client
from tests.factories import make_resident_in

pytestmark = pytest.mark.usefixtures("wednesday")
NEXT_MONDAY = MONDAY + dt.timedelta(weeks=1)


async def _slots(rotation: int) -> list[tuple[int, dt.date, int, str]]:
    rows = await ChoreAssignment.select().where(ChoreAssignment.rotation == rotation)
    return sorted((r["chore"], r["day"], r["resident"], r["status"]) for r in rows)


async def test_it_makes_the_week_from_the_page_once(client: Client) -> None:
    setup = await chore_house()
    await client.force_login(setup["manager"])
    empty = await client.get(f"/houses/{setup['house']}/chores/week?week={NEXT_MONDAY}")
    assert "Make this week's rotation" in empty.text
    made = await client.post(f"/houses/{setup['house']}/chores/week", {"week": str(NEXT_MONDAY)})
    assert made.status_code == 303
    assert made.headers["location"] == f"/houses/{setup['house']}/chores/week?week={NEXT_MONDAY}"
    rotation = await ChoreRotation.select().where(ChoreRotation.house == setup["house"]).first()
    assert rotation is not None
    assert rotation["week_start"] == NEXT_MONDAY
    assert rotation["generated_by"] == setup["manager"].id
    assert rotation["seed"] == derive_seed(setup["house"], NEXT_MONDAY)
    slots = await _slots(rotation["id"])
    # Kitchen every day, bathrooms Mon/Wed/Fri, trash on Thursday.
    assert len(slots) == 7 + 3 + 1
    assert {s[3] for s in slots} == {"pending"}
    weights = {
        r["chore"]: r["weight"]
        for r in await ChoreAssignment.select().where(ChoreAssignment.rotation == rotation["id"])
    }
    assert weights == dict(zip(setup["chores"], (3, 2, 1), strict=True))

    again = await client.post(f"/houses/{setup['house']}/chores/week", {"week": str(NEXT_MONDAY)})
    assert again.status_code == 303
    assert await ChoreRotation.count().where(ChoreRotation.house == setup["house"]) == 1
    assert await _slots(rotation["id"]) == slots
    page = await client.get(f"/houses/{setup['house']}/chores/week?week={NEXT_MONDAY}")
    for r in setup["residents"]:
        assert r["name"] in page.text


async def test_it_makes_the_current_week_from_today_on(client: Client) -> None:
    setup = await chore_house(chores=[("Porch", "", 1, "daily", "")])
    rotation = await with_rotation(setup)
    days = [s[1] for s in await _slots(rotation)]
    assert days == [TODAY + dt.timedelta(days=i) for i in range(5)]


async def test_it_has_one_winner_when_two_make_the_same_week_at_once(app: Any) -> None:
    setup = await chore_house()

    async def make(actor: int | None) -> weeks.Made:
        return await weeks.generate_rotation(
            house_id=setup["house"],
            week_start=NEXT_MONDAY,
            today=TODAY,
            now=clock.now(),
            actor_id=actor,
        )

    results = await asyncio.gather(make(None), make(setup["manager"].id))
    assert len({r.rotation_id for r in results}) == 1
    assert sorted(r.created for r in results) == [False, True]
    assert await ChoreRotation.count().where(ChoreRotation.house == setup["house"]) == 1
    assert await ChoreAssignment.count().where(ChoreAssignment.house == setup["house"]) == 11

    # The same race through the web app: two managers' taps, both land on the week.
    async with Client(app) as one, Client(app) as two:
        await one.force_login(setup["manager"])
        await two.force_login(setup["manager"])
        week = str(NEXT_MONDAY + dt.timedelta(weeks=1))
        answers = await asyncio.gather(
            one.post(f"/houses/{setup['house']}/chores/week", {"week": week}),
            two.post(f"/houses/{setup['house']}/chores/week", {"week": week}),
        )
    assert [a.status_code for a in answers] == [303, 303]
    assert await ChoreRotation.count().where(ChoreRotation.house == setup["house"]) == 2


async def test_it_makes_a_week_again_only_while_nothing_is_marked(client: Client) -> None:
    setup = await chore_house()
    await client.force_login(setup["manager"])
    url = f"/houses/{setup['house']}/chores/week"
    await client.post(url, {"week": str(MONDAY)})
    rotation = await ChoreRotation.select().where(ChoreRotation.house == setup["house"]).first()
    assert rotation is not None
    before = await _slots(rotation["id"])
    page = await client.get(url)
    assert "Make this week again" in page.text

    # A new resident moves in: making the week again includes them, with the same seed.
    newcomer = await make_resident_in(
        setup["house"], setup["manager"].id, preferred_name="Newcomer", admitted_on=TODAY
    )
    again = await client.post(url, {"week": str(MONDAY), "regenerate": "yes"})
    assert again.status_code == 303
    after = await _slots(rotation["id"])
    assert len(after) == len(before)
    assert newcomer["resident"] in {s[2] for s in after}
    stored = await ChoreRotation.select().where(ChoreRotation.id == rotation["id"]).first()
    assert stored is not None
    assert stored["seed"] == rotation["seed"]

    first = (
        await ChoreAssignment.select()
        .where(ChoreAssignment.rotation == rotation["id"], ChoreAssignment.day == TODAY)
        .first()
    )
    assert first is not None
    await client.post(f"/chore-assignments/{first['id']}/verify", {})
    refused = await client.post(url, {"week": str(MONDAY), "regenerate": "yes"})
    assert refused.status_code == 422
    assert "cannot be made again" in refused.text
    assert "Make this week again" not in (await client.get(url)).text
    assert await _slots(rotation["id"]) == sorted(
        (s[0], s[1], s[2], "verified" if (s[0], s[1]) == (first["chore"], TODAY) else s[3])
        for s in after
    )


async def test_it_gives_the_same_rotation_for_the_same_week_and_seed() -> None:
    setup = await chore_house(residents=5)
    made = await weeks.generate_rotation(
        house_id=setup["house"], week_start=NEXT_MONDAY, today=TODAY, now=clock.now(), seed=42
    )
    first = await _slots(made.rotation_id)
    await weeks.generate_rotation(
        house_id=setup["house"],
        week_start=NEXT_MONDAY,
        today=TODAY,
        now=clock.now(),
        regenerate=True,
    )
    assert await _slots(made.rotation_id) == first
    await weeks.generate_rotation(
        house_id=setup["house"],
        week_start=NEXT_MONDAY,
        today=TODAY,
        now=clock.now(),
        seed=43,
        regenerate=True,
    )
    other = await _slots(made.rotation_id)
    assert sorted((s[0], s[1]) for s in other) == sorted((s[0], s[1]) for s in first)
    assert other != first


async def test_it_gives_chores_only_to_people_in_the_house_that_day() -> None:
    setup = await chore_house(residents=2, chores=[("Porch", "", 1, "daily", "")])
    later = await make_resident_in(
        setup["house"],
        setup["manager"].id,
        preferred_name="Later",
        admitted_on=NEXT_MONDAY + dt.timedelta(days=3),
    )
    leaving = setup["residents"][1]
    await placements.exit_stay(
        actor_id=setup["manager"].id,
        stay_id=leaving["stay"],
        on=TODAY + dt.timedelta(days=1),
        reason="completed",
        note="",
        today=TODAY,
        now=clock.now(),
    )
    made = await weeks.generate_rotation(
        house_id=setup["house"], week_start=NEXT_MONDAY, today=TODAY, now=clock.now()
    )
    slots = await _slots(made.rotation_id)
    assert len(slots) == 7
    assert leaving["resident"] not in {s[2] for s in slots}
    assert {s[1] for s in slots if s[2] == later["resident"]} <= {
        NEXT_MONDAY + dt.timedelta(days=i) for i in range(3, 7)
    }
    assert {s[1] for s in slots if s[2] == later["resident"]}


async def test_it_leaves_out_a_deactivated_chore(client: Client) -> None:
    setup = await chore_house()
    await client.force_login(setup["manager"])
    off = await client.post(f"/houses/{setup['house']}/chores/{setup['chores'][0]}/deactivate", {})
    assert off.status_code == 303
    made = await weeks.generate_rotation(
        house_id=setup["house"], week_start=NEXT_MONDAY, today=TODAY, now=clock.now()
    )
    assert setup["chores"][0] not in {s[0] for s in await _slots(made.rotation_id)}


@pytest.mark.parametrize(
    ("week", "message"),
    [
        ("", "Reload the page: the week is missing."),
        ("next week", "Reload the page: the week is missing."),
        ("2026-02-30", "Reload the page: the week is missing."),
        ("<script>x</script>", "Reload the page: the week is missing."),
        ("2026-11-16", "That week is over"),
        ("2027-06-07", "at most 4 weeks ahead"),
    ],
)
async def test_it_answers_a_bad_week_with_422_and_makes_nothing(
    client: Client, week: str, message: str
) -> None:
    setup = await chore_house(residents=1)
    await client.force_login(setup["manager"])
    response = await client.post(f"/houses/{setup['house']}/chores/week", {"week": week})
    assert response.status_code == 422
    assert message in response.text
    assert "<script>x</script>" not in response.text
    assert await ChoreRotation.count().where(ChoreRotation.house == setup["house"]) == 0


async def test_it_answers_another_house_with_404_and_no_csrf_with_403(
    client: Client, cast: Cast
) -> None:
    setup = await chore_house(residents=1)
    await client.force_login(cast.manager_b)
    url = f"/houses/{setup['house']}/chores/week"
    assert (await client.post(url, {"week": str(MONDAY)})).status_code == 404
    await client.force_login(setup["manager"])
    assert (await client.post(url, {"week": str(MONDAY)}, csrf=False)).status_code == 403
    assert await ChoreRotation.count().where(ChoreRotation.house == setup["house"]) == 0
