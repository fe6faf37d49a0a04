"""Access-matrix rows for the alerts routes (merged into the main matrix)."""

from __future__ import annotations

from tests.cast import Cast

# (method, path with {placeholders}, {persona: status}), as in test_access_matrix.MATRIX.
ROWS: list[tuple[str, str, dict[str, int]]] = []
# Each placeholder this file adds -> the route's path parameter, e.g. "alert_a": "alert_id:int".
ROUTE_PARAMS: dict[str, str] = {}


async def make_places(cast: Cast, places: dict[str, int]) -> dict[str, int]:
    """Records the rows above point at (ids by placeholder name); `places` holds the shared
    ones (stay_a, resident_a, room_a, bed_a, bed_b, home_stay_a, home_resident_a)."""
    return {}
