"""A discharge takes the person out of the house's future, and leaves their past alone.

Dev leaves on Wednesday (the exit day is their first day away). Every place that lists the
house's current residents is checked: from Wednesday on Dev is on none of them; Monday and
Tuesday still show Dev where they showed Dev before.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pytest

from house.beds import services as beds
from house.beds.placements import services as placements
from house.chores import services as chores
from house.chores import weeks
from house.chores.tables import ChoreAssignment
from house.cm import ledger
from house.db import write_transaction
from house.home import services as home
from house.houses.tables import House
from house.lib import clock
from house.meetings import roll
from house.meetings import services as meetings
from house.meetings.outside import services as outside
from house.residents import alerts as resident_alerts
from house.rules import services as house_rules
from house.screens import queries as screens
from house.screens.random import services as random_screens
from house.screens.tables import DrawSelection
from tests.chores.helpers import MONDAY, TODAY, WEDNESDAY, chore_house, with_rotation
from tests.client import Client
from tests.factories import make_house_meeting

pytestmark = pytest.mark.usefixtures("wednesday")
TOMORROW = TODAY + dt.timedelta(days=1)
SUNDAY = MONDAY + dt.timedelta(days=6)
NEXT_MONDAY = MONDAY + dt.timedelta(weeks=1)


@pytest.fixture
def wednesday() -> Any:
    clock.freeze(WEDNESDAY)
    yield
    clock.freeze(None)


async def _house_with_dev() -> dict[str, Any]:
    """Three residents (the first is Dev), chores this week and next, random screens on for
    everyone, Dev drawn for Monday (screened... or not: still selected) and for tomorrow."""
    setup = await chore_house(residents=3)
    async with write_transaction():
        await House.update(
            {
                House.random_enabled: True,
                House.random_rate: 100,
                House.random_rate_kind: "share",
                House.random_weekly_cap: 7,
                House.random_exclusion_hours: 0,
                House.cm_schedule: "vouchers",
            }
        ).where(House.id == setup["house"])
    setup["week"] = await with_rotation(setup)
    setup["next_week"] = await with_rotation(setup, NEXT_MONDAY)
    now = clock.now()
    for day in (MONDAY, TOMORROW):
        await random_screens.draw_for_day(house_id=setup["house"], day=day, now=now, by=None)
    setup["past_meeting"] = await make_house_meeting(
        setup["house"], starts_at=WEDNESDAY - dt.timedelta(days=2)
    )
    setup["tonight"] = await make_house_meeting(
        setup["house"], starts_at=WEDNESDAY + dt.timedelta(hours=8)
    )
    setup["next_meeting"] = await make_house_meeting(
        setup["house"], starts_at=WEDNESDAY + dt.timedelta(days=1)
    )
    rows = [{"number": 1, "text": "Be kind.", "category": "", "consequence": ""}]
    await house_rules.publish(
        actor_id=setup["manager"].id, house_id=setup["house"], rules=rows, note="", now=now
    )
    setup["dev"] = dev = setup["residents"][0]
    # Dev has tomorrow's kitchen whatever the draw (the example).
    await ChoreAssignment.update(
        {ChoreAssignment.resident: dev["resident"], ChoreAssignment.stay: dev["stay"]}
    ).where(
        ChoreAssignment.rotation == setup["week"],
        ChoreAssignment.day == TOMORROW,
        ChoreAssignment.chore == setup["chores"][0],
    )
    # Dev did Monday's kitchen (before the rotation was made from Wednesday on): history.
    await ChoreAssignment.insert(
        ChoreAssignment(
            rotation=setup["week"],
            house=setup["house"],
            chore=setup["chores"][0],
            resident=dev["resident"],
            stay=dev["stay"],
            day=MONDAY,
            weight=3,
            status="done",
        )
    )
    return setup


async def _exit_dev(setup: dict[str, Any], on: dt.date = TODAY) -> None:
    await placements.exit_stay(
        actor_id=setup["manager"].id,
        stay_id=setup["dev"]["stay"],
        on=on,
        reason="discharged_violation",
        note="",
        today=TODAY,
        now=clock.now(),
    )


async def _assignments(house: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = await ChoreAssignment.select().where(
        ChoreAssignment.house == house
    )
    return rows


async def test_the_chores_from_the_exit_day_go_to_the_others_fairly() -> None:
    setup = await _house_with_dev()
    dev = setup["dev"]["resident"]
    before = await _assignments(setup["house"])
    past_before = sorted((r["id"], r["resident"]) for r in before if r["day"] < TODAY)
    devs_future = [r for r in before if r["resident"] == dev and r["day"] >= TODAY]
    assert devs_future, "the rotation gave Dev chores this week and next"

    await _exit_dev(setup)

    after = await _assignments(setup["house"])
    assert len(after) == len(before)  # given on, none deleted
    assert sorted((r["id"], r["resident"]) for r in after if r["day"] < TODAY) == past_before
    assert [r for r in after if r["resident"] == dev and r["day"] >= TODAY] == []
    others = {r["resident"] for r in setup["residents"][1:]}
    stay_of = {r["resident"]: r["stay"] for r in setup["residents"]}
    for row in after:
        if row["day"] >= TODAY:
            assert row["resident"] in others
            assert row["stay"] == stay_of[row["resident"]]
            assert row["status"] == "pending"
    # Fair: on every day from Wednesday on, the two left share the chores within one.
    for day in {r["day"] for r in after if r["day"] >= TODAY}:
        per = Counter(r["resident"] for r in after if r["day"] == day)
        assert abs(per[min(others)] - per[max(others)]) <= 1, day
    # What the pages list: the day, the week grid, a week made again.
    for day in (TODAY, TOMORROW, SUNDAY, NEXT_MONDAY):
        assert setup["dev"]["name"] not in repr(await chores.day_list(setup["house"], day))
    assert setup["dev"]["name"] in repr(await chores.day_list(setup["house"], MONDAY))
    grid = repr(await chores.week_grid(setup["house"], NEXT_MONDAY))
    assert setup["dev"]["name"] not in grid
    _chores, residents, _last = await weeks.rotation_inputs(setup["house"], NEXT_MONDAY)
    assert dev not in {r.id for r in residents}


async def test_a_chore_nobody_else_can_take_is_excused_not_deleted() -> None:
    setup = await chore_house(residents=1)
    rotation = await with_rotation(setup)
    setup["dev"] = setup["residents"][0]
    count = len(await _assignments(setup["house"]))
    await _exit_dev(setup)
    rows = await ChoreAssignment.select().where(ChoreAssignment.rotation == rotation)
    assert len(rows) == count
    for row in rows:
        assert row["status"] == ("excused" if row["day"] >= TODAY else "pending")


async def test_an_exit_recorded_late_excuses_the_days_gone_and_hands_on_the_rest() -> None:
    """Dev left on Monday and it is recorded on Wednesday: Monday's and Tuesday's open chores
    of Dev are excused (nobody can do them now), Wednesday's on go to the others."""
    setup = await chore_house(residents=3, admitted_on=MONDAY - dt.timedelta(days=30))
    setup["dev"] = dev = setup["residents"][0]
    rotation = await with_rotation(setup)
    past = []
    for day in (MONDAY, MONDAY + dt.timedelta(days=1)):
        rows = await ChoreAssignment.insert(
            ChoreAssignment(
                rotation=rotation,
                house=setup["house"],
                chore=setup["chores"][0],
                resident=dev["resident"],
                stay=dev["stay"],
                day=day,
                weight=3,
                status="pending",
            )
        ).returning(ChoreAssignment.id)
        past.append(rows[0]["id"])
    await _exit_dev(setup, on=MONDAY)
    rows = await ChoreAssignment.select().where(ChoreAssignment.rotation == rotation)
    for row in rows:
        if row["id"] in past:
            assert (row["resident"], row["status"]) == (dev["resident"], "excused")
            assert "stay ended on 23 Nov 2026" in row["note"]
        else:
            assert row["resident"] != dev["resident"]
            assert row["status"] == "pending"


async def test_random_draws_leave_the_person_out_from_the_exit_day() -> None:
    setup = await _house_with_dev()
    dev = setup["dev"]
    await _exit_dev(setup)
    selections = {
        r["day"]: r for r in await DrawSelection.select().where(DrawSelection.stay == dev["stay"])
    }
    # Monday's selection is history: untouched. Tomorrow's is withdrawn, with why.
    assert selections[MONDAY]["status"] == "selected"
    assert selections[TOMORROW]["status"] == "excused"
    assert "stay ended" in selections[TOMORROW]["excuse_reason"]
    house = await House.select().where(House.id == setup["house"]).first()
    now = clock.now()
    for day in (TODAY, TOMORROW + dt.timedelta(days=1)):
        result, stay_of, current = await random_screens.eligibility_on(house, day, now)
        assert dev["resident"] not in stay_of
        assert dev["resident"] not in result.eligible
        assert current == 2
    # A draw for a day before the exit still counts Dev (redrawing the past stays true).
    result, stay_of, current = await random_screens.eligibility_on(house, MONDAY, now)
    assert dev["resident"] in stay_of
    assert current == 3


async def test_roll_calls_after_the_exit_leave_the_person_out() -> None:
    setup = await _house_with_dev()
    await _exit_dev(setup)
    name = setup["dev"]["name"]
    later = await meetings.get_meeting(setup["next_meeting"])
    earlier = await meetings.get_meeting(setup["past_meeting"])
    assert later is not None
    assert earlier is not None
    tonight = await meetings.get_meeting(setup["tonight"])
    assert later is not None
    assert tonight is not None
    # The exit day is the first day away: not on tonight's roll, nor on later ones.
    assert name not in [r["name"] for r in await roll.roll_call(tonight)]
    assert name not in [r["name"] for r in await roll.roll_call(later)]
    assert name in [r["name"] for r in await roll.roll_call(earlier)]


async def test_no_current_list_shows_the_person_after_the_exit() -> None:
    setup = await _house_with_dev()
    name = setup["dev"]["name"]
    house = await House.select().where(House.id == setup["house"]).first()
    assert house is not None

    async def lists() -> dict[str, str]:
        now = clock.now()
        return {
            "screens today": repr(await screens.screens_today(house, TODAY)),
            "screen form residents": repr(await screens.current_residents(house["id"])),
            "outside meetings week": repr(await outside.house_week(house, MONDAY)),
            "rules signing": repr(await house_rules.signing_status(house["id"], None)),
            "board": repr(await beds.board(house["id"])),
            "cm ledgers": repr(await ledger.house_overview(house["id"])),
            "chores tomorrow": repr(await chores.day_list(house["id"], TOMORROW)),
            "home counts": repr(await home.round_counts([house], now)),
            "alerts (behind, milestones)": repr(await resident_alerts.active_stays([house["id"]])),
        }

    before = await lists()
    for place, text in before.items():
        if place != "home counts":
            assert name in text, place
    await _exit_dev(setup)
    after = await lists()
    for place, text in after.items():
        assert name not in text, place
    # Today's chores still need doing: they were given on, so the count stays.
    assert after["home counts"] == before["home counts"]


async def test_every_page_that_lists_residents_leaves_the_person_out(client: Client) -> None:
    """Each page a manager reads, as the manager reads it (the page, not its query)."""
    setup = await _house_with_dev()
    house = setup["house"]
    name = setup["dev"]["name"]
    future = {
        "residents list, living here": "/residents",
        "board": f"/houses/{house}/board",
        "screens today": f"/houses/{house}/screens",
        "chores tomorrow": f"/houses/{house}/chores/day?day={TOMORROW}",
        "chores next week": f"/houses/{house}/chores/week?week={NEXT_MONDAY}",
        # (Tomorrow's roll call is not shown before its day; the roll it will show is
        # checked in test_roll_calls_after_the_exit_leave_the_person_out.)
        "outside meetings week": f"/houses/{house}/meetings/week",
        "rules signing": f"/houses/{house}/rules",
        "cm ledgers": f"/houses/{house}/cm",
    }
    past = {
        "chores Monday": f"/houses/{house}/chores/day?day={MONDAY}",
        "chores this week": f"/houses/{house}/chores/week?week={MONDAY}",
        "roll call Monday": f"/meetings/{setup['past_meeting']}/roll",
    }
    await client.force_login(setup["manager"])
    for place, url in {**future, **past}.items():
        page = await client.get(url)
        assert page.status_code == 200, place
        assert name in page.text, f"{place} before the exit"
    await _exit_dev(setup)
    for place, url in future.items():
        page = await client.get(url)
        assert page.status_code == 200, place
        if url == "/residents":  # they move to Past residents, findable after they leave
            now, _, then = page.text.partition('<h2 id="past">')
            assert name not in now, place
            assert name in then, place
            continue
        assert name not in page.text, f"{place} after the exit"
    for place, url in past.items():
        page = await client.get(url)
        assert name in page.text, f"{place} keeps its history"
