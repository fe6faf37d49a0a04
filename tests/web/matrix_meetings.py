"""Access-matrix rows for the house-meeting routes (merged into tests/web/test_access_matrix.py)."""

from __future__ import annotations

import datetime as dt

from house.lib import clock
from house.meetings.tables import HouseMeeting
from tests.cast import Cast

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
A_STAFF = {**NOBODY, "admin": 200, "manager_a": 200, "manager_b": 404}
B_STAFF = {**NOBODY, "admin": 200, "manager_a": 404, "manager_b": 200}
RESIDENTS = {**NOBODY, "resident_a": 200, "resident_a2": 200, "resident_b": 200}


def _with(base: dict[str, int], **changes: int) -> dict[str, int]:
    return {**base, **changes}


# (method, path with {placeholders}, {persona: status}), as in test_access_matrix.MATRIX.
# POSTs send an empty form: staff of the house get the form back (422).
ROWS: list[tuple[str, str, dict[str, int]]] = [
    ("GET", "/houses/{house_a}/meetings", A_STAFF),
    ("GET", "/houses/{house_b}/meetings", B_STAFF),
    ("GET", "/houses/{missing_house}/meetings", _with(A_STAFF, admin=404, manager_a=404)),
    ("POST", "/houses/{house_a}/meetings", _with(A_STAFF, admin=422, manager_a=422)),
    ("POST", "/houses/{house_b}/meetings", _with(B_STAFF, admin=422, manager_b=422)),
    ("POST", "/houses/{house_a}/meetings/weekly", _with(A_STAFF, admin=422, manager_a=422)),
    ("POST", "/houses/{house_b}/meetings/weekly", _with(B_STAFF, admin=422, manager_b=422)),
    ("GET", "/meetings/{meeting_a}", A_STAFF),
    ("GET", "/meetings/{meeting_b}", B_STAFF),
    ("GET", "/meetings/{missing_meeting}", _with(A_STAFF, admin=404, manager_a=404)),
    ("GET", "/meetings/{meeting_a}/roll", A_STAFF),
    ("GET", "/meetings/{meeting_b}/roll", B_STAFF),
    ("GET", "/meetings/{missing_meeting}/roll", _with(A_STAFF, admin=404, manager_a=404)),
    ("POST", "/meetings/{meeting_a}/roll", _with(A_STAFF, admin=422, manager_a=422)),
    ("POST", "/meetings/{meeting_b}/roll", _with(B_STAFF, admin=422, manager_b=422)),
    ("POST", "/meetings/{missing_meeting}/roll", _with(A_STAFF, admin=404, manager_a=404)),
    # A resident's own attendance: residents only (staff use the house pages).
    ("GET", "/meetings/house", RESIDENTS),
]
# Each placeholder this file adds -> the route's path parameter, e.g. "chore_a": "chore_id:int".
ROUTE_PARAMS: dict[str, str] = {
    "meeting_a": "meeting_id:int",
    "meeting_b": "meeting_id:int",
    "missing_meeting": "meeting_id:int",
}


async def make_places(cast: Cast, places: dict[str, int]) -> dict[str, int]:
    """A house meeting in each house (ad hoc, a week ago, no roll call yet)."""
    ids = {}
    for name, house in (("meeting_a", cast.house_a), ("meeting_b", cast.house_b)):
        rows = await HouseMeeting.insert(
            HouseMeeting(
                house=house,
                kind=HouseMeeting.Kind.ad_hoc,
                title="Matrix meeting",
                starts_at=clock.now().replace(microsecond=0) - dt.timedelta(days=7),
                created_at=clock.now(),
            )
        ).returning(HouseMeeting.id)
        ids[name] = int(rows[0]["id"])
    return {**ids, "missing_meeting": 2_000_000_000}
