"""Access-matrix rows for the alerts routes (merged into the main matrix)."""

from __future__ import annotations

from tests.cast import Cast
from tests.factories import make_inbox_item

SIGN_IN = 303
NOBODY = {
    "admin": 403,
    "manager_a": 403,
    "manager_b": 403,
    "resident_a": 403,
    "resident_a2": 403,
    "resident_b": 403,
    "case_manager": 403,
    "anonymous": SIGN_IN,
}
EVERYONE = {**dict.fromkeys(NOBODY, 200), "anonymous": SIGN_IN}
# Another person's inbox row is a 404 for everyone but its owner (admins included).
ONLY_MANAGER_A = {**dict.fromkeys(NOBODY, 404), "manager_a": 200, "anonymous": SIGN_IN}
# Acknowledge/resolve: staff who had the alert (manager_a) and admins; B's manager, who did
# not, gets a 404; residents and case managers are refused by role.
HAD_IT = {**NOBODY, "admin": 303, "manager_a": 303, "manager_b": 404}


def _with(base: dict[str, int], **changes: int) -> dict[str, int]:
    return {**base, **changes}


# (method, path with {placeholders}, {persona: status}), as in test_access_matrix.MATRIX.
ROWS: list[tuple[str, str, dict[str, int]]] = [
    ("GET", "/inbox", EVERYONE),
    ("GET", "/inbox/count", EVERYONE),
    ("GET", "/inbox/{delivery_a}", ONLY_MANAGER_A),
    ("GET", "/inbox/{missing_delivery}", _with(ONLY_MANAGER_A, manager_a=404)),
    ("GET", "/inbox/preferences", EVERYONE),
    # An empty form: everyone signed in gets it back (422).
    ("POST", "/inbox/preferences", {**dict.fromkeys(NOBODY, 422), "anonymous": SIGN_IN}),
    ("POST", "/alerts/{alert_a}/acknowledge", HAD_IT),
    ("POST", "/alerts/{missing_alert}/acknowledge", _with(HAD_IT, admin=404, manager_a=404)),
    ("POST", "/alerts/{alert_a}/resolve", _with(HAD_IT, admin=422, manager_a=422)),
    ("POST", "/alerts/{missing_alert}/resolve", _with(HAD_IT, admin=404, manager_a=404)),
]
# Each placeholder this file adds -> the route's path parameter, e.g. "alert_a": "alert_id:int".
ROUTE_PARAMS: dict[str, str] = {
    "delivery_a": "delivery_id:int",
    "missing_delivery": "delivery_id:int",
    "alert_a": "alert_id:int",
    "missing_alert": "alert_id:int",
}


async def make_places(cast: Cast, places: dict[str, int]) -> dict[str, int]:
    """An alert of house A in manager_a's inbox."""
    alert, delivery = await make_inbox_item(cast.house_a, cast.manager_a.id)
    return {
        "alert_a": alert,
        "delivery_a": delivery,
        "missing_alert": 2_000_000_000,
        "missing_delivery": 2_000_000_000,
    }
