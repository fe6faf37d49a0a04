"""Every route, every persona: who gets the page, who is refused (403), who is sent to sign in.

A route added to the app without a row here fails `test_it_covers_every_route_of_the_app`.
"""

from __future__ import annotations

from typing import Any

import pytest

from house.accounts.tables import User
from house.residents.tables import Stay
from tests.cast import Cast
from tests.client import Client
from tests.factories import make_bed, make_resident_in, make_room, make_stay, make_user
from tests.web import (
    matrix_alerts,
    matrix_chores,
    matrix_cm,
    matrix_meetings,
    matrix_outside,
    matrix_random,
    matrix_reports,
    matrix_screens,
    matrix_violations,
)

CONCEPTS = (
    matrix_violations,
    matrix_chores,
    matrix_meetings,
    matrix_outside,
    matrix_screens,
    matrix_random,
    matrix_cm,
    matrix_alerts,
    matrix_reports,
)

SIGN_IN = 303  # anonymous: redirected to the sign-in page
ADMIN_ONLY = {
    "admin": 200,
    "manager_a": 403,
    "manager_b": 403,
    "resident_a": 403,
    "resident_a2": 403,
    "resident_b": 403,
    "case_manager": 403,
    "anonymous": SIGN_IN,
}
EVERYONE_SIGNED_IN = {**dict.fromkeys(ADMIN_ONLY, 200), "anonymous": SIGN_IN}
# Staff of house A (the admin and A's manager); B's manager gets a 404 (not a hint that the
# record exists); residents and case managers are refused by role.
HOUSE_A_STAFF = {**ADMIN_ONLY, "manager_a": 200, "manager_b": 404}
HOUSE_B_STAFF = {**ADMIN_ONLY, "manager_a": 404, "manager_b": 200}
RESIDENTS_ONLY = {
    **ADMIN_ONLY,
    "admin": 403,
    "resident_a": 200,
    "resident_a2": 200,
    "resident_b": 200,
}
PUBLIC = dict.fromkeys(ADMIN_ONLY, 200)


def _with(base: dict[str, int], **changes: int) -> dict[str, int]:
    return {**base, **changes}


# (method, path template, {persona: status}); {target} is a fresh user per row, {missing_user} an
# id that does not exist. POSTs send an empty form: an admin gets the form back (422) or,
# for actions, the redirect (303); everyone else is refused before the form is read.
MATRIX: list[tuple[str, str, dict[str, int]]] = [
    ("GET", "/", EVERYONE_SIGNED_IN),
    ("GET", "/login", _with(dict.fromkeys(ADMIN_ONLY, 303), anonymous=200)),
    ("POST", "/login", dict.fromkeys(ADMIN_ONLY, 422)),
    ("POST", "/logout", dict.fromkeys(ADMIN_ONLY, 303)),
    # The idle warning's question and its "Stay signed in": anyone signed in, about their
    # own session only.
    ("GET", "/session", EVERYONE_SIGNED_IN),
    ("POST", "/session/stay", EVERYONE_SIGNED_IN),
    ("GET", "/invite/{token}", dict.fromkeys(ADMIN_ONLY, 404)),
    ("POST", "/invite/{token}", dict.fromkeys(ADMIN_ONLY, 404)),
    ("GET", "/admin/users", ADMIN_ONLY),
    ("GET", "/admin/users/new", ADMIN_ONLY),
    ("POST", "/admin/users", _with(ADMIN_ONLY, admin=422)),
    ("GET", "/admin/users/{target}", ADMIN_ONLY),
    ("GET", "/admin/users/{missing_user}", _with(ADMIN_ONLY, admin=404)),
    ("POST", "/admin/users/{target}", _with(ADMIN_ONLY, admin=422)),
    ("POST", "/admin/users/{missing_user}", _with(ADMIN_ONLY, admin=404)),
    ("POST", "/admin/users/{target}/disable", _with(ADMIN_ONLY, admin=303)),
    ("POST", "/admin/users/{missing_user}/disable", _with(ADMIN_ONLY, admin=404)),
    ("POST", "/admin/users/{target}/enable", _with(ADMIN_ONLY, admin=303)),
    ("POST", "/admin/users/{missing_user}/enable", _with(ADMIN_ONLY, admin=404)),
    ("POST", "/admin/users/{target}/invite", _with(ADMIN_ONLY, admin=200)),
    ("POST", "/admin/users/{missing_user}/invite", _with(ADMIN_ONLY, admin=404)),
    ("GET", "/admin/system", ADMIN_ONLY),
    ("GET", "/houses", _with(HOUSE_A_STAFF, manager_b=200)),
    ("GET", "/houses/new", ADMIN_ONLY),
    ("POST", "/houses", _with(ADMIN_ONLY, admin=422)),
    ("GET", "/houses/{house_a}/edit", ADMIN_ONLY),
    ("GET", "/houses/{missing_house}/edit", _with(ADMIN_ONLY, admin=404)),
    ("POST", "/houses/{house_a}", _with(ADMIN_ONLY, admin=422)),
    ("POST", "/houses/{house_a}/rooms", _with(ADMIN_ONLY, admin=422)),
    ("POST", "/rooms/{room_a}/beds", _with(ADMIN_ONLY, admin=422)),
    ("POST", "/rooms/{missing_room}/beds", _with(ADMIN_ONLY, admin=404)),
    ("GET", "/residents", _with(HOUSE_A_STAFF, manager_b=200)),
    ("GET", "/residents?q=a&born=1990-04-02&page=2", _with(HOUSE_A_STAFF, manager_b=200)),
    ("GET", "/residents/new", _with(HOUSE_A_STAFF, manager_b=200)),
    ("POST", "/residents", _with(HOUSE_A_STAFF, admin=422, manager_a=422, manager_b=422)),
    ("GET", "/residents/{resident_a}", HOUSE_A_STAFF),
    ("GET", "/residents/{missing_resident}", _with(HOUSE_A_STAFF, admin=404, manager_a=404)),
    ("GET", "/residents/{resident_a}/edit", HOUSE_A_STAFF),
    ("GET", "/residents/{missing_resident}/edit", _with(HOUSE_A_STAFF, admin=404, manager_a=404)),
    ("POST", "/residents/{resident_a}", _with(HOUSE_A_STAFF, admin=422, manager_a=422)),
    ("POST", "/residents/{resident_a}/contacts", _with(HOUSE_A_STAFF, admin=422, manager_a=422)),
    # An empty person (no email): staff are sent back with a message (303).
    ("POST", "/residents/{resident_a}/invite", _with(HOUSE_A_STAFF, admin=303, manager_a=303)),
    (
        "POST",
        "/residents/{missing_resident}/invite",
        _with(HOUSE_A_STAFF, admin=404, manager_a=404),
    ),
    ("POST", "/stays/{stay_a}/exit", _with(HOUSE_A_STAFF, admin=422, manager_a=422)),
    ("POST", "/stays/{missing_stay}/exit", _with(HOUSE_A_STAFF, admin=404, manager_a=404)),
    ("POST", "/stays/{stay_a}/amend", _with(HOUSE_A_STAFF, admin=422, manager_a=422)),
    ("GET", "/houses/{house_a}/board", HOUSE_A_STAFF),
    ("GET", "/houses/{house_a}/rules", HOUSE_A_STAFF),
    ("GET", "/houses/{house_b}/rules", HOUSE_B_STAFF),
    ("GET", "/houses/{missing_house}/rules", _with(HOUSE_A_STAFF, admin=404, manager_a=404)),
    ("GET", "/houses/{house_a}/rules/edit", HOUSE_A_STAFF),
    ("POST", "/houses/{house_a}/rules", _with(HOUSE_A_STAFF, admin=422, manager_a=422)),
    ("POST", "/houses/{house_a}/rules/copy", _with(ADMIN_ONLY, admin=404)),
    ("GET", "/rules", {**RESIDENTS_ONLY}),
    (
        "POST",
        "/rules/sign",
        {**RESIDENTS_ONLY, "resident_a": 422, "resident_a2": 422, "resident_b": 422},
    ),
    ("GET", "/houses/{house_b}/board", HOUSE_B_STAFF),
    ("GET", "/houses/{missing_house}/board", _with(HOUSE_A_STAFF, admin=404, manager_a=404)),
    ("GET", "/beds/{bed_a}", HOUSE_A_STAFF),
    ("GET", "/beds/{bed_b}", HOUSE_B_STAFF),
    ("GET", "/beds/{missing_bed}", _with(HOUSE_A_STAFF, admin=404, manager_a=404)),
    ("POST", "/beds/{bed_a}/admit", _with(HOUSE_A_STAFF, admin=422, manager_a=422)),
    ("POST", "/beds/{bed_b}/admit", _with(HOUSE_B_STAFF, admin=422, manager_b=422)),
    ("POST", "/beds/{bed_a}/move", _with(HOUSE_A_STAFF, admin=422, manager_a=422)),
    ("POST", "/beds/{missing_bed}/move", _with(HOUSE_A_STAFF, admin=404, manager_a=404)),
    ("POST", "/beds/{bed_a}/state", _with(HOUSE_A_STAFF, admin=422, manager_a=422)),
    ("POST", "/beds/{bed_b}/state", _with(HOUSE_B_STAFF, admin=422, manager_b=422)),
    ("GET", "/health", PUBLIC),
    ("HEAD", "/health", PUBLIC),
    ("GET", "/static/house.css", PUBLIC),
    ("GET", "/static/htmx.min.js", PUBLIC),
]
for _concept in CONCEPTS:
    MATRIX += _concept.ROWS


MISSING = 2_000_000_000


async def make_places(cast: Cast) -> dict[str, int]:
    """A record of every kind the matrix's paths name: a room and a bed in house A, a bed in
    house B, a resident living in A, and each concept's own (the `places` fixture, made once
    per session in tests/web/conftest.py: the crawl of tests/web/test_reachable.py walks the
    same records)."""
    room_a = await make_room(cast.house_a)
    stay_a = await make_stay(cast.house_a, cast.manager_a.id)
    row = await Stay.select(Stay.resident).where(Stay.id == stay_a).first()
    assert row is not None
    places = {
        "stay_a": stay_a,
        "resident_a": row["resident"],
        "room_a": room_a,
        "bed_a": await make_bed(room_a),
        "bed_b": await make_bed(await make_room(cast.house_b)),
    }
    # resident_a lives in house A (an active stay in a bed, linked to their sign-in);
    # resident_a2 and resident_b have accounts but no stay.
    home = await make_resident_in(cast.house_a, cast.manager_a.id, user_id=cast.resident_a.id)
    places |= {"home_stay_a": home["stay"], "home_resident_a": home["resident"]}
    for concept in CONCEPTS:
        places |= await concept.make_places(cast, places)
    return places


def route_of(path: str) -> str:
    for concept in CONCEPTS:
        for placeholder, param in concept.ROUTE_PARAMS.items():
            path = path.replace("{" + placeholder + "}", "{" + param + "}")
    return (
        path.replace("{target}", "{user_id:int}")
        .replace("{missing_user}", "{user_id:int}")
        .replace("{house_a}", "{house_id:int}")
        .replace("{house_b}", "{house_id:int}")
        .replace("{missing_house}", "{house_id:int}")
        .replace("{resident_a}", "{resident_id:int}")
        .replace("{missing_resident}", "{resident_id:int}")
        .replace("{stay_a}", "{stay_id:int}")
        .replace("{missing_stay}", "{stay_id:int}")
        .replace("{room_a}", "{room_id:int}")
        .replace("{missing_room}", "{room_id:int}")
        .replace("{bed_a}", "{bed_id:int}")
        .replace("{bed_b}", "{bed_id:int}")
        .replace("{missing_bed}", "{bed_id:int}")
        .replace("{token}", "{token:str}")
        .replace("/static/house.css", "/static/{file_path:path}")
        .replace("/static/htmx.min.js", "/static/{file_path:path}")
    )


def url_of(path: str, cast: Cast, places: dict[str, int], target: int) -> str:
    """A row's path with its records filled in; `target` is the user {target} names."""
    return path.format(
        **places,
        target=target,
        token="no-such-token",
        house_a=cast.house_a,
        house_b=cast.house_b,
        missing_resident=MISSING,
        missing_stay=MISSING,
        missing_room=MISSING,
        missing_user=MISSING,
        missing_house=MISSING,
        missing_bed=MISSING,
    )


def test_it_covers_every_route_of_the_app(app: Any) -> None:
    covered = {(method, route_of(path)) for method, path, _ in MATRIX}
    missing = []
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            for method in handler.http_methods:
                if method in ("OPTIONS", "HEAD"):
                    continue
                if (method, route.path) not in covered:
                    missing.append(f"{method} {route.path}")
    assert missing == []


@pytest.mark.parametrize(("method", "path", "expected"), MATRIX, ids=lambda v: str(v)[:40])
async def test_it_answers_each_persona_as_the_matrix_says(
    app: Any, cast: Cast, places: dict[str, int], method: str, path: str, expected: dict[str, int]
) -> None:
    for persona, person in cast.people().items():
        # A fresh invited user per persona: disable/enable/invite act on it for real.
        target = await make_user(User.Role.resident, [cast.house_a], with_password=False)
        url = url_of(path, cast, places, target.id)
        async with Client(app) as client:
            if person is not None:
                await client.force_login(person)
            if method == "GET":
                response = await client.get(url)
            elif method == "HEAD":
                response = await client.http.head(url)
            else:
                response = await client.post(url, {})
        assert response.status_code == expected[persona], (persona, method, url)
