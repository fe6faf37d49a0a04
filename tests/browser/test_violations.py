"""A manager records a violation on a phone without script; the resident appeals on theirs."""

from __future__ import annotations

from typing import Any

import pytest

from house.violations.tables import Appeal, Violation
from tests.browser.conftest import ARTIFACTS, new_page, sign_in
from tests.browser.test_phone import NO_SIDEWAYS_SCROLL, SMALL_TARGETS
from tests.cast import Cast
from tests.violations.scene import make_scene
from tests.violations.test_appeals import _appealed, _recorded

pytestmark = pytest.mark.browser
SCREENS = ARTIFACTS / "screens"


async def test_it_records_a_violation_at_360_px_and_the_resident_appeals_at_390(
    browser: Any, live_server: str, phone: Any
) -> None:
    scene = await make_scene()
    SCREENS.mkdir(parents=True, exist_ok=True)
    page = await new_page(browser, live_server, width=360, height=740, script=False)
    await sign_in(page, scene.manager.email, scene.manager.password)
    await page.goto(f"/houses/{scene.house}/violations/new")
    assert await page.evaluate(NO_SIDEWAYS_SCROLL)
    assert await page.evaluate(SMALL_TARGETS) == []
    await page.select_option("#f-stay", label="Rae")
    await page.select_option("#f-rule", index=1)
    await page.fill("#f-occurred_on", scene.yesterday.isoformat())
    await page.fill("#f-occurred_time", "21:40")
    await page.fill("#f-description", "Guest stayed past 9 pm.")
    # Forgot the severity: the form comes back with the message and what was typed.
    await page.click("button.primary")
    assert "Choose how serious it was." in await page.locator("#f-severity-error").inner_text()
    assert await page.input_value("#f-description") == "Guest stayed past 9 pm."
    await page.check("input[name=severity][value=minor]")
    await page.check("input[name=consequence][value=Warning]")
    await page.screenshot(path=str(SCREENS / "violation-new-360.png"), full_page=True)
    await page.click("button.primary")
    assert "Violation recorded." in await page.locator(".flash").inner_text()
    assert await page.evaluate(NO_SIDEWAYS_SCROLL)
    await page.screenshot(path=str(SCREENS / "violation-staff-360.png"), full_page=True)
    await page.context.close()
    violation = await Violation.select(Violation.id).where(Violation.stay == scene.stay).first()
    assert violation is not None

    await sign_in(phone, scene.resident.email, scene.resident.password)
    await phone.click("#my-violations")
    await phone.click(f"#violation-{violation['id']} a")
    await phone.fill("#f-statement", "The guest was my sponsor and left at 21:00 sharp.")
    await phone.click("#appeal-form button")
    assert "sent to the program" in await phone.locator(".flash").inner_text()
    assert await phone.evaluate(NO_SIDEWAYS_SCROLL)
    assert await phone.evaluate(SMALL_TARGETS) == []
    await phone.screenshot(path=str(SCREENS / "violation-resident-390.png"), full_page=True)
    assert await Appeal.count().where(Appeal.violation == violation["id"]) == 1


async def test_it_asks_for_the_appeal_decision_before_a_resolve(
    browser: Any, live_server: str, phone: Any, app: Any, cast: Cast
) -> None:
    scene = await make_scene()
    SCREENS.mkdir(parents=True, exist_ok=True)
    violation_id = await _recorded(app, scene)
    page = await new_page(browser, live_server, width=360, height=740, script=False)
    await sign_in(page, scene.manager.email, scene.manager.password)
    await page.goto(f"/violations/{violation_id}")
    await _appealed(app, scene, violation_id)  # while the manager's page is open
    async with page.expect_navigation():
        await page.get_by_role("button", name="Mark resolved (consequence served)").click()
    assert page.url.endswith("#resolve")  # the answer opens at the refusal, not the top
    waiting = await page.locator("#appeal-waiting").inner_text()
    assert waiting.startswith("An appeal is waiting: the program's administrator decides")
    assert await page.get_by_role("button", name="Mark resolved").count() == 0
    assert await page.evaluate(NO_SIDEWAYS_SCROLL)
    assert await page.evaluate(SMALL_TARGETS) == []
    await page.screenshot(path=str(SCREENS / "violation-resolve-refused-360.png"))
    await page.context.close()

    await sign_in(phone, cast.admin.email, cast.admin.password)
    await phone.goto(f"/violations/{violation_id}")
    assert await phone.locator("#appeal-waiting").inner_text() == (
        "An appeal is waiting: decide it first."
    )
    await phone.locator("#decide-first").tap()
    assert phone.url.endswith("#appeal")
    assert await phone.get_by_role("button", name="Decide").is_visible()
    assert await phone.evaluate(SMALL_TARGETS) == []
    await phone.screenshot(path=str(SCREENS / "violation-decide-first-390.png"))
    row = await Violation.select(Violation.status).where(Violation.id == violation_id).first()
    assert row == {"status": "open"}
