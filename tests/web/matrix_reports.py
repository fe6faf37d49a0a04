"""Access-matrix rows for the weekly summary page (merged into the main matrix): staff of
the house only; residents and case managers are refused (403), another house's manager gets
a 404."""

from __future__ import annotations

from tests.cast import Cast

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

ROWS: list[tuple[str, str, dict[str, int]]] = [
    ("GET", "/houses/{house_a}/reports/weekly", A_STAFF),
    ("GET", "/houses/{house_b}/reports/weekly", B_STAFF),
    ("GET", "/houses/{missing_house}/reports/weekly", {**A_STAFF, "admin": 404, "manager_a": 404}),
]
ROUTE_PARAMS: dict[str, str] = {}


async def make_places(cast: Cast, places: dict[str, int]) -> dict[str, int]:
    """Nothing of its own: the cast's houses are enough."""
    return {}
