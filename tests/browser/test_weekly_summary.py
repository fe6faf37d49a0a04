"""A manager opens the weekly summary from the house's menu on a phone (390x844): the week
resident by resident, the week picker, no sideways scroll, 44 px targets."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from house.lib.dates import house_today, week_start
from tests.browser.conftest import ARTIFACTS, sign_in
from tests.browser.test_phone import NO_SIDEWAYS_SCROLL, SMALL_TARGETS
from tests.factories import unique
from tests.reports.kit import CHICAGO, chicago, chore_days, house_with, screen

pytestmark = pytest.mark.browser
SHOTS = ARTIFACTS / "screens"


async def test_it_shows_a_manager_the_week_at_390x844_without_sideways_scroll(
    phone: Any,
) -> None:
    # The live server runs on the real clock: the scene is last week's.
    last_monday = week_start(house_today(dt.datetime.now(dt.UTC), CHICAGO)) - dt.timedelta(days=7)
    long_name = unique("Maximiliana-Alexandrina-Bartholomew")
    house, manager, (pat, sam) = await house_with(
        [unique("Pat"), long_name], admitted_on=last_monday - dt.timedelta(days=30)
    )
    await chore_days(
        house,
        manager,
        pat,
        [(last_monday, "verified"), (last_monday + dt.timedelta(days=1), "missed")],
    )
    await screen(house, sam, chicago(last_monday + dt.timedelta(days=1), 9), "refused")
    await screen(house, sam, chicago(last_monday + dt.timedelta(days=2), 9), "expected_positive")
    SHOTS.mkdir(parents=True, exist_ok=True)

    await sign_in(phone, manager.email, manager.password)
    await phone.locator(f"#house-{house}-weekly").tap()
    await phone.wait_for_url(f"**/houses/{house}/reports/weekly")
    assert await phone.locator("h1").inner_text() == "Weekly summary"
    sam_card = phone.locator(f"#resident-{sam['resident']}")
    assert long_name in await sam_card.inner_text()
    assert "refused, expected positive" in await sam_card.inner_text()
    assert (
        "1 verified, 1 missed" in await phone.locator(f"#resident-{pat['resident']}").inner_text()
    )
    assert await phone.evaluate(NO_SIDEWAYS_SCROLL)
    assert await phone.evaluate(SMALL_TARGETS) == []
    await phone.screenshot(path=str(SHOTS / "weekly-summary-390.png"), full_page=True)
    await phone.set_viewport_size({"width": 360, "height": 740})  # the narrowest phone
    assert await phone.evaluate(NO_SIDEWAYS_SCROLL)

    await phone.get_by_role("link", name="← Week before").tap()
    earlier = last_monday - dt.timedelta(days=7)
    await phone.wait_for_url(f"**/reports/weekly?week={earlier.isoformat()}")
    assert f"{earlier.day} {earlier:%b}" in await phone.locator("#week-range").inner_text()
    assert await phone.evaluate(NO_SIDEWAYS_SCROLL)
