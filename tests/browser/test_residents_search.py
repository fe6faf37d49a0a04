"""The residents list on a phone, before any script: living here, waiting and past, and a
search by name that finds a former resident (issue 12, point 3)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest

from house.beds.placements import services as placements
from house.lib import clock
from house.lib.datewords import date_words
from tests.browser.conftest import ARTIFACTS, new_page, sign_in
from tests.browser.test_phone import NO_SIDEWAYS_SCROLL, SMALL_TARGETS
from tests.factories import make_house, make_resident_in, make_stay, make_user

pytestmark = pytest.mark.browser
SHOTS = ARTIFACTS / "residents"


@pytest.mark.parametrize(("width", "height"), [(360, 740), (390, 844)])
async def test_it_finds_a_former_resident_by_name_on_a_phone_without_script(
    browser: Any, live_server: str, width: int, height: int
) -> None:
    tag = uuid.uuid4().hex[:6]
    house = await make_house()
    manager = await make_user("manager", [house])
    living = await make_resident_in(house, manager.id, preferred_name=f"Ana{tag}")
    await make_stay(house, manager.id, preferred_name=f"Bo{tag}")
    gone = await make_resident_in(
        house,
        manager.id,
        preferred_name=f"Dev-with-a-rather-long-name-{tag}",
        admitted_on=clock.now().date() - dt.timedelta(days=3),
    )
    today = clock.now().date() - dt.timedelta(days=1)
    await placements.exit_stay(
        actor_id=manager.id,
        stay_id=gone["stay"],
        on=today,
        reason="discharged_use",
        note="",
        today=today,
        now=clock.now(),
    )
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = await new_page(browser, live_server, width=width, height=height, script=False)
    await sign_in(page, manager.email, manager.password)
    await page.goto("/residents")
    assert f"Ana{tag}" in await page.inner_text("main")
    await page.fill("#f-q", f"dev-WITH-a-rather-long-name-{tag}")
    async with page.expect_navigation():
        await page.click("form[role=search] button[type=submit]")
    assert "q=dev-WITH" in page.url
    text = await page.inner_text("main")
    assert f"Ana{tag}" not in text
    assert f"Bo{tag}" not in text
    row = page.locator(f"#stay-{gone['stay']}")
    assert f"left {date_words(today)}" in await row.inner_text()
    assert "Discharged after use" in await row.inner_text()
    await page.screenshot(path=str(SHOTS / f"search-{width}.png"), full_page=True)
    assert await page.evaluate(NO_SIDEWAYS_SCROLL)
    assert await page.evaluate(SMALL_TARGETS) == []
    async with page.expect_navigation():
        await row.locator("a").click()
    assert page.url.endswith(f"/residents/{gone['resident']}")
    assert living["resident"] != gone["resident"]
    await page.context.close()
