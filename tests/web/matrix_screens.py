"""Access-matrix rows for drug screens, panels, prescriptions and substances (merged into
the main matrix).

The screen is about resident_a (who lives in house A); staff of house A and resident_a see
it, B's manager and other residents get a 404, a case manager is refused by role."""

from __future__ import annotations

from house.lib import clock
from house.screens import services
from house.screens.setup import services as setup
from house.screens.tables import Substance
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
STAFF_B = {**ADMIN, "manager_a": 404, "manager_b": 200}
FORM_A = {**STAFF_A, "admin": 422, "manager_a": 422}
GONE_A = {**STAFF_A, "admin": 404, "manager_a": 404}
SCREEN_A = {**STAFF_A, "resident_a": 200, "resident_a2": 404, "resident_b": 404}
RESIDENTS = {**ADMIN, "admin": 403, "resident_a": 200, "resident_a2": 200, "resident_b": 200}

ROWS: list[tuple[str, str, dict[str, int]]] = [
    ("GET", "/houses/{house_a}/screens", STAFF_A),
    ("GET", "/houses/{house_b}/screens", STAFF_B),
    ("GET", "/houses/{missing_house}/screens", GONE_A),
    ("GET", "/houses/{house_a}/screens/new", STAFF_A),
    ("POST", "/houses/{house_a}/screens", FORM_A),
    ("GET", "/houses/{house_a}/panels", STAFF_A),
    ("POST", "/houses/{house_a}/panels", FORM_A),
    ("GET", "/houses/{house_a}/panels/{panel_a}", STAFF_A),
    # B's panel under A's path: nobody finds it.
    ("GET", "/houses/{house_a}/panels/{panel_b}", GONE_A),
    ("POST", "/houses/{house_a}/panels/{panel_a}", FORM_A),
    (
        "POST",
        "/houses/{house_a}/panels/{panel_a}/active",
        {**STAFF_A, "admin": 303, "manager_a": 303},
    ),
    ("GET", "/screens", RESIDENTS),
    ("GET", "/screens/{screen_a}", SCREEN_A),
    (
        "GET",
        "/screens/{missing_screen}",
        {**SCREEN_A, "admin": 404, "manager_a": 404, "resident_a": 404},
    ),
    ("POST", "/screens/{screen_a}/amend", FORM_A),
    ("POST", "/screens/{screen_a}/lab", FORM_A),
    ("POST", "/screens/{missing_screen}/lab", GONE_A),
    ("GET", "/residents/{home_resident_a}/screens", STAFF_A),
    ("GET", "/residents/{missing_resident}/screens", GONE_A),
    ("GET", "/residents/{home_resident_a}/prescriptions", STAFF_A),
    ("POST", "/residents/{home_resident_a}/prescriptions", FORM_A),
    ("POST", "/prescriptions/{prescription_a}/end", FORM_A),
    ("POST", "/prescriptions/{missing_prescription}/end", GONE_A),
    ("GET", "/admin/substances", ADMIN),
    ("POST", "/admin/substances", {**ADMIN, "admin": 422}),
    ("POST", "/admin/substances/{substance_a}", {**ADMIN, "admin": 422}),
    ("POST", "/admin/substances/{substance_a}/active", {**ADMIN, "admin": 303}),
    ("POST", "/admin/substances/{missing_substance}/active", {**ADMIN, "admin": 404}),
]
ROUTE_PARAMS: dict[str, str] = {
    "panel_a": "panel_id:int",
    "panel_b": "panel_id:int",
    "screen_a": "screen_id:int",
    "missing_screen": "screen_id:int",
    "home_resident_a": "resident_id:int",
    "prescription_a": "prescription_id:int",
    "missing_prescription": "prescription_id:int",
    "substance_a": "substance_id:int",
    "missing_substance": "substance_id:int",
}


async def make_places(cast: Cast, places: dict[str, int]) -> dict[str, int]:
    """A panel in each house, a screen of resident_a in house A, a prescription of theirs,
    and a substance the admin can retire and bring back."""
    now = clock.now()
    codes = {r["code"]: r["id"] for r in await Substance.select(Substance.id, Substance.code)}
    panels = {}
    for key, house, actor in (
        ("panel_a", cast.house_a, cast.manager_a.id),
        ("panel_b", cast.house_b, cast.manager_b.id),
    ):
        panels[key] = await setup.save_panel(
            actor_id=actor,
            house_id=house,
            panel_id=None,
            name="Matrix cup",
            substance_ids=[codes["cocaine"], codes["fentanyl"]],
            now=now,
        )
    screen = await services.record_screen(
        actor_id=cast.manager_a.id,
        house_id=cast.house_a,
        values={
            "resident": places["home_resident_a"],
            "collected_at": now,
            # make_resident_in admits on the UTC date: the same date here, whatever the hour.
            "collected_on": now.date(),
            "method": None,
            "reason": "random",
            "observed": False,
            "specimen_id": "",
            "specimen": "refused",
            "panel": None,
            "results": {},
            "breath_milli": None,
            "note": "",
        },
        now=now,
    )
    prescription = await setup.add_prescription(
        actor_id=cast.manager_a.id,
        resident_id=places["home_resident_a"],
        values={
            "substance": codes["methadone"],
            "medication": "Methadone",
            "prescriber": "",
            "starts_on": now.date(),
            "ends_on": None,
        },
        now=now,
    )
    substance = await setup.add_substance(actor_id=cast.admin.id, name="Matrix test", now=now)
    return {
        **panels,
        "screen_a": screen,
        "missing_screen": 2_000_000_000,
        "prescription_a": prescription,
        "missing_prescription": 2_000_000_000,
        "substance_a": substance,
        "missing_substance": 2_000_000_000,
    }
