"""Main flows in a real browser at phone size: sign in, no sideways scroll, 44 px targets."""

from __future__ import annotations

from typing import Any

import pytest

from house.accounts.tables import User
from tests.browser.conftest import ARTIFACTS, new_page, sign_in
from tests.cast import Cast

pytestmark = pytest.mark.browser

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"
SMALL_TARGETS = """() => [...document.querySelectorAll(
    'a, button, input, select, textarea, label.choice')]
  .filter(el => el.offsetParent !== null && el.type !== 'hidden')
  // A radio or checkbox is tapped through its whole label row, which is measured itself.
  .filter(el => !(el.tagName === 'INPUT' && el.closest('label.choice')))
  .map(el => [el.outerHTML.slice(0, 80), el.getBoundingClientRect()])
  .filter(([, r]) => r.height < 44 || r.width < 44)
  .map(([html, r]) => `${html} ${Math.round(r.width)}x${Math.round(r.height)}`)"""


async def test_it_signs_a_manager_in_at_390x844_and_shows_home_without_sideways_scroll(
    phone: Any, cast: Cast
) -> None:
    await sign_in(phone, cast.manager_a.email, cast.manager_a.password)
    assert phone.url.endswith("/")
    assert await phone.locator("h1").inner_text() == "Hello, Mia Manager"
    assert await phone.locator(".tabbar").is_visible()
    assert await phone.evaluate(NO_SIDEWAYS_SCROLL)
    assert await phone.evaluate(SMALL_TARGETS) == []
    # htmx is served by the app and configured as SECURITY.md says.
    config = await phone.evaluate(
        "() => [htmx.config.allowEval, htmx.config.historyCacheSize, htmx.config.selfRequestsOnly]"
    )
    assert config == [False, 0, True]


async def test_it_shows_a_form_error_and_keeps_the_email_without_script(
    browser: Any, live_server: str, cast: Cast
) -> None:
    page = await new_page(browser, live_server, width=360, height=740, script=False)
    await page.goto("/login")
    await page.fill("#f-email", cast.resident_a.email)
    await page.fill("#f-password", "not my password")
    await page.click("button[type=submit]")
    assert "do not match an account" in await page.locator(".form-error").inner_text()
    assert await page.input_value("#f-email") == cast.resident_a.email
    assert await page.evaluate(NO_SIDEWAYS_SCROLL)
    await page.context.close()


@pytest.mark.parametrize("who", ["admin", "manager_a", "resident_a", "case_manager"])
async def test_it_fits_every_home_and_admin_page_at_360_px_without_script(
    browser: Any, live_server: str, cast: Cast, who: str
) -> None:
    person = getattr(cast, who)
    page = await new_page(browser, live_server, width=360, height=740, script=False)
    await sign_in(page, person.email, person.password)
    paths = ["/"]
    if person.role == User.Role.admin:
        paths += [
            "/admin/users",
            "/admin/users/new",
            f"/admin/users/{cast.resident_a.id}",
            "/admin/system",
        ]
    for path in paths:
        response = await page.goto(path)
        assert response.status == 200, path
        assert await page.evaluate(NO_SIDEWAYS_SCROLL), path
        assert await page.evaluate(SMALL_TARGETS) == [], path
    await page.context.close()


async def test_it_takes_screenshots_to_look_at(browser: Any, live_server: str, cast: Cast) -> None:
    shots = ARTIFACTS / "screens"
    shots.mkdir(parents=True, exist_ok=True)
    for width, height in ((390, 844), (1280, 800)):
        page = await new_page(browser, live_server, width=width, height=height, script=True)
        await page.goto("/login")
        await page.screenshot(path=str(shots / f"login-{width}.png"), full_page=True)
        await sign_in(page, cast.admin.email, cast.admin.password)
        for name, path in (
            ("home-admin", "/"),
            ("people", "/admin/users"),
            ("invite", "/admin/users/new"),
            ("system", "/admin/system"),
        ):
            await page.goto(path)
            await page.screenshot(path=str(shots / f"{name}-{width}.png"), full_page=True)
        await page.context.close()
    assert (shots / "home-admin-390.png").stat().st_size > 0
