"""A manager records a violation on a phone without script; the resident appeals on theirs."""

from __future__ import annotations

from typing import Any

import pytest

from house.violations.tables import Appeal, Violation
from tests.browser.conftest import ARTIFACTS, new_page, sign_in
from tests.browser.test_phone import NO_SIDEWAYS_SCROLL, SMALL_TARGETS
from tests.violations.scene import make_scene

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
