"""Access-matrix rows for the random-selection routes (merged into the main matrix).
Residents never see a draw: every route is staff only (403); another house's is a 404."""

from __future__ import annotations

import datetime as dt

from house.db import write_transaction
from house.houses.tables import House
from house.lib import clock
from house.lib.dates import house_today
from house.screens.random import services as random_services
from house.screens.tables import DrawSelection
from tests.cast import Cast
from tests.factories import make_resident_in

SIGN_IN = 303
_NOBODY = {
    "admin": 403,
    "manager_a": 403,
    "manager_b": 403,
    "resident_a": 403,
    "resident_a2": 403,
    "resident_b": 403,
    "case_manager": 403,
    "anonymous": SIGN_IN,
}
A_STAFF = {**_NOBODY, "admin": 200, "manager_a": 200, "manager_b": 404}
B_STAFF = {**_NOBODY, "admin": 200, "manager_a": 404, "manager_b": 200}
NOT_FOUND_FOR_STAFF = {**_NOBODY, "admin": 404, "manager_a": 404, "manager_b": 404}


def _a(status: int) -> dict[str, int]:
    return {**A_STAFF, "admin": status, "manager_a": status}


def _b(status: int) -> dict[str, int]:
    return {**B_STAFF, "admin": status, "manager_b": status}


# (method, path with {placeholders}, {persona: status}), as in test_access_matrix.MATRIX.
# POSTs send an empty form: the settings and the excuse answer 422; "draw now" in a house
# with random screens off sends the manager back with a message (303).
ROWS: list[tuple[str, str, dict[str, int]]] = [
    ("GET", "/houses/{house_a}/draws", A_STAFF),
    ("GET", "/houses/{house_b}/draws", B_STAFF),
    ("GET", "/houses/{missing_house}/draws", {**A_STAFF, "admin": 404, "manager_a": 404}),
    ("POST", "/houses/{house_a}/draws", _a(303)),
    ("POST", "/houses/{house_b}/draws", _b(303)),
    ("GET", "/houses/{house_a}/draws/settings", A_STAFF),
    ("GET", "/houses/{house_b}/draws/settings", B_STAFF),
    ("POST", "/houses/{house_a}/draws/settings", _a(422)),
    ("POST", "/houses/{house_b}/draws/settings", _b(422)),
    ("GET", "/draws/{draw_a}", A_STAFF),
    ("GET", "/draws/{draw_b}", B_STAFF),
    ("GET", "/draws/{missing_draw}", NOT_FOUND_FOR_STAFF),
    ("POST", "/draw-selections/{selection_a}/excuse", _a(422)),
    ("POST", "/draw-selections/{selection_b}/excuse", _b(422)),
    ("POST", "/draw-selections/{missing_selection}/excuse", NOT_FOUND_FOR_STAFF),
]
# Each placeholder this file adds -> the route's path parameter.
ROUTE_PARAMS: dict[str, str] = {
    "draw_a": "draw_id:int",
    "draw_b": "draw_id:int",
    "missing_draw": "draw_id:int",
    "selection_a": "selection_id:int",
    "selection_b": "selection_id:int",
    "missing_selection": "selection_id:int",
}


async def _past_draw(house: int, manager: int) -> tuple[int, int]:
    """A draw three days ago with one of its selections; random screens stay off after
    (the daily job must not draw the shared houses for other tests)."""
    now = clock.now()
    row = await House.select(House.timezone).where(House.id == house).first()
    assert row is not None
    day = house_today(now, row["timezone"]) - dt.timedelta(days=3)
    await make_resident_in(house, manager, preferred_name="Drawn Once", admitted_on=day)
    async with write_transaction():
        await House.update({House.random_enabled: True}).where(House.id == house)
    try:
        drawn = await random_services.draw_for_day(house_id=house, day=day, now=now, by=manager)
    finally:
        async with write_transaction():
            await House.update({House.random_enabled: False}).where(House.id == house)
    selection = await DrawSelection.select(DrawSelection.id).where(
        DrawSelection.draw == drawn.draw_id
    )
    assert selection, "the matrix draw selected nobody"
    return drawn.draw_id, int(selection[0]["id"])


async def make_places(cast: Cast, places: dict[str, int]) -> dict[str, int]:
    """Records the rows above point at (ids by placeholder name); `places` holds the shared
    ones (stay_a, resident_a, room_a, bed_a, bed_b, home_stay_a and home_resident_a: the
    active stay of cast.resident_a in house A)."""
    draw_a, selection_a = await _past_draw(cast.house_a, cast.manager_a.id)
    draw_b, selection_b = await _past_draw(cast.house_b, cast.manager_b.id)
    return {
        "draw_a": draw_a,
        "draw_b": draw_b,
        "missing_draw": 2_000_000_000,
        "selection_a": selection_a,
        "selection_b": selection_b,
        "missing_selection": 2_000_000_000,
    }
