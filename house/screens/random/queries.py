"""Reading random draws: a house's past draws page by page, and one draw as it came out
(with whether it redraws the same)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from piccolo.query.functions.aggregate import Count

from house.residents.tables import Resident
from house.screens.random.services import verifies
from house.screens.tables import DrawSelection, RandomDraw

PAGE_SIZE = 30


async def draws_of(
    house_id: int, before: dt.date | None = None, limit: int = PAGE_SIZE
) -> list[dict[str, Any]]:
    """A house's draws, newest first (up to `limit`, before `before`), each with how many of
    its selections are in each status. Two queries."""
    query = (
        RandomDraw.select(
            RandomDraw.id,
            RandomDraw.day,
            RandomDraw.drawn_at,
            RandomDraw.wanted,
            RandomDraw.eligible,
            RandomDraw.drawn_by.name.as_alias("drawn_by_name"),
        )
        .where(RandomDraw.house == house_id)
        .order_by(RandomDraw.day, ascending=False)
        .limit(limit)
    )
    if before is not None:
        query = query.where(RandomDraw.day < before)
    draws: list[dict[str, Any]] = await query
    counts = await (
        DrawSelection.select(
            DrawSelection.draw, DrawSelection.status, Count(DrawSelection.id, alias="n")
        )
        .where(DrawSelection.draw.is_in([d["id"] for d in draws] or [-1]))
        .group_by(DrawSelection.draw, DrawSelection.status)
    )
    by_draw: dict[int, dict[str, int]] = {}
    for c in counts:
        by_draw.setdefault(int(c["draw"]), {})[c["status"]] = int(c["n"])
    for d in draws:
        d["counts"] = by_draw.get(d["id"], {})
        d["drawn"] = sum(d["counts"].values())
        d["eligible_count"] = len(json.loads(d.pop("eligible")))
    return draws


async def draw_detail(draw_id: int) -> dict[str, Any] | None:
    """A draw with its selections (in draw order, with names and who decided), the names of
    everyone it considered, and whether it redraws the same. Three queries."""
    draw: dict[str, Any] | None = (
        await RandomDraw.select(
            *RandomDraw.all_columns(), RandomDraw.drawn_by.name.as_alias("drawn_by_name")
        )
        .where(RandomDraw.id == draw_id)
        .first()
    )
    if draw is None:
        return None
    eligible = [int(i) for i in json.loads(draw["eligible"])]
    excluded = {int(k): str(v) for k, v in json.loads(draw["excluded"]).items()}
    selected = [int(i) for i in json.loads(draw["selected"])]
    ids = sorted({*eligible, *excluded})
    names = {
        int(r["id"]): r["preferred_name"]
        for r in await Resident.select(Resident.id, Resident.preferred_name).where(
            Resident.id.is_in(ids or [-1])
        )
    }
    selections = await DrawSelection.select(
        *DrawSelection.all_columns(),
        DrawSelection.decided_by.name.as_alias("decided_by_name"),
    ).where(DrawSelection.draw == draw_id)
    order = {rid: i for i, rid in enumerate(selected)}
    selections.sort(key=lambda s: order.get(s["resident"], len(order)))
    for position, s in enumerate(selections, start=1):
        s["name"] = names.get(s["resident"], f"Resident {s['resident']}")
        s["position"] = position
    draw["eligible_people"] = [{"id": i, "name": names.get(i, f"Resident {i}")} for i in eligible]
    draw["excluded_people"] = [
        {"id": i, "name": names.get(i, f"Resident {i}"), "why": why}
        for i, why in sorted(excluded.items(), key=lambda kv: names.get(kv[0], ""))
    ]
    draw["eligible_people"].sort(key=lambda p: p["name"])
    draw["selections"] = selections
    draw["verified"] = verifies(draw)
    return draw
