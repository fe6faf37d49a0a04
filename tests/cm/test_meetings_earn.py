"""Verified outside meetings earn when the house says so: an amount, or one prize draw; the
screen streak is untouched; a rejected meeting earns nothing."""

from __future__ import annotations

from house.cm import ledger, services
from house.cm.tables import CmEntry, CmPrizeDraw
from house.houses.tables import House
from house.lib import clock
from tests.client import Client
from tests.cm.kit import make_scene, screen
from tests.factories import make_outside_meeting


async def test_it_earns_the_meeting_amount_when_staff_verify_a_meeting(client: Client) -> None:
    scene = await make_scene(
        settings={
            House.cm_schedule: "vouchers",
            House.cm_meetings_earn: True,
            House.cm_meeting_amount: 150,
        }
    )
    await screen(scene, "negative")
    meeting = await make_outside_meeting(scene.ids, scene.house, scene.resident.id)
    rejected = await make_outside_meeting(scene.ids, scene.house, scene.resident.id)
    await client.force_login(scene.manager)
    assert (await client.post(f"/outside-meetings/{meeting}/verify", {})).status_code == 303
    await client.post(f"/outside-meetings/{rejected}/reject", {"reason": "No slip"})
    # Called again (a retry): still one entry.
    await services.meeting_verified(meeting, clock.now())
    entries = await CmEntry.select(CmEntry.amount, CmEntry.streak).where(
        CmEntry.outside_meeting.is_not_null(), CmEntry.resident == scene.resident_id
    )
    assert entries == [{"amount": 150, "streak": 0}]
    assert await ledger.current_streak(scene.resident_id, scene.house) == 1
    await screen(scene, "negative")
    assert await ledger.current_streak(scene.resident_id, scene.house) == 2


async def test_it_draws_once_for_a_meeting_under_prizes() -> None:
    scene = await make_scene(settings={House.cm_schedule: "prizes", House.cm_meetings_earn: True})
    meeting = await make_outside_meeting(scene.ids, scene.house, scene.resident.id)
    await services.meeting_verified(meeting, clock.now(), roll=lambda _: 950)
    entry = await CmEntry.select().where(CmEntry.outside_meeting == meeting).first()
    assert entry is not None
    assert (entry["draws"], entry["amount"]) == (1, 2000)
    draws = await CmPrizeDraw.select(CmPrizeDraw.prize).where(CmPrizeDraw.entry == entry["id"])
    assert draws == [{"prize": "large"}]


async def test_it_earns_nothing_for_meetings_unless_the_house_says_so() -> None:
    scene = await make_scene()  # vouchers, meetings do not earn
    meeting = await make_outside_meeting(scene.ids, scene.house, scene.resident.id)
    await services.meeting_verified(meeting, clock.now())
    assert not await CmEntry.exists().where(CmEntry.outside_meeting == meeting)
