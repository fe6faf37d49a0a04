"""No dead ends: every page a role may see is reachable from that role's home by links.

For each member of the cast the test starts at `/`, follows `<a href>` links only (GET,
same origin, HTML pages), and lists the page routes it never reached. "The pages a role may
see" come from the app's route table and the access matrix (the GET rows that give that
role a 200), so a route added later is covered as soon as it has its matrix rows. A route
with parameters counts as reached when any URL matching it answered 200. A route whose
answer is not a whole HTML page (JSON such as /health, a file, a fragment that script
fetches such as the bell's count) is not a page: the matrix's own URL for it is asked to
tell. A link that answers the role with an error (a 403, a 404, a 500) fails the test too:
a link is shown only to those who may follow it.
"""

from __future__ import annotations

import heapq
import re
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest

from tests.cast import Cast
from tests.client import BASE_URL, Client
from tests.web.test_access_matrix import MATRIX, route_of, url_of

# Whole HTML pages that no link needs to reach, and why (none today).
NOT_LINKED: dict[str, str] = {}
# resident_a2 and resident_b have accounts but live in no house: their home rightly offers
# none of the pages that are about living in one (opened by address, each says why).
NEEDS_A_STAY = {"/cm", "/meetings/outside/new", "/meetings/week"}
WITHOUT_A_STAY = {"resident_a2", "resident_b"}
# The crawl stops as soon as it has reached every page it looks for, and is bounded: at
# most this many URLs of one route (its other URLs look alike; the least visited routes go
# first) and this many pages in all for one person.
PER_ROUTE = 12
MAX_PAGES = 500


PageCheck = Callable[[str], Awaitable[bool]]


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def links_of(html: str, base: str) -> list[str]:
    """The same-origin links of a page, as paths with their query (no fragment)."""
    parser = _Links()
    parser.feed(html)
    out = []
    for href in parser.hrefs:
        url = urlsplit(urljoin(base, href))
        if f"{url.scheme}://{url.netloc}" == BASE_URL:
            out.append(url.path + (f"?{url.query}" if url.query else ""))
    return out


def _pattern(path: str) -> re.Pattern[str]:
    """A route's path as a regular expression ({id:int} matches digits, and so on)."""
    kinds = {"int": r"\d+", "str": r"[^/]+", "path": r".*"}
    regex = re.sub(
        r"\\\{\w+:(\w+)\\\}", lambda m: kinds[m.group(1)], re.escape(path.rstrip("/") or "/")
    )
    return re.compile(f"^{regex}/?$")


def page_routes(app: Any) -> dict[str, re.Pattern[str]]:
    """Every GET route of the app, path -> its pattern."""
    return {
        route.path: _pattern(route.path)
        for route in app.routes
        for handler in getattr(route, "route_handlers", [])
        if "GET" in handler.http_methods
    }


def may_see(persona: str) -> dict[str, list[str]]:
    """The routes the access matrix gives `persona` (a 200 to a GET), each with its rows'
    paths."""
    routes: dict[str, list[str]] = {}
    for method, path, expected in MATRIX:
        if method == "GET" and expected[persona] == 200:
            routes.setdefault(route_of(path).split("?")[0], []).append(path)
    return routes


async def is_page(client: Client, url: str) -> bool:
    """Whether a URL answers with a whole HTML page (not JSON, a file or a fragment)."""
    response = await client.get(url)
    html = response.headers.get("content-type", "").startswith("text/html")
    return response.status_code == 200 and html and "<html" in response.text[:500]


@dataclass
class Crawl:
    """A crawl of one person's links. `houses` are the cast's houses, where the matrix made
    a record of every kind: pages of other houses (made by other tests, which an admin sees
    too), and the pages found from them, come after, so the crawl does not depend on how
    many other houses the database holds."""

    routes: dict[str, re.Pattern[str]]
    houses: set[int]
    reached: set[str] = field(default_factory=set)
    broken: list[str] = field(default_factory=list)
    visits: Counter[str] = field(default_factory=Counter)
    asked: set[str] = field(default_factory=set)

    def route(self, path: str) -> str | None:
        bare = path.split("?")[0]
        for route, pattern in self.routes.items():
            if pattern.match(bare):
                return route
        return None

    def rank(self, route: str | None, elsewhere: bool) -> tuple[int, int, int]:
        """Which links to follow first: to routes not reached yet, in the cast's houses,
        then the least visited."""
        if route is None:
            return (0, 0, 0)  # no such route: reported at once
        return (int(route in self.reached), int(elsewhere), self.visits[route])

    def elsewhere(self, link: str, found_elsewhere: bool) -> bool:
        """Whether a link is about another house than the cast's (or found from one)."""
        house = re.match(r"^/houses/(\d+)", link)
        return found_elsewhere or (house is not None and int(house.group(1)) not in self.houses)

    async def walk(
        self, client: Client, start: str, goal: set[str], is_page: PageCheck
    ) -> set[str]:
        """From `start`, following first the links that `rank` puts first (ranks go stale
        as pages are reached: a link is put back when its rank has dropped), until every
        route of `goal` is reached or a bound is. Once no link waits for a route not
        reached yet, the routes still missing are asked whether they are pages at all
        (`is_page`); those that are not leave the goal. Returns the pages not reached."""
        goal = set(goal)
        seen = {start}
        queue: list[tuple[tuple[int, int, int], int, str, str, bool]] = [
            ((0, 0, 0), 0, start, "home", False)
        ]
        order = 0
        while queue and sum(self.visits.values()) < MAX_PAGES and not goal <= self.reached:
            rank, _, url, came_from, elsewhere = heapq.heappop(queue)
            route = self.route(url)
            if self.rank(route, elsewhere) > rank:
                order += 1
                heapq.heappush(
                    queue, (self.rank(route, elsewhere), order, url, came_from, elsewhere)
                )
                continue
            if rank[0] == 1 and not await self.only_pages(goal, is_page):
                break
            if route is None:
                self.broken.append(f"{url} (from {came_from}): no such route")
                continue
            if self.visits[route] >= PER_ROUTE:
                continue
            self.visits[route] += 1
            for link in await self.fetch(client, url, route, came_from):
                if link not in seen:
                    seen.add(link)
                    order += 1
                    away = self.elsewhere(link, elsewhere)
                    heapq.heappush(
                        queue, (self.rank(self.route(link), away), order, link, url, away)
                    )
        await self.only_pages(goal, is_page)
        return goal - self.reached

    async def only_pages(self, goal: set[str], is_page: PageCheck) -> bool:
        """Drop from `goal` the routes not reached that are not pages (each asked once);
        True while some page of it is still to reach."""
        for route in sorted(goal - self.reached - self.asked):
            self.asked.add(route)
            if not await is_page(route):
                goal.discard(route)
        return not goal <= self.reached

    async def fetch(self, client: Client, url: str, route: str, came_from: str) -> list[str]:
        response = await client.get(url)
        if response.status_code in (302, 303) and came_from == "home":
            # Home of someone signed out: the sign-in page.
            url = response.headers["location"]
            route = self.route(url) or url
            response = await client.get(url)
        if response.status_code != 200:
            self.broken.append(f"{url} (from {came_from}): {response.status_code}")
            return []
        if not response.headers.get("content-type", "").startswith("text/html"):
            return []
        self.reached.add(route)
        return links_of(response.text, BASE_URL + url)


PERSONAS = [
    "admin",
    "manager_a",
    "manager_b",
    "resident_a",
    "resident_a2",
    "resident_b",
    "case_manager",
    "anonymous",
]


@pytest.mark.parametrize("persona", PERSONAS)
async def test_it_reaches_every_page_a_role_may_see_from_home(
    app: Any, cast: Cast, places: dict[str, int], persona: str
) -> None:
    routes = page_routes(app)
    assert set(NOT_LINKED) <= set(routes)
    rows = may_see(persona)
    expected = set(rows) - set(NOT_LINKED)
    if persona in WITHOUT_A_STAY:
        expected -= NEEDS_A_STAY
    assert expected <= set(routes), "the matrix names a route the app does not have"
    crawl = Crawl(routes, {cast.house_a, cast.house_b})
    person = cast.people()[persona]
    async with Client(app) as client:
        if person is not None:
            await client.force_login(person)

        async def page_route(route: str) -> bool:
            """Whether any of the matrix's URLs of `route` answers this person a page."""
            for path in rows[route]:
                if await is_page(client, url_of(path, cast, places, cast.resident_a.id)):
                    return True
            return False

        unreachable = sorted(await crawl.walk(client, "/", expected, page_route))
    assert crawl.broken == [], f"links that fail for {persona}"
    assert unreachable == [], f"pages {persona} may see but cannot reach from home by links"
