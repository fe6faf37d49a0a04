"""Access-matrix rows for the chores routes (merged into tests/web/test_access_matrix.py)."""

from __future__ import annotations

from house.chores import services, weeks
from house.chores.tables import ChoreAssignment
from house.houses.tables import House
from house.lib import clock
from house.lib.dates import house_today, week_start
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
RESIDENTS = {**_NOBODY, "resident_a": 200, "resident_a2": 200, "resident_b": 200}


def _a(status: int) -> dict[str, int]:
    return {**A_STAFF, "admin": status, "manager_a": status}


def _b(status: int) -> dict[str, int]:
    return {**B_STAFF, "admin": status, "manager_b": status}


# (method, path with {placeholders}, {persona: status}), as in test_access_matrix.MATRIX.
# POSTs send an empty form: a form answers 422, a one-tap action 303.
ROWS: list[tuple[str, str, dict[str, int]]] = [
    ("GET", "/houses/{house_a}/chores", A_STAFF),
    ("GET", "/houses/{house_b}/chores", B_STAFF),
    ("GET", "/houses/{missing_house}/chores", {**A_STAFF, "admin": 404, "manager_a": 404}),
    ("POST", "/houses/{house_a}/chores", _a(422)),
    ("GET", "/houses/{house_a}/chores/{chore_a}", A_STAFF),
    ("GET", "/houses/{house_b}/chores/{chore_b}", B_STAFF),
    # B's chore through A's house: nobody finds it.
    ("GET", "/houses/{house_a}/chores/{chore_b}", NOT_FOUND_FOR_STAFF),
    ("POST", "/houses/{house_a}/chores/{chore_a}", _a(422)),
    ("POST", "/houses/{house_a}/chores/{chore_b}", NOT_FOUND_FOR_STAFF),
    ("POST", "/houses/{house_a}/chores/{chore_a}/deactivate", _a(303)),
    ("POST", "/houses/{house_a}/chores/{chore_b}/deactivate", NOT_FOUND_FOR_STAFF),
    ("POST", "/houses/{house_a}/chores/{chore_a}/activate", _a(303)),
    ("GET", "/houses/{house_a}/chores/day", A_STAFF),
    ("GET", "/houses/{house_b}/chores/day", B_STAFF),
    ("GET", "/houses/{house_a}/chores/week", A_STAFF),
    ("GET", "/houses/{house_b}/chores/week", B_STAFF),
    ("POST", "/houses/{house_a}/chores/week", _a(422)),
    ("POST", "/houses/{house_b}/chores/week", _b(422)),
    ("POST", "/houses/{house_a}/chores/swap", _a(422)),
    ("POST", "/chore-assignments/{assignment_a}/verify", _a(303)),
    ("POST", "/chore-assignments/{assignment_b}/verify", _b(303)),
    ("POST", "/chore-assignments/{missing_assignment}/verify", {**_a(404), "manager_b": 404}),
    ("POST", "/chore-assignments/{assignment_a}/send-back", _a(422)),
    ("POST", "/chore-assignments/{assignment_b}/excuse", _b(422)),
    ("POST", "/chore-assignments/{assignment_a}/excuse", _a(422)),
    ("POST", "/chore-assignments/{assignment_a}/correct", _a(422)),
    ("POST", "/chore-assignments/{assignment_b}/correct", _b(422)),
    ("GET", "/chores", RESIDENTS),
    # Nobody in the cast holds this chore: residents are told it does not exist.
    (
        "POST",
        "/chores/{assignment_a}/done",
        {**_NOBODY, "resident_a": 404, "resident_a2": 404, "resident_b": 404},
    ),
]
# Each placeholder this file adds -> the route's path parameter.
ROUTE_PARAMS: dict[str, str] = {
    "chore_a": "chore_id:int",
    "chore_b": "chore_id:int",
    "assignment_a": "assignment_id:int",
    "assignment_b": "assignment_id:int",
    "missing_assignment": "assignment_id:int",
}


async def _house_with_a_chore_today(house: int, manager: int) -> tuple[int, int]:
    """A daily chore, a resident, and this week's rotation: (chore id, today's assignment)."""
    now = clock.now()
    row = await House.select(House.timezone).where(House.id == house).first()
    assert row is not None
    today = house_today(now, row["timezone"])
    holder = await make_resident_in(
        house, manager, preferred_name="Chore Holder", admitted_on=today
    )
    chore = await services.add_chore(
        actor_id=manager,
        house_id=house,
        values={
            "name": "Matrix chore",
            "area": "",
            "instructions": "",
            "frequency": "daily",
            "weekdays": "",
            "weight": 1,
        },
        now=now,
    )
    week = week_start(today)
    for regenerate in (False, True):
        await weeks.generate_rotation(
            house_id=house, week_start=week, today=today, now=now, regenerate=regenerate
        )
        found = (
            await ChoreAssignment.select(ChoreAssignment.id)
            .where(ChoreAssignment.chore == chore, ChoreAssignment.day == today)
            .first()
        )
        if found is not None:
            # The rotation may give it to anyone living there (the cast's resident too, on
            # some days): the matrix needs it held by nobody in the cast.
            await ChoreAssignment.update(
                {ChoreAssignment.resident: holder["resident"], ChoreAssignment.stay: holder["stay"]}
            ).where(ChoreAssignment.id == found["id"])
            return chore, found["id"]
    raise AssertionError("no assignment today")


async def make_places(cast: Cast, places: dict[str, int]) -> dict[str, int]:
    """Records the rows above point at (ids by placeholder name); `places` holds the shared
    ones (stay_a, resident_a, room_a, bed_a, bed_b)."""
    chore_a, assignment_a = await _house_with_a_chore_today(cast.house_a, cast.manager_a.id)
    chore_b, assignment_b = await _house_with_a_chore_today(cast.house_b, cast.manager_b.id)
    return {
        "chore_a": chore_a,
        "chore_b": chore_b,
        "assignment_a": assignment_a,
        "assignment_b": assignment_b,
        "missing_assignment": 2_000_000_000,
    }
