"""Acknowledging and resolving an alert from the inbox: once, by staff who had it."""

from __future__ import annotations

from house.alerts.tables import Alert, Delivery
from tests.cast import Cast
from tests.client import Client
from tests.factories import add_inbox_delivery, make_house, make_inbox_item, make_user


async def _alert(alert_id: int) -> dict[str, object]:
    row = await Alert.select().where(Alert.id == alert_id).first()
    assert row is not None
    return row


async def test_it_acknowledges_once_and_a_second_tap_changes_nothing(
    client: Client, cast: Cast
) -> None:
    house = await make_house()
    manager = await make_user("manager", [house], name="Mo Manager")
    colleague = await make_user("manager", [house])
    alert, _ = await make_inbox_item(house, manager.id, summary="Chores missed twice")
    await add_inbox_delivery(alert, colleague.id)
    await client.force_login(manager)
    first = await client.post(f"/alerts/{alert}/acknowledge")
    assert first.status_code == 303
    assert first.headers["location"] == "/inbox"
    stored = await _alert(alert)
    assert stored["acknowledged_by"] == manager.id
    await client.force_login(colleague)
    again = await client.post(f"/alerts/{alert}/acknowledge")
    assert again.status_code == 303
    assert await _alert(alert) == stored
    page = await client.get("/inbox")
    assert "acknowledged</span> by Mo Manager" in page.text
    assert "Already acknowledged or resolved." in page.text


async def test_it_swaps_the_row_for_htmx(client: Client, cast: Cast) -> None:
    house = await make_house()
    manager = await make_user("manager", [house])
    alert, delivery = await make_inbox_item(house, manager.id)
    await client.force_login(manager)
    row = await client.post(f"/alerts/{alert}/acknowledge", headers={"hx-request": "true"})
    assert row.status_code == 200
    # Acknowledging it is reading it: the row is no longer unread, and the bell drops.
    assert row.text.lstrip().startswith(f'<li class="row slip inbox-row" id="alert-row-{delivery}"')
    assert "<html" not in row.text
    assert "Acknowledged." in row.text
    assert "Resolve" in row.text  # still open: it can be resolved
    badge = await client.get("/inbox/count", headers={"hx-request": "true"})
    assert "bell-count" not in badge.text


async def test_it_sends_the_bells_new_count_with_the_row(client: Client, cast: Cast) -> None:
    house = await make_house()
    manager = await make_user("manager", [house])
    first, _ = await make_inbox_item(house, manager.id, summary="One")
    second, _ = await make_inbox_item(house, manager.id, summary="Two")
    await client.force_login(manager)
    page = await client.get("/inbox")
    assert '<span class="bell-count">2</span>' in page.text
    htmx = {"hx-request": "true"}
    acknowledged = await client.post(f"/alerts/{first}/acknowledge", headers=htmx)
    assert 'id="inbox-badge" class="bell" hx-swap-oob="true"' in acknowledged.text
    assert '<span class="bell-count">1</span>' in acknowledged.text
    assert 'aria-label="Inbox, 1 unread"' in acknowledged.text
    # A refused resolve reads nothing: the count stays.
    refused = await client.post(f"/alerts/{second}/resolve", {"note": ""}, headers=htmx)
    assert refused.status_code == 422
    assert '<span class="bell-count">1</span>' in refused.text
    resolved = await client.post(f"/alerts/{second}/resolve", {"note": "Done."}, headers=htmx)
    assert resolved.status_code == 200
    assert 'id="inbox-badge" class="bell" hx-swap-oob="true"' in resolved.text
    assert "bell-count" not in resolved.text
    assert 'aria-label="Inbox"' in resolved.text


async def test_resolving_from_the_list_marks_it_read_for_the_one_who_did_it(
    client: Client, cast: Cast
) -> None:
    house = await make_house()
    manager = await make_user("manager", [house])
    colleague = await make_user("manager", [house])
    alert, _ = await make_inbox_item(house, manager.id)
    await make_inbox_item(house, colleague.id)  # another alert, not this one
    await client.force_login(manager)
    await client.post(f"/alerts/{alert}/resolve", {"note": "Talked with him."})
    read = await Delivery.select(Delivery.read_at).where(
        Delivery.alert == alert, Delivery.user == manager.id, Delivery.channel == "inbox"
    )
    assert read[0]["read_at"] is not None


async def test_it_resolves_with_a_note_and_keeps_the_first_note(client: Client, cast: Cast) -> None:
    house = await make_house()
    manager = await make_user("manager", [house], name="Rita Resolver")
    alert, delivery = await make_inbox_item(house, manager.id)
    await client.force_login(manager)
    done = await client.post(
        f"/alerts/{alert}/resolve", {"note": "Talked with him; <b>chores</b> redone."}
    )
    assert done.status_code == 303
    stored = await _alert(alert)
    assert stored["resolution_note"] == "Talked with him; <b>chores</b> redone."
    assert stored["resolved_by"] == manager.id
    assert stored["acknowledged_by"] == manager.id  # resolving acknowledges too
    twice = await client.post(f"/alerts/{alert}/resolve", {"note": "A second note"})
    assert twice.status_code == 303
    assert await _alert(alert) == stored
    page = await client.get("/inbox")
    assert "resolved</span> by Rita Resolver" in page.text
    assert "&lt;b&gt;chores&lt;/b&gt; redone." in page.text
    assert f'action="/alerts/{alert}/resolve"' not in page.text
    item = await client.get(f"/inbox/{delivery}")
    assert "Talked with him" in item.text


async def test_it_refuses_a_bad_note_by_the_field_and_keeps_what_was_typed(
    client: Client, cast: Cast
) -> None:
    house = await make_house()
    manager = await make_user("manager", [house])
    alert, _ = await make_inbox_item(house, manager.id)
    await client.force_login(manager)
    for data, message in (
        ({}, "Enter a note on what was done."),
        ({"note": "   "}, "Enter a note on what was done."),
        ({"note": "x" * 501}, "Use at most 500 characters (you typed 501)."),
    ):
        page = await client.post(f"/alerts/{alert}/resolve", data)
        assert page.status_code == 422
        assert message in page.text
        # Without script the whole inbox comes back: the message is at the top too.
        assert f"Not resolved: {message} The alert is marked below." in page.text
    kept = await client.post(
        f"/alerts/{alert}/resolve", {"note": "<script>x()</script>" + "y" * 500}
    )
    assert kept.status_code == 422
    assert "&lt;script&gt;x()&lt;/script&gt;yyy" in kept.text
    assert "<script>x()" not in kept.text
    swapped = await client.post(
        f"/alerts/{alert}/resolve", {"note": ""}, headers={"hx-request": "true"}
    )
    assert swapped.status_code == 422
    assert "<html" not in swapped.text
    assert "Enter a note on what was done." in swapped.text
    stored = await _alert(alert)
    assert stored["resolved_at"] is None
    assert stored["acknowledged_at"] is None


async def test_it_refuses_without_the_csrf_token(client: Client, cast: Cast) -> None:
    house = await make_house()
    manager = await make_user("manager", [house])
    alert, _ = await make_inbox_item(house, manager.id)
    await client.force_login(manager)
    for action, data in (("acknowledge", {}), ("resolve", {"note": "ok"})):
        response = await client.post(f"/alerts/{alert}/{action}", data, csrf=False)
        assert response.status_code == 403
    stored = await _alert(alert)
    assert stored["acknowledged_at"] is None
    assert stored["resolved_at"] is None


async def test_it_refuses_residents_and_staff_who_did_not_have_the_alert(
    client: Client, cast: Cast
) -> None:
    house = await make_house()
    resident = await make_user("resident", [house])
    stranger = await make_user("manager", [house])  # same house, but no delivery of it
    alert, _ = await make_inbox_item(house, resident.id, kind="rules_unsigned")
    await client.force_login(resident)
    assert (await client.post(f"/alerts/{alert}/acknowledge")).status_code == 403
    assert (await client.post(f"/alerts/{alert}/resolve", {"note": "x"})).status_code == 403
    await client.force_login(stranger)
    assert (await client.post(f"/alerts/{alert}/acknowledge")).status_code == 404
    assert (await client.post(f"/alerts/{alert}/resolve", {"note": "x"})).status_code == 404
    assert (await client.post("/alerts/2000000000/acknowledge")).status_code == 404
    stored = await _alert(alert)
    assert stored["acknowledged_at"] is None
    assert stored["resolved_at"] is None
    await client.force_login(cast.admin)  # admins may act on any alert
    assert (await client.post(f"/alerts/{alert}/acknowledge")).status_code == 303
    assert (await _alert(alert))["acknowledged_by"] == cast.admin.id
