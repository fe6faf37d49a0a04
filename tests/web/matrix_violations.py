"""Access-matrix rows for violations and appeals (merged into the main matrix).

The violation is about resident_a (who lives in house A); its appeal is pending. The
appeal is for admins only: every manager, the recorder first, gets a 404.
"""

from __future__ import annotations

import datetime as dt

from house.lib import clock
from house.rules import services as rules
from house.violations import appeals
from house.violations import services as violations
from tests.cast import Cast

ADMIN = {
    "admin": 200,
    "manager_a": 403,
    "manager_b": 403,
    "resident_a": 403,
    "resident_a2": 403,
    "resident_b": 403,
    "case_manager": 403,
    "anonymous": 303,
}
STAFF_A = {**ADMIN, "manager_a": 200, "manager_b": 404}
# The violation's page: its house's staff and the resident it is about.
VIOLATION_A = {**STAFF_A, "resident_a": 200, "resident_a2": 404, "resident_b": 404}
RESIDENTS = {**ADMIN, "admin": 403, "resident_a": 200, "resident_a2": 200, "resident_b": 200}
APPEAL = {**ADMIN, "manager_a": 404, "manager_b": 404}

ROWS: list[tuple[str, str, dict[str, int]]] = [
    ("GET", "/houses/{house_a}/violations", STAFF_A),
    ("GET", "/houses/{house_b}/violations", {**STAFF_A, "manager_a": 404, "manager_b": 200}),
    ("GET", "/houses/{house_a}/violations/new", STAFF_A),
    ("POST", "/houses/{house_a}/violations", {**STAFF_A, "admin": 422, "manager_a": 422}),
    ("GET", "/violations", RESIDENTS),
    ("GET", "/violations/{violation_a}", VIOLATION_A),
    (
        "GET",
        "/violations/{missing_violation}",
        {**VIOLATION_A, "admin": 404, "manager_a": 404, "resident_a": 404},
    ),
    ("POST", "/violations/{violation_a}/amend", {**STAFF_A, "admin": 422, "manager_a": 422}),
    # Its appeal waits for a decision: resolving it is refused (422), the page says why.
    ("POST", "/violations/{violation_a}/resolve", {**STAFF_A, "admin": 422, "manager_a": 422}),
    # The resident already appealed: a second appeal is sent back to the page (303).
    (
        "POST",
        "/violations/{violation_a}/appeal",
        {**RESIDENTS, "resident_a": 303, "resident_a2": 404, "resident_b": 404},
    ),
    ("GET", "/appeals", ADMIN),
    ("GET", "/appeals/{appeal_a}", APPEAL),
    ("GET", "/appeals/{missing_appeal}", {**APPEAL, "admin": 404}),
    ("POST", "/appeals/{appeal_a}/decide", {**APPEAL, "admin": 422}),
]
ROUTE_PARAMS: dict[str, str] = {
    "violation_a": "violation_id:int",
    "missing_violation": "violation_id:int",
    "appeal_a": "appeal_id:int",
    "missing_appeal": "appeal_id:int",
}


async def make_places(cast: Cast, places: dict[str, int]) -> dict[str, int]:
    """A violation about resident_a in house A, recorded by manager_a, and its appeal."""
    now = clock.now()
    rows = [{"number": 1, "text": "Be home by curfew.", "category": "", "consequence": ""}]
    await rules.publish(
        actor_id=cast.manager_a.id, house_id=cast.house_a, rules=rows, note="", now=now
    )
    choices = await violations.form_choices(cast.house_a)
    violation = await violations.record_violation(
        actor_id=cast.manager_a.id,
        house_id=cast.house_a,
        values={
            "stay": places["home_stay_a"],
            "rule": choices["rules"][0]["id"],
            "occurred_on": now.date(),
            "occurred_at": now - dt.timedelta(minutes=5),
            "location": "",
            "description": "Came in at 23:40.",
            "severity": "minor",
            "consequence": choices["ladder"][0],
        },
        now=now,
    )
    appeal = await appeals.appeal(
        user_id=cast.resident_a.id, violation_id=violation, statement="I was at work.", now=now
    )
    return {
        "violation_a": violation,
        "appeal_a": appeal,
        "missing_violation": 2_000_000_000,
        "missing_appeal": 2_000_000_000,
    }
