"""A manager on a phone logs a negative screen for a resident drawn today, or not drawn, in
two taps (with script at 390x844, and without at 360); the other screens pages fit a phone
too."""

from __future__ import annotations

from typing import Any

import pytest

from house.lib import clock
from house.screens import services
from house.screens.tables import DrawSelection, Screen
from tests.browser.conftest import ARTIFACTS, new_page, sign_in
from tests.browser.test_phone import NO_SIDEWAYS_SCROLL, SMALL_TARGETS
from tests.screens.scene import draw, make_scene, values

pytestmark = pytest.mark.browser
SHOTS = ARTIFACTS / "screens"


async def test_it_logs_a_negative_for_a_drawn_resident_in_at_most_3_taps(
    browser: Any, live_server: str, phone: Any
) -> None:
    scene = await make_scene()
    await draw(scene, scene.ned)
    SHOTS.mkdir(parents=True, exist_ok=True)
    await sign_in(phone, scene.manager.email, scene.manager.password)
    await phone.goto(f"/houses/{scene.house}/screens")
    assert await phone.evaluate(NO_SIDEWAYS_SCROLL)
    assert await phone.evaluate(SMALL_TARGETS) == []
    await phone.screenshot(path=str(SHOTS / "screens-today-390.png"), full_page=True)
    taps = 0
    await phone.tap(f"#quick-{scene.ned['resident']}")
    taps += 1
    await phone.wait_for_selector("#save-negative")
    assert await phone.evaluate(NO_SIDEWAYS_SCROLL)
    assert await phone.evaluate(SMALL_TARGETS) == []
    await phone.screenshot(path=str(SHOTS / "screens-quick-390.png"), full_page=True)
    await phone.tap("#save-negative")
    taps += 1
    await phone.wait_for_selector(".flash")
    assert taps <= 3
    assert "Screen saved." in await phone.locator(".flash").inner_text()
    row = phone.locator(f"#resident-{scene.ned['resident']}")
    assert "Negative" in await row.inner_text()
    assert "Drawn, screened" in await row.inner_text()
    await phone.screenshot(path=str(SHOTS / "screens-today-after-390.png"), full_page=True)
    screen = await Screen.select(Screen.outcome, Screen.collected_by).where(
        Screen.resident == scene.ned["resident"]
    )
    assert screen == [{"outcome": "negative", "collected_by": scene.manager.id}]
    selection = (
        await DrawSelection.select(DrawSelection.status)
        .where(DrawSelection.resident == scene.ned["resident"])
        .first()
    )
    assert selection == {"status": "screened"}


async def test_it_logs_a_routine_negative_for_a_resident_not_drawn_in_two_taps(
    browser: Any, live_server: str, phone: Any
) -> None:
    scene = await make_scene()
    await draw(scene, scene.ned)
    await sign_in(phone, scene.manager.email, scene.manager.password)
    await phone.goto(f"/houses/{scene.house}/screens")
    others = phone.locator("#others-today")
    assert await others.locator(f"#quick-{scene.rae['resident']}").count() == 1
    await phone.tap(f"#quick-{scene.rae['resident']}")  # tap 1
    await phone.wait_for_selector("#save-negative")
    assert "Routine" in await phone.locator("#quick-form").inner_text()
    assert await phone.evaluate(NO_SIDEWAYS_SCROLL)
    assert await phone.evaluate(SMALL_TARGETS) == []
    await phone.tap("#save-negative")  # tap 2
    await phone.wait_for_selector(".flash")
    assert "Screen saved." in await phone.locator(".flash").inner_text()
    row = phone.locator(f"#resident-{scene.rae['resident']}")
    assert "Negative" in await row.inner_text()
    assert await row.locator(".quick-negative").count() == 0
    screens = await Screen.select(Screen.outcome, Screen.reason).where(
        Screen.resident == scene.rae["resident"]
    )
    assert screens == [{"outcome": "negative", "reason": "routine"}]


async def test_it_works_without_script_at_360_and_shows_the_resident_their_screens(
    browser: Any, live_server: str, phone: Any
) -> None:
    scene = await make_scene()
    await draw(scene, scene.rae)
    positive = await services.record_screen(
        actor_id=scene.manager.id,
        house_id=scene.house,
        values=values(
            scene,
            resident=scene.ned["resident"],
            results={scene.codes["fentanyl"]: "positive"},
        ),
        now=clock.now(),
    )
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = await new_page(browser, live_server, width=360, height=740, script=False)
    await sign_in(page, scene.manager.email, scene.manager.password)
    await page.goto(f"/houses/{scene.house}/screens")
    await page.click(f"#quick-{scene.rae['resident']}")
    await page.click("#save-negative")
    assert "Screen saved." in await page.locator(".flash").inner_text()
    assert await Screen.count().where(Screen.resident == scene.rae["resident"]) == 1
    for url, name in (
        (f"/houses/{scene.house}/screens/new?resident={scene.ned['resident']}", "screens-new-360"),
        (f"/screens/{positive}", "screens-detail-360"),
        (f"/houses/{scene.house}/panels", "screens-panels-360"),
        (f"/residents/{scene.rae['resident']}/prescriptions", "screens-prescriptions-360"),
    ):
        await page.goto(url)
        assert await page.evaluate(NO_SIDEWAYS_SCROLL), url
        assert await page.evaluate(SMALL_TARGETS) == [], url
        await page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    # A wrong form comes back with the message by the field and what was typed.
    await page.goto(f"/houses/{scene.house}/screens/new?resident={scene.ned['resident']}")
    await page.fill("#f-collected_time", "29:99")
    await page.fill("#f-note", "Left the cup on the sink.")
    await page.click("#screen-form button.primary")
    assert "Enter the time" in await page.locator("#f-collected_time-error").inner_text()
    assert await page.input_value("#f-note") == "Left the cup on the sink."
    await page.context.close()

    await sign_in(phone, scene.resident.email, scene.resident.password)
    await phone.tap("#my-screens-link")
    assert "Negative" in await phone.locator("#my-screens").inner_text()
    assert await phone.evaluate(NO_SIDEWAYS_SCROLL)
    assert await phone.evaluate(SMALL_TARGETS) == []
    await phone.screenshot(path=str(SHOTS / "screens-mine-390.png"), full_page=True)
