"""Main flows in a real browser at phone size: sign in, no sideways scroll, 44 px targets."""

from __future__ import annotations

from collections.abc import Sequence
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
SHOTS = ARTIFACTS / "screens"


async def look_at(page: Any, name: str, shows: Sequence[str] = ()) -> None:
    """Check what a screenshot is for, then save it (test-artifacts/screens/<name>.png): the
    page fits its width without sideways scroll, every target is at least 44 px, and each of
    `shows` is on it as visible text."""
    assert await page.evaluate(NO_SIDEWAYS_SCROLL), name
    assert await page.evaluate(SMALL_TARGETS) == [], name
    text = await page.locator("body").inner_text()
    missing = [words for words in shows if words not in text]
    assert not missing, (name, missing)
    SHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


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


async def test_it_shows_sign_in_and_the_admin_pages_whole_at_390_and_1280_px(
    browser: Any, live_server: str, cast: Cast
) -> None:
    for width, height in ((390, 844), (1280, 800)):
        page = await new_page(browser, live_server, width=width, height=height, script=True)
        await page.goto("/login")
        assert await page.get_by_label("Email").is_visible()
        assert await page.get_by_label("Password").is_visible()
        await look_at(page, f"login-{width}", ["Sign in"])
        await sign_in(page, cast.admin.email, cast.admin.password)
        for name, path, shows in (
            ("home-admin", "/", [cast.admin.name, "People", "Houses", "System"]),
            ("people", "/admin/users", [cast.manager_a.name, cast.resident_a.name]),
            ("invite", "/admin/users/new", ["Invite someone"]),
            ("system", "/admin/system", ["Worker"]),
        ):
            await page.goto(path)
            await look_at(page, f"{name}-{width}", shows)
        await page.context.close()
