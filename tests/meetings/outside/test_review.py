"""Staff verify or reject logs from the queue, once; the slip photo reaches only who may see it."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

from house.audit.tables import AuditEvent
from house.lib import clock
from house.meetings.outside import uploads
from house.meetings.tables import OutsideMeeting
from tests.cast import Cast
from tests.client import Client
from tests.factories import make_house, make_outside_meeting, make_user
from tests.meetings.outside.kit import image_bytes, resident_in_house

HTMX = {"HX-Request": "true"}


async def _audits(meeting: int, action: str) -> int:
    return await AuditEvent.count().where(
        AuditEvent.record == f"outside_meeting:{meeting}", AuditEvent.action == action
    )


async def test_it_lists_pending_logs_oldest_first_above_the_checked_ones(
    client: Client, cast: Cast
) -> None:
    person, ids, house, manager = await resident_in_house()
    now = clock.now()
    newer = await make_outside_meeting(ids, house, person.id, held_at=now - dt.timedelta(hours=5))
    older = await make_outside_meeting(ids, house, person.id, held_at=now - dt.timedelta(days=3))
    done = await make_outside_meeting(ids, house, person.id, status="verified")
    await client.force_login(manager)
    page = await client.get(f"/houses/{house}/meetings/outside")
    assert page.status_code == 200
    text = page.text
    assert text.index(f'id="outside-{older}"') < text.index(f'id="outside-{newer}"')
    assert text.index(f'id="outside-{newer}"') < text.index(f'id="outside-{done}"')
    assert "2 waiting" in text
    assert "555-201-3344" in text
    board = await client.get(f"/houses/{house}/board")
    assert f"/houses/{house}/meetings/outside" in board.text
    assert f"/houses/{house}/meetings/week" in board.text


async def test_it_verifies_once_however_often_it_is_tapped(client: Client, cast: Cast) -> None:
    person, ids, house, manager = await resident_in_house()
    meeting = await make_outside_meeting(ids, house, person.id)
    await client.force_login(manager)
    first = await client.post(f"/outside-meetings/{meeting}/verify")
    assert first.status_code == 303
    assert first.headers["location"] == f"/houses/{house}/meetings/outside"
    row = await OutsideMeeting.select().where(OutsideMeeting.id == meeting).first()
    assert row is not None
    assert (row["status"], row["reviewed_by"]) == ("verified", manager.id)
    again = await client.post(f"/outside-meetings/{meeting}/verify")
    assert again.status_code == 303
    queue = await client.get(again.headers["location"])
    assert "already reviewed" in queue.text
    assert await _audits(meeting, "outside_meeting_verified") == 1


async def test_it_lets_one_of_two_managers_acting_at_once_review(
    client: Client, cast: Cast, app: Any
) -> None:
    person, ids, house, manager = await resident_in_house()
    other_manager = await make_user("manager", [house])
    meeting = await make_outside_meeting(ids, house, person.id)
    await client.force_login(manager)
    async with Client(app) as second:
        await second.force_login(other_manager)
        await asyncio.gather(
            *[client.post(f"/outside-meetings/{meeting}/verify") for _ in range(3)],
            *[
                second.post(f"/outside-meetings/{meeting}/reject", {"reason": "No signature"})
                for _ in range(3)
            ],
        )
    row = await OutsideMeeting.select().where(OutsideMeeting.id == meeting).first()
    assert row is not None
    verified = await _audits(meeting, "outside_meeting_verified")
    rejected = await _audits(meeting, "outside_meeting_rejected")
    assert verified + rejected == 1
    assert row["status"] == ("verified" if verified else "rejected")


async def test_it_swaps_just_the_row_for_htmx(client: Client, cast: Cast) -> None:
    person, ids, house, manager = await resident_in_house()
    meeting = await make_outside_meeting(ids, house, person.id)
    await client.force_login(manager)
    response = await client.post(f"/outside-meetings/{meeting}/verify", headers=HTMX)
    assert response.status_code == 200
    assert response.text.lstrip().startswith(
        f'<li class="row slip slip-verified" id="outside-{meeting}"'
    )
    assert "<html" not in response.text
    assert "Verified." in response.text
    assert "/verify" not in response.text  # no buttons left on a reviewed log


async def test_it_sends_the_queues_new_count_with_the_row(client: Client, cast: Cast) -> None:
    person, ids, house, manager = await resident_in_house()
    first, second, third = [await make_outside_meeting(ids, house, person.id) for _ in range(3)]
    await client.force_login(manager)
    page = await client.get(f"/houses/{house}/meetings/outside")
    assert '<h2 id="slips-waiting">3 waiting</h2>' in page.text
    verified = await client.post(f"/outside-meetings/{first}/verify", headers=HTMX)
    assert verified.status_code == 200
    assert '<h2 id="slips-waiting" hx-swap-oob="true">2 waiting</h2>' in verified.text
    # A refused reject changes nothing, and says so with the count as it is.
    refused = await client.post(f"/outside-meetings/{second}/reject", {"reason": ""}, headers=HTMX)
    assert refused.status_code == 422
    assert '<h2 id="slips-waiting" hx-swap-oob="true">2 waiting</h2>' in refused.text
    rejected = await client.post(
        f"/outside-meetings/{second}/reject", {"reason": "No chair's phone."}, headers=HTMX
    )
    assert '<h2 id="slips-waiting" hx-swap-oob="true">1 waiting</h2>' in rejected.text
    # Another manager's check counts too: the next answer carries the house's count.
    await OutsideMeeting.update({OutsideMeeting.status: "verified"}).where(
        OutsideMeeting.id == third
    )
    again = await client.post(f"/outside-meetings/{first}/verify", headers=HTMX)
    assert '<h2 id="slips-waiting" hx-swap-oob="true">0 waiting</h2>' in again.text
    page = await client.get(f"/houses/{house}/meetings/outside")
    assert '<h2 id="slips-waiting">0 waiting</h2>' in page.text


async def test_it_rejects_only_with_a_reason_the_resident_then_sees(
    client: Client, cast: Cast, app: Any
) -> None:
    person, ids, house, manager = await resident_in_house()
    meeting = await make_outside_meeting(ids, house, person.id)
    await client.force_login(manager)
    for reason, message in (("", "Enter a reason"), ("r" * 301, "Use at most 300 characters")):
        plain = await client.post(f"/outside-meetings/{meeting}/reject", {"reason": reason})
        assert plain.status_code == 422
        assert f'id="f-reason-{meeting}-error"' in plain.text
        assert message in plain.text
        assert "<html" in plain.text  # the whole queue, without script
        partial = await client.post(
            f"/outside-meetings/{meeting}/reject", {"reason": reason}, headers=HTMX
        )
        assert partial.status_code == 422
        assert "<html" not in partial.text
        assert message in partial.text
    assert await _audits(meeting, "outside_meeting_rejected") == 0
    hostile = "<img src=x onerror=alert(1)> signed by nobody"
    done = await client.post(f"/outside-meetings/{meeting}/reject", {"reason": hostile})
    assert done.status_code == 303
    row = await OutsideMeeting.select().where(OutsideMeeting.id == meeting).first()
    assert row is not None
    assert (row["status"], row["reject_reason"]) == ("rejected", hostile)
    # A verify after the reject changes nothing.
    await client.post(f"/outside-meetings/{meeting}/verify")
    assert (
        await OutsideMeeting.count().where(
            OutsideMeeting.id == meeting, OutsideMeeting.status == "rejected"
        )
        == 1
    )
    async with Client(app) as resident:
        await resident.force_login(person)
        page = await resident.get("/meetings/outside")
        assert "Not accepted" in page.text
        assert "&lt;img src=x onerror=alert(1)&gt; signed by nobody" in page.text
        assert "<img src=x" not in page.text


async def test_it_answers_another_houses_manager_with_404(client: Client, cast: Cast) -> None:
    person, ids, house, _ = await resident_in_house()
    meeting = await make_outside_meeting(ids, house, person.id)
    elsewhere = await make_user("manager", [await make_house()])
    await client.force_login(elsewhere)
    assert (await client.get(f"/houses/{house}/meetings/outside")).status_code == 404
    assert (await client.get(f"/houses/{house}/meetings/week")).status_code == 404
    assert (await client.post(f"/outside-meetings/{meeting}/verify")).status_code == 404
    reject = await client.post(f"/outside-meetings/{meeting}/reject", {"reason": "x"})
    assert reject.status_code == 404
    assert (await client.post("/outside-meetings/2000000000/verify")).status_code == 404
    row = await OutsideMeeting.select(OutsideMeeting.status).where(OutsideMeeting.id == meeting)
    assert row[0]["status"] == "pending"


async def test_it_serves_the_slip_photo_only_to_its_resident_and_house_staff(
    client: Client, cast: Cast, app: Any
) -> None:
    person, ids, house, manager = await resident_in_house()
    housemate, _, _, _ = await resident_in_house(house)
    name = uploads.store(uploads.clean_photo(image_bytes()))
    meeting = await make_outside_meeting(ids, house, person.id, photo=name)
    bare = await make_outside_meeting(ids, house, person.id)
    url = f"/outside-meetings/{meeting}/photo"
    expected = {
        person: 200,
        manager: 200,
        cast.admin: 200,
        housemate: 404,
        cast.manager_b: 404,
        cast.resident_b: 404,
        cast.case_manager: 404,
    }
    for who, status in expected.items():
        async with Client(app) as c:
            await c.force_login(who)
            response = await c.get(url)
            assert response.status_code == status, who.name
            if status == 200:
                assert response.content == (uploads.upload_dir() / name).read_bytes()
                assert response.headers["content-type"] == "image/jpeg"
                assert response.headers["x-content-type-options"] == "nosniff"
                assert response.headers["content-disposition"] == 'inline; filename="slip.jpg"'
                assert "no-store" in response.headers["cache-control"]
            # A log without a photo has none to show to anyone.
            assert (await c.get(f"/outside-meetings/{bare}/photo")).status_code == 404
    # Staff views are in the audit log (the resident's own views are not disclosures).
    viewers = await AuditEvent.select(AuditEvent.actor).where(
        AuditEvent.record == f"outside_meeting:{meeting}",
        AuditEvent.action == "outside_meeting_photo_viewed",
    )
    assert sorted(v["actor"] for v in viewers) == sorted([manager.id, cast.admin.id])
    anonymous = await client.get(url)
    assert anonymous.status_code == 303
