"""Random draws in a real browser at phone size: a manager draws today's list, sees it with
the redraw check, and excuses one resident in place; the pages fit 360 px without script."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from house.lib import clock
from tests.browser.conftest import ARTIFACTS, new_page, sign_in
from tests.browser.test_phone import NO_SIDEWAYS_SCROLL, SMALL_TARGETS
from tests.screens.random.helpers import random_house

pytestmark = pytest.mark.browser
SHOTS = ARTIFACTS / "screens"


async def test_it_draws_todays_list_and_excuses_one_at_390x844(phone: Any) -> None:
    setup = await random_house(
        residents=5, rate=2, admitted_on=clock.now().date() - dt.timedelta(days=30)
    )
    SHOTS.mkdir(parents=True, exist_ok=True)
    await sign_in(phone, setup["manager"].email, setup["manager"].password)
    await phone.goto(f"/houses/{setup['house']}/draws")
    await phone.screenshot(path=str(SHOTS / "random-draws-empty.png"), full_page=True)
    await phone.click("text=Draw today's list now")
    await phone.wait_for_url("**/draws/*")
    assert await phone.is_visible("text=Redrawn from the stored seed: same list.")
    assert await phone.evaluate(NO_SIDEWAYS_SCROLL)
    assert await phone.evaluate(SMALL_TARGETS) == []
    await phone.screenshot(path=str(SHOTS / "random-draw.png"), full_page=True)
    first = phone.locator("#selections > li").first
    row_id = await first.get_attribute("id")
    await first.locator("summary").click()
    await first.locator("input[name=reason]").fill("Court date")
    await first.locator("button[type=submit]").click()
    row = phone.locator(f"#{row_id}")
    await row.locator("text=Excused by").wait_for()
    assert "excused" in (await row.inner_text()).lower()
    await phone.screenshot(path=str(SHOTS / "random-draw-excused.png"), full_page=True)
    await phone.goto(f"/houses/{setup['house']}/draws")
    assert await phone.evaluate(NO_SIDEWAYS_SCROLL)
    await phone.screenshot(path=str(SHOTS / "random-draws.png"), full_page=True)


async def test_it_saves_settings_without_script_at_360(browser: Any, live_server: str) -> None:
    setup = await random_house(residents=1, enabled=False)
    page = await new_page(browser, live_server, width=360, height=800, script=False)
    SHOTS.mkdir(parents=True, exist_ok=True)
    await sign_in(page, setup["manager"].email, setup["manager"].password)
    await page.goto(f"/houses/{setup['house']}/draws")
    assert await page.is_visible("text=Random screens are off for this house")
    await page.goto(f"/houses/{setup['house']}/draws/settings")
    await page.fill("#f-random_rate", "500")
    await page.click("button[type=submit].primary")
    await page.wait_for_load_state()
    assert await page.is_visible("#f-random_rate-error")
    assert await page.evaluate(NO_SIDEWAYS_SCROLL)
    assert await page.evaluate(SMALL_TARGETS) == []
    await page.screenshot(path=str(SHOTS / "random-settings-error.png"), full_page=True)
    await page.check("input[name=random_enabled]")
    await page.fill("#f-random_rate", "2")
    await page.click("button[type=submit].primary")
    await page.wait_for_load_state()
    assert await page.is_visible("text=Settings saved. Random screens are on.")
    await page.context.close()
