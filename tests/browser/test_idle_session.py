"""The idle limit on a phone (390x844), with the limit cut to seconds on a server of its own:
the warning and "Stay signed in"; a violation typed, the session ended, sent anyway, and
back filled in after signing in again as the same person; nothing for anyone else."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from house.violations.tables import Violation
from house.web.tables import KeptForm
from tests.browser.conftest import ARTIFACTS, phone_at, serve, sign_in
from tests.browser.test_phone import NO_SIDEWAYS_SCROLL, SMALL_TARGETS
from tests.violations.scene import Scene, make_scene

pytestmark = pytest.mark.browser
SCREENS = ARTIFACTS / "screens"
IDLE = 24  # seconds; the warning comes at half of it (at most 2 minutes before)
NOTE = "You were signed out; check and send again."
TYPED = "Had a guest in the living room at 23:10, after curfew. Asked to leave; left 23:25."


@pytest.fixture(scope="module")
def short_idle(database: None) -> Iterator[str]:
    with serve("short-idle-server", SESSION_IDLE_SECONDS=str(IDLE)) as base_url:
        yield base_url


@pytest.fixture
async def phone_short(
    browser: Any, short_idle: str, request: pytest.FixtureRequest
) -> AsyncIterator[Any]:
    async with phone_at(browser, short_idle, request) as page:
        yield page


def _form_page(scene: Scene) -> str:
    return f"/houses/{scene.house}/violations/new"


async def _type_and_time_out(page: Any, scene: Scene) -> None:
    """The manager types a violation, is away past the idle limit, and sends it."""
    await sign_in(page, scene.manager.email, scene.manager.password)
    await page.goto(_form_page(scene))
    await page.select_option("#f-stay", label="Rae")
    await page.select_option("#f-rule", index=1)
    await page.fill("#f-occurred_on", scene.yesterday.isoformat())
    await page.fill("#f-occurred_time", "23:10")
    await page.fill("#f-description", TYPED)
    await page.check("input[name=severity][value=major]")
    # The page finds out the session ended (it asks at the end of the warning).
    ended = page.locator("#session-warning-text", has_text="You were signed out.")
    await ended.wait_for(timeout=(IDLE + 20) * 1000)
    assert await page.locator("#session-warning form").is_hidden()
    await page.screenshot(path=str(SCREENS / "session-ended-390.png"))
    async with page.expect_navigation():
        await page.click("main button.primary")
    assert "/login?next=" in page.url
    notes = await page.locator(".flash-warning").inner_text()
    assert f"You were signed out after {IDLE} seconds without activity." in notes
    assert "What you sent is kept for 30 minutes" in notes
    await page.screenshot(path=str(SCREENS / "sign-in-after-timeout-390.png"))


async def _sign_in_here(page: Any, email: str, password: str) -> None:
    """Sign in on the page the refusal led to (its `next` is the form's page)."""
    await page.fill("#f-email", email)
    await page.fill("#f-password", password)
    async with page.expect_navigation():
        await page.click("main button[type=submit]")


async def test_it_warns_before_the_idle_limit_and_stay_signed_in_keeps_the_session(
    phone_short: Any,
) -> None:
    page = phone_short
    scene = await make_scene()
    SCREENS.mkdir(parents=True, exist_ok=True)
    await sign_in(page, scene.manager.email, scene.manager.password)
    await page.goto(_form_page(scene))
    opened = time.monotonic()
    await page.fill("#f-description", "Half a sentence")
    warning = page.locator("#session-warning")
    assert await warning.is_hidden()
    await warning.wait_for(state="visible", timeout=IDLE * 1000)
    assert time.monotonic() - opened >= IDLE // 2 - 1  # not before it is due
    text = await page.locator("#session-warning-text").inner_text()
    assert text.startswith("You will be signed out in ")
    assert await page.locator("#session-warning-text").get_attribute("role") == "alert"
    stay = warning.get_by_role("button", name="Stay signed in")
    box = await stay.bounding_box()
    assert box is not None
    assert box["height"] >= 44
    assert await page.evaluate(NO_SIDEWAYS_SCROLL)
    assert await page.evaluate(SMALL_TARGETS) == []
    await page.screenshot(path=str(SCREENS / "session-warning-390.png"))

    await stay.tap()
    await warning.wait_for(state="hidden", timeout=5000)
    assert await page.input_value("#f-description") == "Half a sentence"
    # Past the moment the session would have ended without the tap: still signed in.
    await asyncio.sleep(max(0.0, opened + IDLE + 2 - time.monotonic()))
    state = await page.request.get("/session", max_redirects=0)
    assert state.status == 200
    assert (await state.json())["remaining"] > 0


async def test_it_brings_a_form_sent_after_the_session_ended_back_filled_in(
    phone_short: Any,
) -> None:
    page = phone_short
    scene = await make_scene()
    SCREENS.mkdir(parents=True, exist_ok=True)
    await _type_and_time_out(page, scene)
    assert await Violation.count().where(Violation.stay == scene.stay) == 0

    await _sign_in_here(page, scene.manager.email, scene.manager.password)
    assert page.url.endswith(_form_page(scene) + "#kept")
    assert await page.locator("#kept").inner_text() == NOTE
    assert await page.input_value("#f-description") == TYPED
    assert await page.input_value("#f-occurred_time") == "23:10"
    assert await page.locator("#f-stay option:checked").inner_text() == "Rae"
    assert await page.is_checked("input[name=severity][value=major]")
    assert await page.evaluate(NO_SIDEWAYS_SCROLL)
    await page.screenshot(path=str(SCREENS / "form-restored-390.png"))
    # Never sent for them: nothing is recorded until they send it.
    assert await Violation.count().where(Violation.stay == scene.stay) == 0
    await page.check("input[name=consequence][value=Warning]")
    async with page.expect_navigation():
        await page.click("main button.primary")
    assert "Violation recorded." in await page.locator(".flash").inner_text()
    assert await Violation.count().where(Violation.stay == scene.stay) == 1


async def test_it_gives_someone_else_signing_in_on_that_phone_nothing(phone_short: Any) -> None:
    page = phone_short
    scene = await make_scene()
    SCREENS.mkdir(parents=True, exist_ok=True)
    await _type_and_time_out(page, scene)
    assert await KeptForm.count().where(KeptForm.user == scene.manager.id) == 1

    # Another manager of the same house picks the phone up and signs in.
    await _sign_in_here(page, scene.other_manager.email, scene.other_manager.password)
    assert page.url.endswith(_form_page(scene))  # the page, as any sign-in's `next`
    assert await page.locator("#kept").count() == 0
    assert await page.input_value("#f-description") == ""
    assert TYPED not in await page.content()
    assert await KeptForm.count().where(KeptForm.user == scene.manager.id) == 0
