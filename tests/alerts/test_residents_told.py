"""A resident is told, in their inbox and nowhere else, when a chore of theirs is sent back
or a meeting slip of theirs is not accepted: which one, which day, and what staff wrote.
The email that follows says only that something waits behind the sign-in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from house.alerts import services as alerts
from house.alerts.tables import Alert, Delivery
from house.chores.tables import ChoreAssignment
from house.lib import clock
from house.outbox.tables import OutboxEmail
from tests.chores.helpers import TODAY, WEDNESDAY, chore_house, with_rotation
from tests.client import Client
from tests.factories import Person, make_outside_meeting
from tests.meetings.outside.kit import resident_in_house

NOTE = "The stove top still has grease on it; wipe it down again, please."
REASON = "The slip has no chair's signature."


@pytest.fixture
def wednesday() -> Iterator[None]:
    clock.freeze(WEDNESDAY)
    yield
    clock.freeze(None)


async def _told(kind: str, house: int) -> list[dict[str, Any]]:
    """The alerts of `kind` in the house, each with the people it went to."""
    rows = await Alert.select().where(Alert.kind == kind, Alert.house == house).order_by(Alert.id)
    for row in rows:
        deliveries = await Delivery.select(Delivery.user, Delivery.channel).where(
            Delivery.alert == row["id"]
        )
        row["to"] = {d["user"] for d in deliveries}
        row["channels"] = sorted(d["channel"] for d in deliveries)
    return rows


async def _emails_to(person: Person) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = await OutboxEmail.select(
        OutboxEmail.subject, OutboxEmail.body, OutboxEmail.html
    ).where(OutboxEmail.to_address == person.email)
    return rows


async def _inbox(client: Client, person: Person) -> str:
    await client.force_login(person)
    return (await client.get("/inbox")).text


async def _done_chore_of(setup: dict[str, Any], index: int) -> dict[str, Any]:
    """Today's chore of resident `index`, marked done by them."""
    await with_rotation(setup)
    row = (
        await ChoreAssignment.select()
        .where(
            ChoreAssignment.resident == setup["residents"][index]["resident"],
            ChoreAssignment.day == TODAY,
        )
        .first()
    )
    assert row is not None
    await ChoreAssignment.update(
        {ChoreAssignment.status: "done", ChoreAssignment.done_at: clock.now()}
    ).where(ChoreAssignment.id == row["id"])
    return row


async def test_it_tells_the_resident_alone_when_a_chore_is_sent_back(
    client: Client, wednesday: None
) -> None:
    setup = await chore_house(residents=2)
    me, other = setup["residents"][0]["person"], setup["residents"][1]["person"]
    manager = setup["manager"]
    chore = await _done_chore_of(setup, 0)
    name = (
        await ChoreAssignment.select(ChoreAssignment.chore.name)
        .where(ChoreAssignment.id == chore["id"])
        .first()
        or {}
    )["chore.name"]
    await client.force_login(manager)
    sent = await client.post(f"/chore-assignments/{chore['id']}/send-back", {"note": NOTE})
    assert sent.status_code == 303
    await alerts.sweep(clock.now())

    [told] = await _told("chore_sent_back", setup["house"])
    assert told["to"] == {me.id}
    assert told["channels"] == ["email", "inbox"]
    assert told["summary"] == f"Please do {name} (Wed 25 Nov) again: “{NOTE}”"
    mine = await _inbox(client, me)
    assert f"Please do {name} (Wed 25 Nov) again" in mine
    item = await client.get(f"/inbox/{await _delivery_of(told['id'], me.id)}")
    assert 'href="/chores"' in item.text  # to the chore, where the note is shown whole
    for person in (other, manager):
        assert "Please do" not in await _inbox(client, person)
    [email] = await _emails_to(me)
    for words in (NOTE, "stove", name, "sent back", "Please do"):
        assert words not in email["subject"] + email["body"] + email["html"]
    assert await _emails_to(other) == []

    # Done again and sent back again: told again, once more (its own alert).
    await ChoreAssignment.update({ChoreAssignment.status: "done"}).where(
        ChoreAssignment.id == chore["id"]
    )
    clock.freeze(WEDNESDAY + dt.timedelta(hours=2))
    await client.force_login(manager)
    again = await client.post(f"/chore-assignments/{chore['id']}/send-back", {"note": "Floor"})
    assert again.status_code == 303
    await alerts.sweep(clock.now())
    await alerts.sweep(clock.now())
    told_twice = await _told("chore_sent_back", setup["house"])
    assert len(told_twice) == 2
    assert told_twice[1]["summary"] == f"Please do {name} (Wed 25 Nov) again: “Floor”"
    assert told_twice[1]["to"] == {me.id}


async def test_it_cuts_a_long_note_in_the_summary_and_tells_nobody_of_a_verified_chore(
    client: Client, wednesday: None
) -> None:
    setup = await chore_house(residents=2)
    long_chore = await _done_chore_of(setup, 0)
    kept = await _done_chore_of(setup, 1)
    await client.force_login(setup["manager"])
    note = "Wipe " + "the counters and " * 16 + "the end."
    await client.post(f"/chore-assignments/{long_chore['id']}/send-back", {"note": note[:300]})
    await client.post(f"/chore-assignments/{kept['id']}/verify")
    await alerts.sweep(clock.now())
    [told] = await _told("chore_sent_back", setup["house"])
    assert told["summary"].endswith("…”")
    assert len(told["summary"]) <= 200
    assert told["to"] == {setup["residents"][0]["person"].id}


async def _delivery_of(alert_id: int, user_id: int) -> int:
    row = (
        await Delivery.select(Delivery.id)
        .where(Delivery.alert == alert_id, Delivery.user == user_id, Delivery.channel == "inbox")
        .first()
    )
    assert row is not None
    return int(row["id"])


async def test_it_tells_the_resident_alone_why_a_slip_was_not_accepted(
    client: Client, frozen_clock: object
) -> None:
    clock.freeze(dt.datetime(2026, 11, 25, 16, 0, tzinfo=dt.UTC))  # 10:00 in Chicago
    me, ids, house, manager = await resident_in_house()
    other, other_ids, _, _ = await resident_in_house(house)
    held = dt.datetime(2026, 11, 24, 1, 30, tzinfo=dt.UTC)  # 19:30 on Mon 23 Nov, Chicago
    slip = await make_outside_meeting(ids, house, me.id, held_at=held, name="Big Book Study")
    fine = await make_outside_meeting(other_ids, house, other.id, name="Open Share")
    await client.force_login(manager)
    assert (await client.post(f"/outside-meetings/{slip}/reject", {"reason": REASON})).is_redirect
    assert (await client.post(f"/outside-meetings/{fine}/verify")).is_redirect
    await alerts.sweep(clock.now())

    [told] = await _told("slip_rejected", house)
    assert told["to"] == {me.id}
    assert told["summary"] == (
        f"Your slip for “Big Book Study” (Mon 23 Nov) was not accepted: “{REASON}”"
    )
    assert "Big Book Study" in await _inbox(client, me)
    item = await client.get(f"/inbox/{await _delivery_of(told['id'], me.id)}")
    assert 'href="/meetings/outside"' in item.text
    for person in (other, manager):
        assert "was not accepted" not in await _inbox(client, person)
    [email] = await _emails_to(me)
    for words in (REASON, "signature", "Big Book", "slip", "not accepted", "meeting"):
        assert words not in email["subject"] + email["body"] + email["html"]
    assert await _emails_to(other) == []
    # A review happens once: a second sweep, or a second tap, tells nobody again.
    await client.force_login(manager)
    await client.post(f"/outside-meetings/{slip}/reject", {"reason": "Again"})
    await alerts.sweep(clock.now())
    assert len(await _told("slip_rejected", house)) == 1


async def test_a_resident_can_hold_these_for_the_digest_and_staff_never_see_the_kinds(
    client: Client, frozen_clock: object
) -> None:
    me, _, _, manager = await resident_in_house()
    await client.force_login(me)
    page = (await client.get("/inbox/preferences")).text
    assert 'name="mode-chore_sent_back"' in page
    assert 'name="mode-slip_rejected"' in page
    await client.force_login(manager)
    page = (await client.get("/inbox/preferences")).text
    assert "mode-chore_sent_back" not in page
    assert "mode-slip_rejected" not in page
