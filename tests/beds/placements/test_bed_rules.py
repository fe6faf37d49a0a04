"""The bed rules, kept by the database on both engines and surfaced as clear messages."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import pytest

from house.amendments.tables import Amendment
from house.beds.placements import services as placements
from house.beds.placements.services import BedTaken
from house.beds.tables import Bed, BedAssignment
from house.db import write_transaction
from house.lib import clock
from house.lib.errors import DomainError
from house.residents import services
from house.residents.tables import Stay
from tests.cast import Cast
from tests.factories import make_bed, make_room, make_stay


async def _admit(cast: Cast, stay_id: int, bed_id: int, on: dt.date | None = None) -> int:
    today = clock.now().date()
    return await placements.admit(
        actor_id=cast.manager_a.id,
        stay_id=stay_id,
        bed_id=bed_id,
        on=on or today,
        today=today,
        now=clock.now(),
    )


async def _current(bed_id: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = await BedAssignment.select(BedAssignment.stay).where(
        BedAssignment.bed == bed_id, BedAssignment.end_on.is_null()
    )
    return rows


async def test_it_lets_exactly_one_of_50_concurrent_admissions_into_a_bed_20_times(
    cast: Cast,
) -> None:
    room = await make_room(cast.house_a)
    for _ in range(20):
        bed = await make_bed(room)
        stays = [await make_stay(cast.house_a, cast.manager_a.id) for _ in range(50)]
        results = await asyncio.gather(
            *(_admit(cast, stay, bed) for stay in stays), return_exceptions=True
        )
        successes = [r for r in results if isinstance(r, int)]
        conflicts = [r for r in results if isinstance(r, BedTaken)]
        assert len(successes) == 1, [r for r in results if not isinstance(r, (int, BedTaken))]
        assert len(conflicts) == 49
        assert all("This bed was just taken by" in c.message for c in conflicts)
        assert len(await _current(bed)) == 1
        active = await Stay.count().where(Stay.id.is_in(stays), Stay.status == Stay.Status.active)
        assert active == 1


async def test_it_puts_one_person_in_one_bed_when_two_admit_them_at_once(cast: Cast) -> None:
    room = await make_room(cast.house_a)
    beds = [await make_bed(room), await make_bed(room)]
    stay = await make_stay(cast.house_a, cast.manager_a.id)
    results = await asyncio.gather(
        *(_admit(cast, stay, bed) for bed in beds), return_exceptions=True
    )
    assert len([r for r in results if isinstance(r, int)]) == 1
    assert len([r for r in results if isinstance(r, DomainError)]) == 1
    assert await BedAssignment.count().where(BedAssignment.stay == stay) == 1


async def test_it_refuses_in_the_database_a_second_current_assignment_or_an_overlap(
    cast: Cast,
) -> None:
    room = await make_room(cast.house_a)
    bed = await make_bed(room)
    first, second = [await make_stay(cast.house_a, cast.manager_a.id) for _ in range(2)]
    await _admit(cast, first, bed)
    today = clock.now().date()

    def raw_assignment(stay: int, start: dt.date, end: dt.date | None) -> BedAssignment:
        return BedAssignment(
            bed=bed,
            stay=stay,
            house=cast.house_a,
            start_on=start,
            end_on=end,
            created_at=clock.now(),
            created_by=cast.manager_a.id,
        )

    with pytest.raises(Exception, match=r"(?i)unique|duplicate|overlap"):
        async with write_transaction():
            await BedAssignment.insert(raw_assignment(second, today, None))
    # A closed range that overlaps the current one.
    with pytest.raises(Exception, match=r"(?i)overlap|exclusion|conflicting"):
        async with write_transaction():
            await BedAssignment.insert(
                raw_assignment(second, today - dt.timedelta(days=3), today + dt.timedelta(days=1))
            )
    # Ending before starting.
    with pytest.raises(Exception, match=r"(?i)ends before|check"):
        async with write_transaction():
            await BedAssignment.insert(
                raw_assignment(second, today - dt.timedelta(days=3), today - dt.timedelta(days=9))
            )
    # An earlier, finished stay in the same bed is fine (half-open ranges touch).
    async with write_transaction():
        await BedAssignment.insert(
            raw_assignment(second, today - dt.timedelta(days=9), today - dt.timedelta(days=9))
        )


async def test_it_moves_in_one_transaction_and_leaves_both_beds_as_they_were_on_error(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    room = await make_room(cast.house_a)
    old_bed, new_bed = await make_bed(room), await make_bed(room)
    stay = await make_stay(cast.house_a, cast.manager_a.id)
    await _admit(cast, stay, old_bed)

    async def audit_down(**kwargs: Any) -> None:
        raise RuntimeError("audit storage unavailable")

    monkeypatch.setattr("house.beds.placements.services.record_access", audit_down)
    today = clock.now().date()
    with pytest.raises(RuntimeError):
        await placements.move(
            actor_id=cast.manager_a.id,
            stay_id=stay,
            to_bed_id=new_bed,
            on=today,
            today=today,
            now=clock.now(),
        )
    assert await _current(old_bed) == [{"stay": stay}]
    assert await _current(new_bed) == []
    monkeypatch.undo()

    await placements.move(
        actor_id=cast.manager_a.id,
        stay_id=stay,
        to_bed_id=new_bed,
        on=today,
        today=today,
        now=clock.now(),
    )
    assert await _current(old_bed) == []
    assert await _current(new_bed) == [{"stay": stay}]


async def test_it_frees_the_bed_at_exit_and_a_person_can_come_back(cast: Cast) -> None:
    room = await make_room(cast.house_a)
    bed = await make_bed(room)
    stay = await make_stay(cast.house_a, cast.manager_a.id)
    await _admit(cast, stay, bed)
    today = clock.now().date()
    with pytest.raises(DomainError, match="before the move-in"):
        await placements.exit_stay(
            actor_id=cast.manager_a.id,
            stay_id=stay,
            on=today - dt.timedelta(days=1),
            reason="graduated",
            note="",
            today=today,
            now=clock.now(),
        )
    await placements.exit_stay(
        actor_id=cast.manager_a.id,
        stay_id=stay,
        on=today,
        reason="graduated",
        note="Finished phase 4",
        today=today,
        now=clock.now(),
    )
    assert await _current(bed) == []
    with pytest.raises(DomainError, match="Only someone on the waitlist"):
        await _admit(cast, stay, bed)
    resident = (await Stay.select(Stay.resident).where(Stay.id == stay).first() or {})["resident"]
    again = await services.apply(
        actor_id=cast.manager_a.id,
        resident_id=resident,
        house_id=cast.house_a,
        applied_on=today,
        requested_move_in=None,
        priority=2,
        referral_source="",
        notes="",
        now=clock.now(),
    )
    await _admit(cast, again, bed)
    assert await Stay.count().where(Stay.resident == resident) == 2


async def test_it_keeps_admission_dates_within_a_year_back_and_90_days_ahead(
    cast: Cast,
) -> None:
    room = await make_room(cast.house_a)
    bed = await make_bed(room)
    stay = await make_stay(cast.house_a, cast.manager_a.id)
    today = clock.now().date()
    for bad in (today - dt.timedelta(days=366), today + dt.timedelta(days=91)):
        with pytest.raises(DomainError) as caught:
            await _admit(cast, stay, bed, on=bad)
        assert caught.value.field == "on"
    await _admit(cast, stay, bed, on=today + dt.timedelta(days=90))


async def test_it_refuses_a_bed_of_another_house_or_out_of_service(cast: Cast) -> None:
    other_bed = await make_bed(await make_room(cast.house_b))
    stay = await make_stay(cast.house_a, cast.manager_a.id)
    with pytest.raises(DomainError, match="Choose a bed in this house"):
        await _admit(cast, stay, other_bed)
    bed = await make_bed(await make_room(cast.house_a))
    await Bed.update({Bed.state: Bed.State.out_of_service}).where(Bed.id == bed)
    with pytest.raises(DomainError, match="out of service"):
        await _admit(cast, stay, bed)


async def test_it_corrects_a_wrong_move_in_date_with_an_amendment(cast: Cast) -> None:
    bed = await make_bed(await make_room(cast.house_a))
    stay = await make_stay(cast.house_a, cast.manager_a.id)
    today = clock.now().date()
    await _admit(cast, stay, bed)
    with pytest.raises(DomainError, match="Say why"):
        await placements.amend_admission_date(
            actor_id=cast.manager_a.id,
            stay_id=stay,
            admitted_on=today,
            reason=" ",
            today=today,
            now=clock.now(),
        )
    earlier = today - dt.timedelta(days=2)
    await placements.amend_admission_date(
        actor_id=cast.manager_a.id,
        stay_id=stay,
        admitted_on=earlier,
        reason="Typed the wrong day",
        today=today,
        now=clock.now(),
    )
    row = await Stay.select(Stay.admitted_on).where(Stay.id == stay).first()
    assert row == {"admitted_on": earlier}
    amendment = (
        await Amendment.select()
        .where(Amendment.table_name == "stay", Amendment.record_id == stay)
        .first()
    )
    assert amendment is not None
    assert amendment["old_value"] == today.isoformat()
    assert amendment["new_value"] == earlier.isoformat()
    assert amendment["reason"] == "Typed the wrong day"
    assert amendment["actor"] == cast.manager_a.id
