"""The time-based rules of the sweep: each raises its alert once (a second sweep raises
nothing), stays quiet when it should, and follows its house setting. Times are house local
(America/Chicago), including across the fall-back day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from house.alerts import services as alerts
from house.alerts.tables import Alert
from house.beds.tables import Bed
from house.chores.tables import ChoreAssignment
from house.db import write_transaction
from house.houses.tables import House
from house.lib import clock
from house.meetings.tables import Attendance
from house.residents.tables import Resident
from house.rules import services as house_rules
from house.rules.tables import RuleSet
from house.screens.tables import DrawSelection, RandomDraw
from tests.alerts.sweep_setup import MONDAY, TODAY, WEDNESDAY, alert_house, alerts_of, at
from tests.chores.helpers import chore_house, with_rotation
from tests.factories import (
    make_bed,
    make_house_meeting,
    make_outside_meeting,
    make_room,
    make_stay,
)

# 2026-11-01 is the fall-back Sunday in Chicago: 02:00 CDT (07:00 UTC) becomes 01:00 CST.
FALL_BACK = dt.date(2026, 11, 1)


@pytest.fixture(autouse=True)
def wednesday() -> Iterator[None]:
    clock.freeze(WEDNESDAY)
    yield
    clock.freeze(None)


async def _keys(house_id: int, kind: str) -> list[str]:
    return [a["key"] for a in await alerts_of(house_id, kind)]


async def _sweep_twice(house_id: int, kind: str) -> list[str]:
    await alerts.sweep(clock.now())
    first = await _keys(house_id, kind)
    await alerts.sweep(clock.now())
    assert await _keys(house_id, kind) == first  # a second sweep raises nothing new
    return first


# Chores ------------------------------------------------------------------------------------


async def _mark(house: int, resident: int, status: str, count: int, **extra: Any) -> list[int]:
    rows = await ChoreAssignment.select(ChoreAssignment.id).where(
        ChoreAssignment.house == house,
        ChoreAssignment.resident == resident,
        ChoreAssignment.status == "pending",
    )
    ids = [r["id"] for r in rows][:count]
    assert len(ids) == count
    await ChoreAssignment.update({ChoreAssignment.status: status, **extra}).where(
        ChoreAssignment.id.is_in(ids)
    )
    return ids


async def test_it_alerts_once_when_missed_chores_reach_the_houses_threshold() -> None:
    setup = await chore_house(residents=2)
    await with_rotation(setup)
    first, second = (r["resident"] for r in setup["residents"])
    await _mark(setup["house"], first, "missed", 1)
    assert await _sweep_twice(setup["house"], "chores_missed") == []
    await _mark(setup["house"], first, "missed", 2)
    await _mark(setup["house"], second, "missed", 1)
    assert await _sweep_twice(setup["house"], "chores_missed") == [
        f"chores_missed:resident:{first}:{MONDAY}"
    ]
    await House.update({House.alert_chores_missed: 1}).where(House.id == setup["house"])
    assert len(await _sweep_twice(setup["house"], "chores_missed")) == 2


async def test_it_alerts_once_for_a_chore_done_and_not_verified_for_a_day() -> None:
    setup = await chore_house(residents=1)
    await with_rotation(setup)
    resident = setup["residents"][0]["resident"]
    (recent,) = await _mark(
        setup["house"], resident, "done", 1, done_at=WEDNESDAY - dt.timedelta(hours=23)
    )
    assert await _sweep_twice(setup["house"], "chore_unverified") == []
    at(WEDNESDAY + dt.timedelta(hours=1, seconds=1))
    assert await _sweep_twice(setup["house"], "chore_unverified") == [
        f"chore_unverified:assignment:{recent}"
    ]


# Meetings ----------------------------------------------------------------------------------


async def test_it_alerts_the_resident_behind_on_outside_meetings_from_the_set_weekday() -> None:
    house = await alert_house(residents=2)
    behind, done = house.residents
    for _ in range(3):
        await make_outside_meeting(
            done, house.id, done["person"].id, held_at=WEDNESDAY, status="verified"
        )
    await make_outside_meeting(
        behind, house.id, behind["person"].id, held_at=WEDNESDAY, status="verified"
    )
    await make_outside_meeting(behind, house.id, behind["person"].id, held_at=WEDNESDAY)
    # Wednesday: before the house's weekday (Friday, 5).
    assert await _sweep_twice(house.id, "meetings_behind") == []
    at(dt.datetime(2026, 11, 27, 6, 0, tzinfo=dt.UTC))  # Friday 00:00 in Chicago
    raised = await _sweep_twice(house.id, "meetings_behind")
    assert raised == [f"meetings_behind:resident:{behind['resident']}:{MONDAY}"]
    (alert,) = await alerts_of(house.id, "meetings_behind")
    assert "1 of 3" in alert["summary"]


async def test_it_follows_the_houses_weekday_for_meetings() -> None:
    house = await alert_house(residents=1)
    await House.update({House.alert_meetings_weekday: 3}).where(House.id == house.id)
    assert len(await _sweep_twice(house.id, "meetings_behind")) == 1
    other = await alert_house(residents=1)
    await House.update({House.outside_meetings_required: 0}).where(House.id == other.id)
    await House.update({House.alert_meetings_weekday: 1}).where(House.id == other.id)
    assert await _sweep_twice(other.id, "meetings_behind") == []


async def test_it_alerts_once_for_an_absence_from_a_house_meeting() -> None:
    house = await alert_house(residents=2)
    meeting = await make_house_meeting(house.id)
    ids = []
    async with write_transaction():
        for resident, status in zip(house.residents, ("absent", "present"), strict=True):
            rows = await Attendance.insert(
                Attendance(
                    meeting=meeting,
                    resident=resident["resident"],
                    stay=resident["stay"],
                    status=status,
                    recorded_by=house.manager.id,
                    recorded_at=clock.now(),
                )
            ).returning(Attendance.id)
            ids.append(rows[0]["id"])
    assert await _sweep_twice(house.id, "house_meeting_absence") == [
        f"house_meeting_absence:attendance:{ids[0]}"
    ]


# House rules -------------------------------------------------------------------------------


async def test_it_alerts_48_hours_after_admission_or_a_new_version_while_unsigned() -> None:
    house = await alert_house(residents=2, admitted_on=TODAY)
    signer, late = house.residents
    rows = [{"number": 1, "text": "Be kind.", "category": "", "consequence": ""}]
    await house_rules.publish(
        actor_id=house.manager.id, house_id=house.id, rules=rows, note="", now=clock.now()
    )
    rule_set = await RuleSet.select(RuleSet.id).where(RuleSet.house == house.id).first()
    assert rule_set is not None
    await house_rules.sign(
        user_id=signer["person"].id,
        rule_set_id=rule_set["id"],
        name_typed=signer["name"],
        now=clock.now(),
    )
    # Admitted today (00:00 Chicago = 06:00 UTC); published at 16:00 UTC: 48 h from then.
    at(WEDNESDAY + dt.timedelta(hours=48) - dt.timedelta(seconds=1))
    assert await _sweep_twice(house.id, "rules_unsigned") == []
    at(WEDNESDAY + dt.timedelta(hours=48))
    assert await _sweep_twice(house.id, "rules_unsigned") == [
        f"rules_unsigned:resident:{late['resident']}:v{rule_set['id']}"
    ]
    (alert,) = await alerts_of(house.id, "rules_unsigned")
    assert alert["resident"] == late["resident"]


# Beds --------------------------------------------------------------------------------------


async def test_it_alerts_the_admins_of_a_bed_free_too_long_while_people_wait() -> None:
    house = await alert_house(residents=1)
    bed = await make_bed(await make_room(house.id), label="B1")
    await Bed.update({Bed.free_since: WEDNESDAY - dt.timedelta(days=3, minutes=1)}).where(
        Bed.id == bed
    )
    assert await _sweep_twice(house.id, "bed_free") == []  # nobody waits
    await make_stay(house.id, house.manager.id)
    await House.update({House.alert_bed_free_days: 4}).where(House.id == house.id)
    assert await _sweep_twice(house.id, "bed_free") == []  # not 4 days yet
    await House.update({House.alert_bed_free_days: 3}).where(House.id == house.id)
    assert await _sweep_twice(house.id, "bed_free") == [f"bed_free:bed:{bed}:2026-11-22"]
    (alert,) = await alerts_of(house.id, "bed_free")
    assert alert["resident"] is None


# Across the fall-back day ------------------------------------------------------------------


async def test_it_finds_the_random_cut_off_in_house_time_on_the_fall_back_day() -> None:
    at(dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.UTC))
    house = await alert_house(residents=2)
    chosen, other = house.residents
    async with write_transaction():
        rows = await RandomDraw.insert(
            RandomDraw(
                house=house.id,
                day=FALL_BACK,
                drawn_at=clock.now(),
                seed="0" * 64,
                eligible="[]",
                wanted=2,
                selected="[]",
            )
        ).returning(RandomDraw.id)
        ids = []
        for resident, status in ((chosen, "selected"), (other, "screened")):
            made = await DrawSelection.insert(
                DrawSelection(
                    draw=rows[0]["id"],
                    house=house.id,
                    resident=resident["resident"],
                    stay=resident["stay"],
                    day=FALL_BACK,
                    status=status,
                )
            ).returning(DrawSelection.id)
            ids.append(made[0]["id"])
    # 20:00 CST on the fall-back day is 02:00 UTC the next day (it would be 01:00 in CDT).
    at(dt.datetime(2026, 11, 2, 1, 59, 59, tzinfo=dt.UTC))
    assert await _sweep_twice(house.id, "random_not_screened") == []
    at(dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC))
    assert await _sweep_twice(house.id, "random_not_screened") == [
        f"random_not_screened:selection:{ids[0]}"
    ]
    (alert,) = await alerts_of(house.id, "random_not_screened")
    assert alert["severity"] == "critical"


async def test_it_follows_the_houses_cut_off_time() -> None:
    at(dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.UTC))
    house = await alert_house(residents=1)
    await House.update({House.alert_random_cutoff: "07:30"}).where(House.id == house.id)
    resident = house.residents[0]
    async with write_transaction():
        rows = await RandomDraw.insert(
            RandomDraw(house=house.id, day=FALL_BACK, drawn_at=clock.now(), seed="1" * 64)
        ).returning(RandomDraw.id)
        await DrawSelection.insert(
            DrawSelection(
                draw=rows[0]["id"],
                house=house.id,
                resident=resident["resident"],
                stay=resident["stay"],
                day=FALL_BACK,
            )
        )
    at(dt.datetime(2026, 11, 1, 13, 29, tzinfo=dt.UTC))  # 07:29 CST
    assert await _sweep_twice(house.id, "random_not_screened") == []
    at(dt.datetime(2026, 11, 1, 13, 30, tzinfo=dt.UTC))  # 07:30 CST
    assert len(await _sweep_twice(house.id, "random_not_screened")) == 1


async def test_it_celebrates_a_milestone_on_the_house_date_across_the_fall_back() -> None:
    at(dt.datetime(2026, 10, 30, 12, 0, tzinfo=dt.UTC))
    house = await alert_house(residents=2, admitted_on=dt.date(2026, 9, 1))
    thirty, none = house.residents
    await Resident.update({Resident.sobriety_date: FALL_BACK - dt.timedelta(days=30)}).where(
        Resident.id == thirty["resident"]
    )
    await Resident.update({Resident.sobriety_date: FALL_BACK - dt.timedelta(days=45)}).where(
        Resident.id == none["resident"]
    )
    # 23:59 on Oct 31 in Chicago (CDT, UTC-5): 29 days.
    at(dt.datetime(2026, 11, 1, 4, 59, tzinfo=dt.UTC))
    assert await _sweep_twice(house.id, "milestone") == []
    # 00:00 on Nov 1 (still CDT; the clocks go back at 02:00): 30 days.
    at(dt.datetime(2026, 11, 1, 5, 0, tzinfo=dt.UTC))
    assert await _sweep_twice(house.id, "milestone") == [
        f"milestone:resident:{thirty['resident']}:2026-10-02:30"
    ]
    (alert,) = await alerts_of(house.id, "milestone")
    assert alert["severity"] == "celebrate"
    # The day after the fall-back, and two days later: still the one alert.
    at(dt.datetime(2026, 11, 3, 12, 0, tzinfo=dt.UTC))
    assert len(await _sweep_twice(house.id, "milestone")) == 1


async def test_it_does_not_flood_old_milestones_after_an_outage() -> None:
    house = await alert_house(residents=1)
    resident = house.residents[0]["resident"]
    await Resident.update({Resident.sobriety_date: TODAY - dt.timedelta(days=63)}).where(
        Resident.id == resident
    )
    assert await _sweep_twice(house.id, "milestone") == []  # 60 was 3 days ago
    await Resident.update({Resident.sobriety_date: TODAY - dt.timedelta(days=62)}).where(
        Resident.id == resident
    )
    sober = (TODAY - dt.timedelta(days=62)).isoformat()
    assert await _sweep_twice(house.id, "milestone") == [
        f"milestone:resident:{resident}:{sober}:60"
    ]
    assert await Alert.count().where(Alert.resident == resident) == 1


async def test_a_new_sobriety_date_celebrates_30_days_again() -> None:
    house = await alert_house(residents=1)
    resident = house.residents[0]["resident"]
    first, again = TODAY - dt.timedelta(days=30), TODAY - dt.timedelta(days=2)
    await Resident.update({Resident.sobriety_date: first}).where(Resident.id == resident)
    assert len(await _sweep_twice(house.id, "milestone")) == 1
    # A relapse: the date starts again; thirty days later it is celebrated again.
    await Resident.update({Resident.sobriety_date: again}).where(Resident.id == resident)
    at(WEDNESDAY + dt.timedelta(days=28))
    assert await _sweep_twice(house.id, "milestone") == [
        f"milestone:resident:{resident}:{first.isoformat()}:30",
        f"milestone:resident:{resident}:{again.isoformat()}:30",
    ]
