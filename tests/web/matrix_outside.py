"""Access-matrix rows for the outside-meeting routes (merged into the main matrix)."""

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
# The slip photo: the resident who logged it (resident_a) and house A's staff; everyone
# else gets a 404, as if it did not exist.
PHOTO = {
    "admin": 200,
    "manager_a": 200,
    "manager_b": 404,
    "resident_a": 200,
    "resident_a2": 404,
    "resident_b": 404,
    "case_manager": 404,
    "anonymous": SIGN_IN,
}
MISSING_FOR_STAFF = {**HOUSE_A_STAFF, "admin": 404, "manager_a": 404}

# (method, path with {placeholders}, {persona: status}), as in test_access_matrix.MATRIX.
# POSTs send an empty form: residents without a stay get the explanation (422); verifying
# answers 303 (the second time "already reviewed"); rejecting without a reason is a 422.
ROWS: list[tuple[str, str, dict[str, int]]] = [
    ("GET", "/meetings/outside", RESIDENTS),
    ("GET", "/meetings/outside/new", RESIDENTS),
    (
        "POST",
        "/meetings/outside",
        {**RESIDENTS, "resident_a": 422, "resident_a2": 422, "resident_b": 422},
    ),
    ("GET", "/meetings/week", RESIDENTS),
    ("GET", "/houses/{house_a}/meetings/outside", HOUSE_A_STAFF),
    ("GET", "/houses/{house_b}/meetings/outside", HOUSE_B_STAFF),
    ("GET", "/houses/{missing_house}/meetings/outside", MISSING_FOR_STAFF),
    ("GET", "/houses/{house_a}/meetings/week", HOUSE_A_STAFF),
    ("GET", "/houses/{house_b}/meetings/week", HOUSE_B_STAFF),
    ("GET", "/outside-meetings/{outside_a}/photo", PHOTO),
    (
        "GET",
        "/outside-meetings/{missing_outside}/photo",
        {**PHOTO, "admin": 404, "manager_a": 404, "resident_a": 404},
    ),
    (
        "POST",
        "/outside-meetings/{outside_a}/verify",
        {**HOUSE_A_STAFF, "admin": 303, "manager_a": 303},
    ),
    (
        "POST",
        "/outside-meetings/{outside_b}/verify",
        {**HOUSE_B_STAFF, "admin": 303, "manager_b": 303},
    ),
    ("POST", "/outside-meetings/{missing_outside}/verify", MISSING_FOR_STAFF),
    (
        "POST",
        "/outside-meetings/{outside_a}/reject",
        {**HOUSE_A_STAFF, "admin": 422, "manager_a": 422},
    ),
    ("POST", "/outside-meetings/{missing_outside}/reject", MISSING_FOR_STAFF),
]
# Each placeholder this file adds -> the route's path parameter, e.g. "chore_a": "chore_id:int".
ROUTE_PARAMS: dict[str, str] = {
    "outside_a": "outside_id:int",
    "outside_b": "outside_id:int",
    "missing_outside": "outside_id:int",
}


async def make_places(cast: Cast, places: dict[str, int]) -> dict[str, int]:
    """Records the rows above point at (ids by placeholder name); `places` holds the shared
    ones (stay_a, resident_a, room_a, bed_a, bed_b).

    A log in house A by resident_a's account (for the shared stay_a, so the cast itself is
    not changed), with a real photo; a log in house B."""
    from house.meetings.outside import uploads
    from tests.factories import make_outside_meeting, make_stay
    from tests.meetings.outside.kit import image_bytes

    photo = uploads.store(uploads.clean_photo(image_bytes()))
    in_a = {"stay": places["stay_a"], "resident": places["resident_a"]}
    outside_a = await make_outside_meeting(in_a, cast.house_a, cast.resident_a.id, photo=photo)
    stay_b = await make_stay(cast.house_b, cast.manager_b.id)
    from house.residents.tables import Stay

    row = await Stay.select(Stay.resident).where(Stay.id == stay_b).first()
    assert row is not None
    in_b = {"stay": stay_b, "resident": row["resident"]}
    outside_b = await make_outside_meeting(in_b, cast.house_b, cast.resident_b.id)
    return {"outside_a": outside_a, "outside_b": outside_b, "missing_outside": 2_000_000_000}
