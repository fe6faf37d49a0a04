"""The weekly summary page: a house's week resident by resident for its staff (what the
email leaves out), reached from the house's menu and from the email's link (through sign-in),
with a week picker, a clear note for a week it cannot show as asked, an audit row per view,
and the same number of queries however many residents."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import quote

import pytest

from house.audit.tables import AuditEvent
from house.lib import clock
from tests.client import Client
from tests.factories import make_user, unique
from tests.reports.kit import (
    MONDAY_SEVEN,
    SURNAME,
    WEEK,
    busy_week,
    chicago,
    chore_days,
    house_with,
    screen,
)

URL = "/houses/{}/reports/weekly"


@pytest.fixture(autouse=True)
async def _release_clock() -> AsyncIterator[None]:
    yield
    clock.freeze(None)


def section(html: str, dom_id: str) -> str:
    return html.split(f'id="{dom_id}"')[1].split("</section>")[0]


async def test_it_shows_the_week_resident_by_resident(client: Client) -> None:
    scene = await busy_week()
    clock.freeze(MONDAY_SEVEN)
    await client.force_login(scene.manager)
    page = await client.get(URL.format(scene.house))  # no week: last week
    assert page.status_code == 200
    html = page.text
    assert "Week of Mon 23 Nov \u2013 Sun 29 Nov" in html
    pat = section(html, f"resident-{scene.pat['resident']}")
    assert scene.pat["name"] in pat
    assert "3 verified, 2 missed" in pat
    assert "2 of 2 attended" in pat
    assert "2 of 3 verified" in pat
    assert "negative, positive (lab pending)" in pat
    assert "<dt>Open violations</dt><dd>1</dd>" in pat
    assert "screen to follow up" in pat
    sam = section(html, f"resident-{scene.sam['resident']}")
    assert "&lt;b&gt;Sam" in sam  # a typed name is escaped
    assert "refused, expected positive" in sam
    assert "1 of 2 attended" in sam
    assert "<b>Sam" not in html
    counts = section(html, "house-counts")
    assert "<dd>2</dd>" in counts
    assert "4 recorded, 2 need attention" in counts
    for absent in (scene.gone, scene.later, scene.otto["name"], SURNAME, scene.ketamine):
        assert absent not in html
    assert "dilute" not in html  # the other house's screen
    # The picker: the week before, and the week after (this week, so far).
    assert f'href="{URL.format(scene.house)}?week=2026-11-16"' in html
    assert f'href="{URL.format(scene.house)}?week=2026-11-30"' in html
    assert ">Last week<" not in html  # already on it

    this_week = await client.get(URL.format(scene.house) + "?week=2026-11-30")
    assert "(so far)" in this_week.text
    assert "Week after" not in this_week.text  # the future has nothing to show
    assert ">Last week<" in this_week.text


async def test_it_is_linked_from_the_house_menu(client: Client) -> None:
    house, manager, _ = await house_with([unique("Pat")], admitted_on=WEEK)
    await client.force_login(manager)
    link = f'href="{URL.format(house)}"'
    assert link in (await client.get("/")).text
    assert link in (await client.get(f"/houses/{house}/board")).text


async def test_it_writes_an_audit_row_for_each_view(client: Client) -> None:
    scene = await busy_week()
    clock.freeze(MONDAY_SEVEN)
    admin = await make_user("admin")
    await client.force_login(admin)
    for _ in range(2):
        assert (await client.get(URL.format(scene.house) + "?week=2026-11-23")).status_code == 200
    rows = (
        await AuditEvent.select()
        .where(AuditEvent.action == "weekly_summary_viewed", AuditEvent.actor == admin.id)
        .order_by(AuditEvent.id)
    )
    assert len(rows) == 2
    assert rows[0]["record"] == f"house:{scene.house}:week:2026-11-23"
    assert rows[0]["detail"].startswith("screens:")
    assert len(rows[0]["detail"].removeprefix("screens:").split(",")) == 4
    for word in ("negative", "positive", "refused", scene.pat["name"]):
        assert word not in rows[0]["detail"]


@pytest.mark.parametrize(
    ("week", "shown", "note"),
    [
        ("not-a-date", "Mon 23 Nov", "That is not a date: showing last week."),
        ("2026-02-30", "Mon 23 Nov", "That is not a date: showing last week."),
        ("x" * 5000, "Mon 23 Nov", "That is not a date: showing last week."),
        ("2026-11-19", "Mon 16 Nov", "Weeks run Monday to Sunday: showing the week of Mon 16"),
        ("2099-01-05", "Mon 30 Nov", "That week has not started yet: showing this week so far."),
        ("2026-12-07", "Mon 30 Nov", "That week has not started yet"),
        ("2026-11-16", "Mon 16 Nov", ""),
    ],
)
async def test_it_says_which_week_it_shows_for_a_bad_week(
    client: Client, week: str, shown: str, note: str
) -> None:
    clock.freeze(MONDAY_SEVEN - dt.timedelta(days=14))
    house, manager, _ = await house_with([unique("Pat")], admitted_on=WEEK - dt.timedelta(days=30))
    clock.freeze(MONDAY_SEVEN)
    await client.force_login(manager)
    page = await client.get(URL.format(house), params={"week": week})
    assert page.status_code == 200
    assert f"Week of {shown}" in page.text
    if note:
        assert note in page.text
        assert 'id="week-note"' in page.text
    else:
        assert 'id="week-note"' not in page.text


async def test_it_says_when_nobody_lived_there(client: Client) -> None:
    house, manager, _ = await house_with([unique("Pat")], admitted_on=WEEK)
    clock.freeze(MONDAY_SEVEN)
    await client.force_login(manager)
    page = await client.get(URL.format(house) + "?week=2026-10-05")
    assert 'id="nobody"' in page.text
    assert "<dt>Residents</dt><dd>0</dd>" in page.text


async def test_it_brings_the_emailed_link_back_after_sign_in(client: Client) -> None:
    house, manager, _ = await house_with([unique("Pat")], admitted_on=WEEK)
    clock.freeze(MONDAY_SEVEN)
    link = URL.format(house) + "?week=2026-11-16"
    first = await client.get(link)
    assert first.status_code == 303
    assert first.headers["location"] == "/login?next=" + quote(link, safe="/")
    signed_in = await client.post(
        "/login", {"email": manager.email, "password": manager.password, "next": link}
    )
    assert signed_in.status_code == 303
    assert signed_in.headers["location"] == link
    assert "Week of Mon 16 Nov" in (await client.get(link)).text


async def _page_queries(client: Client, queries: Any, house: int) -> int:
    with queries() as counted:
        page = await client.get(URL.format(house) + "?week=2026-11-23")
    assert page.status_code == 200
    count: int = counted.count
    return count


async def test_it_reads_a_week_in_the_same_number_of_queries_for_any_size(
    client: Client, queries: Any
) -> None:
    clock.freeze(MONDAY_SEVEN - dt.timedelta(days=14))
    admin = await make_user("admin")

    async def busy_house(residents: int) -> int:
        house, manager, people = await house_with(
            [unique("R") for _ in range(residents)], admitted_on=WEEK - dt.timedelta(days=7)
        )
        for person in people:
            await chore_days(house, manager, person, [(WEEK, "verified")])
            await screen(house, person, chicago(WEEK, 9), "negative")
        return house

    small, large = await busy_house(1), await busy_house(8)
    clock.freeze(MONDAY_SEVEN)
    await client.force_login(admin)
    await _page_queries(client, queries, small)  # the first request of a session warms it
    assert await _page_queries(client, queries, small) == await _page_queries(
        client, queries, large
    )
