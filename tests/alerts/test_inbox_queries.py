"""The inbox, an item and the badge cost the same number of queries for 3 and 30 items."""

from __future__ import annotations

from typing import Any

from tests.cast import Cast
from tests.client import Client
from tests.factories import make_house, make_inbox_item, make_user


async def _measure(client: Client, queries: Any, size: int) -> tuple[int, int, int]:
    houses = [await make_house(), await make_house()]
    manager = await make_user("manager", houses)
    deliveries = [
        (await make_inbox_item(houses[i % 2], manager.id, kind="bed_free"))[1] for i in range(size)
    ]
    await client.force_login(manager)
    await client.get("/inbox/count")  # warm the session
    with queries() as listing:
        page = await client.get("/inbox")
    assert page.text.count('id="alert-row-') == size
    with queries() as item:
        await client.get(f"/inbox/{deliveries[0]}")
    with queries() as badge:
        await client.get("/inbox/count")
    return listing.count, item.count, badge.count


async def test_it_shows_the_inbox_with_the_same_queries_for_3_and_30_items(
    client: Client, cast: Cast, queries: Any
) -> None:
    few = await _measure(client, queries, 3)
    many = await _measure(client, queries, 30)
    assert few == many
