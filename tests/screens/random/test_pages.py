"""The staff pages: past draws with "Draw today's list now", one draw as it came out (with
names, why others were left out, and the redraw check), random screens off; residents and
another house's staff never see a draw; the same queries for few or many draws."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from house.lib import clock
from house.screens.random import queries as draw_queries
from house.screens.random import services
from house.screens.tables import DrawSelection, RandomDraw
from tests.cast import Cast
from tests.client import Client
from tests.screens.random.helpers import (
    TODAY,
    at_wednesday,  # noqa: F401 - a fixture
    random_house,
)

pytestmark = pytest.mark.usefixtures("at_wednesday")


async def test_it_draws_todays_list_now_and_shows_it_once(client: Client) -> None:
    setup = await random_house(residents=4, rate=2)
    await client.force_login(setup["manager"])
    listing = await client.get(f"/houses/{setup['house']}/draws")
    assert listing.status_code == 200
    assert "Draw today's list now" in listing.text
    assert "2 residents a day, drawn at 06:00" in listing.text
    drawn = await client.post(f"/houses/{setup['house']}/draws", {})
    assert drawn.status_code == 303
    draw = await RandomDraw.select().where(RandomDraw.house == setup["house"]).first()
    assert draw is not None
    assert drawn.headers["location"] == f"/draws/{draw['id']}"
    assert draw["drawn_by"] == setup["manager"].id
    again = await client.post(f"/houses/{setup['house']}/draws", {})
    assert again.headers["location"] == f"/draws/{draw['id']}"
    assert await RandomDraw.count().where(RandomDraw.house == setup["house"]) == 1
    page = await client.get(f"/draws/{draw['id']}")
    assert "list was drawn already: here it is" in page.text
    assert "Redrawn from the stored seed: same list." in page.text
    assert draw["seed"] in page.text
    assert "Mo Draws" in page.text
    selected = json.loads(draw["selected"])
    names = {r["resident"]: r["name"] for r in setup["residents"]}
    body = page.text.split('id="selections"', 1)[1].split("</ul>", 1)[0]
    # In draw order, numbered.
    assert body.index(f"1. {names[selected[0]]}") < body.index(f"2. {names[selected[1]]}")
    for rid, name in names.items():
        assert f'id="eligible-{rid}">{name}<' in page.text
    listing = await client.get(f"/houses/{setup['house']}/draws")
    assert "Draw today's list now" not in listing.text
    assert "2 drawn of 4 eligible · 2 to screen" in listing.text
    assert f'href="/draws/{draw["id"]}"' in listing.text


async def test_it_shows_who_was_left_out_and_why_and_a_draw_by_the_job(client: Client) -> None:
    setup = await random_house(residents=3, rate=1, cap=0)
    drawn = await services.draw_for_day(
        house_id=setup["house"], day=TODAY, now=clock.now(), by=None
    )
    await client.force_login(setup["manager"])
    page = await client.get(f"/draws/{drawn.draw_id}")
    assert "by the daily job" in page.text
    assert "Nobody was drawn: nobody was eligible." in page.text
    for r in setup["residents"]:
        assert f'id="excluded-{r["resident"]}">{r["name"]}: ' in page.text
    assert page.text.count("reached the weekly cap") == 3


async def test_it_says_when_random_screens_are_off_and_links_the_settings(client: Client) -> None:
    setup = await random_house(residents=2, enabled=False)
    await client.force_login(setup["manager"])
    listing = await client.get(f"/houses/{setup['house']}/draws")
    assert "Random screens are off for this house" in listing.text
    assert f'href="/houses/{setup["house"]}/draws/settings"' in listing.text
    assert "Draw today's list now" not in listing.text
    refused = await client.post(f"/houses/{setup['house']}/draws", {})
    assert refused.status_code == 303
    assert refused.headers["location"] == f"/houses/{setup['house']}/draws"
    assert await RandomDraw.count().where(RandomDraw.house == setup["house"]) == 0
    follow = await client.get(f"/houses/{setup['house']}/draws")
    assert "Turn them on in the settings." in follow.text


async def test_it_never_shows_a_draw_to_a_resident_or_another_house(
    client: Client, cast: Cast
) -> None:
    setup = await random_house(residents=2, rate=2)
    drawn = await services.draw_for_day(
        house_id=setup["house"], day=TODAY, now=clock.now(), by=None
    )
    selection = await DrawSelection.select().where(DrawSelection.draw == drawn.draw_id).first()
    assert selection is not None
    drawn_person = next(
        r["person"] for r in setup["residents"] if r["resident"] == selection["resident"]
    )
    urls = [
        ("GET", f"/houses/{setup['house']}/draws"),
        ("POST", f"/houses/{setup['house']}/draws"),
        ("GET", f"/houses/{setup['house']}/draws/settings"),
        ("POST", f"/houses/{setup['house']}/draws/settings"),
        ("GET", f"/draws/{drawn.draw_id}"),
        ("POST", f"/draw-selections/{selection['id']}/excuse"),
    ]
    for person, status in ((drawn_person, 403), (cast.case_manager, 403), (cast.manager_a, 404)):
        await client.force_login(person)
        for method, url in urls:
            if method == "GET":
                response = await client.get(url)
            else:
                response = await client.post(url, {"reason": "x"})
            assert response.status_code == status, (person.name, url)
            assert drawn_person.name not in response.text or person == drawn_person
    # The resident's own home says nothing of today's list either.
    await client.force_login(drawn_person)
    home = await client.get("/")
    assert home.status_code == 200
    assert "draw" not in home.text.lower()
    assert "random" not in home.text.lower()
    stored = await DrawSelection.select().where(DrawSelection.id == selection["id"]).first()
    assert stored is not None
    assert stored["status"] == "selected"


async def test_it_answers_a_bad_before_day_with_the_newest(client: Client) -> None:
    setup = await random_house(residents=1)
    await client.force_login(setup["manager"])
    for raw in ("2026-02-30", "<script>x</script>", "9" * 300):
        page = await client.get(f"/houses/{setup['house']}/draws", params={"before": raw})
        assert page.status_code == 200
        assert "That is not a date: showing the newest draws." in page.text
        assert "<script>x" not in page.text


async def _days_of_draws(house: int, days: int) -> None:
    for offset in range(days):
        day = TODAY - dt.timedelta(days=offset)
        now = dt.datetime.combine(day, dt.time(14), tzinfo=dt.UTC)
        await services.draw_for_day(house_id=house, day=day, now=now, by=None)


async def test_it_lists_draws_and_shows_one_with_the_same_queries_for_few_or_many(
    client: Client, queries: Any
) -> None:
    small = await random_house(residents=2, rate=1, cap=7, hours=0)
    large = await random_house(residents=12, rate=6, cap=7, hours=0)
    await _days_of_draws(small["house"], 2)
    await _days_of_draws(large["house"], 40)
    counts = []
    for setup in (small, large):
        await client.force_login(setup["manager"])
        latest = (
            await RandomDraw.select(RandomDraw.id)
            .where(RandomDraw.house == setup["house"], RandomDraw.day == TODAY)
            .first()
        )
        assert latest is not None
        await client.get(f"/houses/{setup['house']}/draws")
        with queries() as listing:
            page = await client.get(f"/houses/{setup['house']}/draws")
        with queries() as detail:
            one = await client.get(f"/draws/{latest['id']}")
        assert one.status_code == 200
        counts.append((listing.count, detail.count, page.text.count('class="row" id="draw-')))
    assert counts[0][:2] == counts[1][:2]
    assert (counts[0][2], counts[1][2]) == (2, draw_queries.PAGE_SIZE)
    older = await client.get(
        f"/houses/{large['house']}/draws?before={TODAY - dt.timedelta(days=29)}"
    )
    assert older.text.count('class="row" id="draw-') == 10
