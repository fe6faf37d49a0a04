"""CSRF, security headers, cookies, escaping and body limits, through the real app."""

from __future__ import annotations

from typing import Any

import pytest

from house.accounts.tables import User
from house.app import configure_templates
from house.audit.tables import AuditEvent
from house.web.security import CSP
from tests.cast import Cast
from tests.client import Client
from tests.factories import make_user

EXPECTED = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}


async def test_it_refuses_a_post_without_a_csrf_token_and_changes_nothing(
    client: Client, cast: Cast
) -> None:
    target = await make_user(User.Role.resident, [cast.house_a])
    await client.login(cast.admin)
    response = await client.post(f"/admin/users/{target.id}/disable", csrf=False)
    assert response.status_code == 403
    assert "Your form expired" in response.text
    assert await User.exists().where(User.id == target.id, User.is_active.eq(True))
    assert await AuditEvent.exists().where(
        AuditEvent.action == "csrf_failed", AuditEvent.actor == cast.admin.id
    )


async def test_it_refuses_a_token_from_another_browser(client: Client, cast: Cast) -> None:
    target = await make_user(User.Role.resident, [cast.house_a])
    await client.login(cast.admin)
    async with Client(client.http._transport.app) as other:  # type: ignore[attr-defined]
        foreign = await other.csrf_token()
    response = await client.post(
        f"/admin/users/{target.id}/disable", {"_csrf_token": foreign}, csrf=False
    )
    assert response.status_code == 403
    assert await User.exists().where(User.id == target.id, User.is_active.eq(True))


async def test_it_protects_sign_in_with_csrf_too(client: Client, cast: Cast) -> None:
    response = await client.post(
        "/login", {"email": cast.admin.email, "password": cast.admin.password}, csrf=False
    )
    assert response.status_code == 403
    assert client.session_cookie is None


async def test_it_accepts_the_token_in_the_htmx_header(client: Client, cast: Cast) -> None:
    target = await make_user(User.Role.resident, [cast.house_a])
    await client.login(cast.admin)
    response = await client.http.post(
        f"/admin/users/{target.id}/disable",
        headers={"x-csrftoken": await client.csrf_token(), "hx-request": "true"},
    )
    assert response.status_code == 303
    assert await User.exists().where(User.id == target.id, User.is_active.eq(False))


async def test_it_sends_the_security_headers_on_every_kind_of_response(
    client: Client, cast: Cast
) -> None:
    anonymous = [
        await client.get("/login"),
        await client.get("/"),  # redirect to sign in
        await client.get("/no/such/page"),  # routed nowhere
        await client.get("/static/house.css"),
        await client.get("/health"),
        await client.post("/login", {"email": "", "password": ""}),  # form errors
        await client.post("/login", {}, csrf=False),  # CSRF refusal
    ]
    await client.login(cast.resident_a)
    signed_in = [await client.get("/"), await client.get("/admin/users")]  # 200, 403
    for response in anonymous + signed_in:
        for name, value in EXPECTED.items():
            assert response.headers.get(name) == value, (response.url, name)
        assert "max-age" in response.headers["strict-transport-security"]
        if not response.url.path.startswith("/static/"):
            assert response.headers["cache-control"] == "no-store", response.url
        if response.status_code in (200, 403, 404, 422):
            expected_type = {"/static/house.css": "text/css", "/health": "application/json"}
            assert response.headers["content-type"].startswith(
                expected_type.get(response.url.path, "text/html")
            ), response.url


async def test_it_sets_host_prefixed_secure_httponly_lax_cookies(
    client: Client, cast: Cast
) -> None:
    first = await client.get("/login")
    csrf_cookie = first.headers["set-cookie"]
    signed = await client.post(
        "/login", {"email": cast.admin.email, "password": cast.admin.password}
    )
    session_cookie = signed.headers["set-cookie"]
    for header in (csrf_cookie, session_cookie):
        assert header.startswith("__Host-")
        lowered = header.lower()
        assert "secure" in lowered
        assert "httponly" in lowered
        assert "samesite=lax" in lowered
        assert "path=/" in lowered
        assert "domain=" not in lowered


async def test_it_escapes_what_people_typed(client: Client, cast: Cast) -> None:
    await make_user(User.Role.resident, [cast.house_a], name="<script>alert(1)</script>{{7*7}}")
    await client.login(cast.admin)
    page = (await client.get("/admin/users")).text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;{{7*7}}" in page
    assert "49" not in page.split("alert(1)")[1][:40]


def test_it_refuses_to_run_templates_without_autoescape() -> None:
    class FakeEngine:
        class engine:
            autoescape = False

    with pytest.raises(RuntimeError, match="autoescape"):
        configure_templates(FakeEngine())  # type: ignore[arg-type]


async def test_it_has_autoescape_on_in_the_app(app: Any) -> None:
    engine = app.template_engine.engine
    assert engine.autoescape is True or engine.autoescape("x.html") is True


async def test_it_refuses_an_oversized_body_without_a_500(client: Client, cast: Cast) -> None:
    await client.login(cast.admin)
    response = await client.post("/admin/users", {"name": "x" * 2_000_000})
    assert response.status_code == 413
    assert "Traceback" not in response.text


async def test_it_serves_static_files_without_touching_the_database(
    client: Client, cast: Cast, queries: Any
) -> None:
    await client.force_login(cast.manager_a)
    with queries() as counted:
        response = await client.get("/static/htmx.min.js")
    assert response.status_code == 200
    assert counted.count == 0


async def test_every_page_names_its_icon_so_browsers_do_not_ask_for_favicon_ico(
    client: Client,
) -> None:
    page = await client.get("/login")
    assert '<link rel="icon" type="image/svg+xml" href="/static/favicon.svg">' in page.text
    icon = await client.get("/static/favicon.svg")
    assert icon.status_code == 200
    assert icon.headers["content-type"].startswith("image/svg+xml")
