"""Every route, every persona: who gets the page, who is refused (403), who is sent to sign in.

A route added to the app without a row here fails `test_it_covers_every_route_of_the_app`.
"""

from __future__ import annotations

from typing import Any

import pytest

from house.accounts.tables import User
from tests.cast import Cast
from tests.client import Client
from tests.factories import make_user

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
PUBLIC = dict.fromkeys(ADMIN_ONLY, 200)


def _with(base: dict[str, int], **changes: int) -> dict[str, int]:
    return {**base, **changes}


# (method, path template, {persona: status}); {target} is a fresh user per row, {missing} an
# id that does not exist. POSTs send an empty form: an admin gets the form back (422) or,
# for actions, the redirect (303); everyone else is refused before the form is read.
MATRIX: list[tuple[str, str, dict[str, int]]] = [
    ("GET", "/", EVERYONE_SIGNED_IN),
    ("GET", "/login", _with(dict.fromkeys(ADMIN_ONLY, 303), anonymous=200)),
    ("POST", "/login", dict.fromkeys(ADMIN_ONLY, 422)),
    ("POST", "/logout", dict.fromkeys(ADMIN_ONLY, 303)),
    ("GET", "/invite/{token}", dict.fromkeys(ADMIN_ONLY, 404)),
    ("POST", "/invite/{token}", dict.fromkeys(ADMIN_ONLY, 404)),
    ("GET", "/admin/users", ADMIN_ONLY),
    ("GET", "/admin/users/new", ADMIN_ONLY),
    ("POST", "/admin/users", _with(ADMIN_ONLY, admin=422)),
    ("GET", "/admin/users/{target}", ADMIN_ONLY),
    ("GET", "/admin/users/{missing}", _with(ADMIN_ONLY, admin=404)),
    ("POST", "/admin/users/{target}", _with(ADMIN_ONLY, admin=422)),
    ("POST", "/admin/users/{missing}", _with(ADMIN_ONLY, admin=404)),
    ("POST", "/admin/users/{target}/disable", _with(ADMIN_ONLY, admin=303)),
    ("POST", "/admin/users/{missing}/disable", _with(ADMIN_ONLY, admin=404)),
    ("POST", "/admin/users/{target}/enable", _with(ADMIN_ONLY, admin=303)),
    ("POST", "/admin/users/{missing}/enable", _with(ADMIN_ONLY, admin=404)),
    ("POST", "/admin/users/{target}/invite", _with(ADMIN_ONLY, admin=200)),
    ("POST", "/admin/users/{missing}/invite", _with(ADMIN_ONLY, admin=404)),
    ("GET", "/admin/system", ADMIN_ONLY),
    ("GET", "/health", PUBLIC),
    ("GET", "/static/house.css", PUBLIC),
    ("GET", "/static/htmx.min.js", PUBLIC),
]


def _route_of(path: str) -> str:
    return (
        path.replace("{target}", "{user_id:int}")
        .replace("{missing}", "{user_id:int}")
        .replace("{token}", "{token:str}")
        .replace("/static/house.css", "/static/{file_path:path}")
        .replace("/static/htmx.min.js", "/static/{file_path:path}")
    )


def test_it_covers_every_route_of_the_app(app: Any) -> None:
    covered = {(method, _route_of(path)) for method, path, _ in MATRIX}
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
    app: Any, cast: Cast, method: str, path: str, expected: dict[str, int]
) -> None:
    for persona, person in cast.people().items():
        # A fresh invited user per persona: disable/enable/invite act on it for real.
        target = await make_user(User.Role.resident, [cast.house_a], with_password=False)
        url = path.format(target=target.id, missing=2_000_000_000, token="no-such-token")
        async with Client(app) as client:
            if person is not None:
                await client.force_login(person)
            if method == "GET":
                response = await client.get(url)
            else:
                response = await client.post(url, {})
        assert response.status_code == expected[persona], (persona, method, url)
