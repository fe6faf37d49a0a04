"""The inbox: a person's own rows, newest first, filters, opening an item, the badge."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from house.alerts.tables import Alert, Delivery
from house.lib import clock
from tests.cast import Cast
from tests.client import Client
from tests.factories import make_house, make_inbox_item, make_user


async def test_it_lists_only_my_rows_newest_first_with_house_kind_and_status(
    client: Client, cast: Cast
) -> None:
    house = await make_house(name="Oak House", timezone="America/Chicago")
    manager = await make_user("manager", [house])
    other = await make_user("manager", [house])
    at = dt.datetime(2026, 3, 2, 15, 0, tzinfo=dt.UTC)
    await make_inbox_item(house, manager.id, summary="Older one", created_at=at)
    await make_inbox_item(
        house,
        manager.id,
        kind="bed_free",
        summary="Newer one",
        created_at=at + dt.timedelta(hours=1),
    )
    await make_inbox_item(house, other.id, summary="Not mine")
    await client.force_login(manager)
    page = await client.get("/inbox")
    assert page.status_code == 200
    assert "Not mine" not in page.text
    assert page.text.index("Newer one") < page.text.index("Older one")
    assert "Oak House" in page.text
    assert "A bed free for days" in page.text
    assert re.search(r"Mon 2 Mar( 2026)? at 09:00", page.text)  # the house's timezone
    assert page.text.count('class="row slip inbox-row unread"') == 2
    assert '<span class="bell-count">2</span>' in page.text  # the badge comes with the page


async def test_it_filters_by_house_and_kind_and_ignores_unknown_values(
    client: Client, cast: Cast
) -> None:
    house_1 = await make_house(name="First House")
    house_2 = await make_house(name="Second House")
    manager = await make_user("manager", [house_1, house_2])
    await make_inbox_item(house_1, manager.id, kind="chores_missed", summary="Chores in one")
    await make_inbox_item(house_2, manager.id, kind="bed_free", summary="Bed in two")
    await client.force_login(manager)
    by_house = await client.get(f"/inbox?house={house_2}")
    assert "Bed in two" in by_house.text
    assert "Chores in one" not in by_house.text
    by_kind = await client.get("/inbox?kind=chores_missed")
    assert "Chores in one" in by_kind.text
    assert "Bed in two" not in by_kind.text
    for query in (
        f"house={cast.house_b}",  # a house with no rows of mine
        "house=abc",
        "house=99999999999999999999",
        "kind=%3Cscript%3Ealert(1)%3C/script%3E",
        "kind=" + "x" * 5000,
        "house=1&house=2&kind=",
    ):
        page = await client.get(f"/inbox?{query}")
        assert page.status_code == 200, query
        assert "Chores in one" in page.text
        assert "Bed in two" in page.text
    odd = await client.get("/inbox?kind=%3Cscript%3Ealert(1)%3C/script%3E")
    assert "That kind of alert is unknown" in odd.text
    assert "<script>alert(1)" not in odd.text


async def test_it_opens_an_item_marks_it_read_and_links_to_the_record(
    client: Client, cast: Cast
) -> None:
    house = await make_house()
    manager = await make_user("manager", [house])
    _, delivery = await make_inbox_item(
        house, manager.id, kind="screen_result", record="screen:41", summary="<b>Pat</b> positive"
    )
    await client.force_login(manager)
    page = await client.get(f"/inbox/{delivery}")
    assert page.status_code == 200
    assert 'href="/screens/41"' in page.text
    assert "&lt;b&gt;Pat&lt;/b&gt; positive" in page.text
    row = await Delivery.select(Delivery.read_at).where(Delivery.id == delivery).first()
    assert row is not None
    first_read = row["read_at"]
    assert first_read is not None
    clock.freeze(clock.now() + dt.timedelta(minutes=5))
    try:
        await client.get(f"/inbox/{delivery}")
    finally:
        clock.freeze(None)
    again = await Delivery.select(Delivery.read_at).where(Delivery.id == delivery).first()
    assert again is not None
    assert again["read_at"] == first_read  # the first opening stands
    listing = await client.get("/inbox")
    assert 'class="row slip inbox-row"' in listing.text  # no longer bold


async def test_it_answers_404_for_another_persons_item(client: Client, cast: Cast) -> None:
    house = await make_house()
    owner = await make_user("manager", [house])
    _, delivery = await make_inbox_item(house, owner.id)
    for person in (cast.admin, cast.manager_a, cast.resident_a):
        await client.force_login(person)
        assert (await client.get(f"/inbox/{delivery}")).status_code == 404
    row = await Delivery.select(Delivery.read_at).where(Delivery.id == delivery).first()
    assert row is not None
    assert row["read_at"] is None


async def test_it_lets_a_resident_read_but_shows_no_staff_actions(
    client: Client, cast: Cast
) -> None:
    house = await make_house()
    resident = await make_user("resident", [house])
    _, delivery = await make_inbox_item(
        house, resident.id, kind="rules_unsigned", summary="Sign the house rules"
    )
    await client.force_login(resident)
    page = await client.get(f"/inbox/{delivery}")
    assert page.status_code == 200
    assert 'href="/rules"' in page.text
    assert "Acknowledge" not in page.text
    assert "Resolve" not in page.text


async def test_it_counts_unread_in_the_badge_partial(client: Client, cast: Cast) -> None:
    house = await make_house()
    manager = await make_user("manager", [house])
    await client.force_login(manager)
    empty = await client.get("/inbox/count", headers={"hx-request": "true"})
    assert empty.status_code == 200
    assert "bell-count" not in empty.text
    assert 'hx-trigger="every 60s"' in empty.text
    await make_inbox_item(house, manager.id)
    _, opened = await make_inbox_item(house, manager.id)
    await make_inbox_item(house, manager.id)
    await client.get(f"/inbox/{opened}")
    badge = await client.get("/inbox/count", headers={"hx-request": "true"})
    assert '<span class="bell-count">2</span>' in badge.text
    assert "<html" not in badge.text


async def test_every_page_shows_the_unread_count_without_a_request(
    client: Client, cast: Cast, queries: Any
) -> None:
    house = await make_house()
    manager = await make_user("manager", [house])
    await client.force_login(manager)
    with queries() as none_unread:
        home = await client.get("/")
    assert "bell-count" not in home.text
    for _ in range(3):
        await make_inbox_item(house, manager.id)
    with queries() as three_unread:
        home = await client.get("/")
    assert home.status_code == 200
    assert '<span class="bell-count">3</span>' in home.text  # before any script runs
    assert 'aria-label="Inbox, 3 unread"' in home.text
    assert "load, every 60s" not in home.text  # no request on load
    assert three_unread.count == none_unread.count  # counted with the session's houses


async def test_an_escalated_alert_says_so(client: Client, cast: Cast) -> None:
    house = await make_house()
    admin = await make_user("admin")
    alert, _ = await make_inbox_item(house, admin.id, severity="critical")
    await Alert.update({Alert.escalated_at: clock.now()}).where(Alert.id == alert)
    await client.force_login(admin)
    page = await client.get("/inbox")
    assert '<span class="tag tag-bad">open</span> <span class="tag tag-bad">escalated</span>' in (
        page.text
    )
    assert "nobody acknowledged it in time" in page.text
