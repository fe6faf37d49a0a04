"""Access-matrix rows for the CM routes (merged into the main matrix).

A ledger reveals screen outcomes: staff of the resident's house and admins see it, another
house's manager gets a 404, residents and case managers are refused by role; a resident
sees only their own at /cm.
"""

from __future__ import annotations

from tests.cast import Cast

SIGN_IN = 303
_REFUSED = {
    "admin": 403,
    "manager_a": 403,
    "manager_b": 403,
    "resident_a": 403,
    "resident_a2": 403,
    "resident_b": 403,
    "case_manager": 403,
    "anonymous": SIGN_IN,
}
RESIDENTS = {**_REFUSED, "resident_a": 200, "resident_a2": 200, "resident_b": 200}
HOUSE_A_STAFF = {**_REFUSED, "admin": 200, "manager_a": 200, "manager_b": 404}
HOUSE_B_STAFF = {**_REFUSED, "admin": 200, "manager_a": 404, "manager_b": 200}
MISSING_FOR_STAFF = {**HOUSE_A_STAFF, "admin": 404, "manager_a": 404}
# POSTs send an empty form: staff of the house get the form back with its errors (422).
FORM_A = {**HOUSE_A_STAFF, "admin": 422, "manager_a": 422}

ROWS: list[tuple[str, str, dict[str, int]]] = [
    ("GET", "/houses/{house_a}/cm", HOUSE_A_STAFF),
    ("GET", "/houses/{house_b}/cm", HOUSE_B_STAFF),
    ("GET", "/houses/{missing_house}/cm", MISSING_FOR_STAFF),
    ("GET", "/houses/{house_a}/cm/settings", HOUSE_A_STAFF),
    ("GET", "/houses/{house_b}/cm/settings", HOUSE_B_STAFF),
    ("GET", "/houses/{missing_house}/cm/settings", MISSING_FOR_STAFF),
    ("POST", "/houses/{house_a}/cm/settings", FORM_A),
    ("POST", "/houses/{missing_house}/cm/settings", MISSING_FOR_STAFF),
    ("GET", "/residents/{cm_resident_a}/cm", HOUSE_A_STAFF),
    ("GET", "/residents/{cm_resident_b}/cm", HOUSE_B_STAFF),
    ("GET", "/residents/{cm_missing_resident}/cm", MISSING_FOR_STAFF),
    ("POST", "/residents/{cm_resident_a}/cm/redeem", FORM_A),
    (
        "POST",
        "/residents/{cm_resident_b}/cm/redeem",
        {**HOUSE_B_STAFF, "admin": 422, "manager_b": 422},
    ),
    ("POST", "/residents/{cm_missing_resident}/cm/redeem", MISSING_FOR_STAFF),
    ("GET", "/cm", RESIDENTS),
]
ROUTE_PARAMS: dict[str, str] = {
    "cm_resident_a": "resident_id:int",
    "cm_resident_b": "resident_id:int",
    "cm_missing_resident": "resident_id:int",
}


async def make_places(cast: Cast, places: dict[str, int]) -> dict[str, int]:
    """resident_a's own resident record (living in house A) and a resident of house B."""
    from tests.factories import make_resident_in

    in_b = await make_resident_in(cast.house_b, cast.manager_b.id)
    return {
        "cm_resident_a": places["home_resident_a"],
        "cm_resident_b": in_b["resident"],
        "cm_missing_resident": 2_000_000_000,
    }
