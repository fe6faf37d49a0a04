"""CM in a real browser at 390x844: a manager logs a negative with the screens core's quick
"Negative" flow, the resident sees their streak grow on their home page; the manager redeems
on a 360 px phone without script; every CM page fits without sideways scroll."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from house.db import write_transaction
from house.lib import clock
from house.lib.dates import house_today
from house.screens.tables import DrawSelection, Panel, PanelSubstance, RandomDraw, Substance
from tests.browser.conftest import PHONE, new_page, sign_in
from tests.browser.test_phone import look_at
from tests.cm.kit import make_scene, screen

pytestmark = pytest.mark.browser


async def _panel(house: int) -> None:
    """A two-substance cup for the quick negative (the first panel in use)."""
    substances = await Substance.select(Substance.id).where(
        Substance.code.is_in(["cocaine", "ketamine"])
    )
    async with write_transaction():
        rows = await Panel.insert(
            Panel(house=house, name="Cup", active=True, created_at=clock.now())
        ).returning(Panel.id)
        await PanelSubstance.insert(
            *[PanelSubstance(panel=rows[0]["id"], substance=s["id"]) for s in substances]
        )


async def _drawn_today(house: int, ids: dict[str, int]) -> None:
    """The resident is on today's random list (what puts the quick "Negative" on the row)."""
    now = clock.now()
    today = house_today(now, "America/Chicago")  # make_house's timezone
    async with write_transaction():
        rows = await RandomDraw.insert(
            RandomDraw(house=house, day=today, drawn_at=now, seed="0" * 64, wanted=1)
        ).returning(RandomDraw.id)
        await DrawSelection.insert(
            DrawSelection(
                draw=rows[0]["id"],
                house=house,
                resident=ids["resident"],
                stay=ids["stay"],
                day=today,
            )
        )


async def test_it_shows_the_resident_their_streak_grow_after_a_manager_logs_a_negative(
    browser: Any, live_server: str, phone: Any
) -> None:
    scene = await make_scene(name="Rae")
    await _panel(scene.house)
    await screen(scene, "negative", at=clock.now() - dt.timedelta(days=2))  # a streak of one
    await _drawn_today(scene.house, scene.ids)

    await sign_in(phone, scene.resident.email, scene.resident.password)
    assert await phone.locator("#my-cm-streak").inner_text() == "1"
    assert await phone.locator("#my-cm-next").inner_text() == "$4.00"
    await look_at(phone, "cm-home-before-390")

    manager = await new_page(
        browser, live_server, width=PHONE["width"], height=PHONE["height"], script=True
    )
    await sign_in(manager, scene.manager.email, scene.manager.password)
    await manager.goto(f"/houses/{scene.house}/screens")
    await manager.click(f"#quick-{scene.resident_id}")
    await manager.click("#save-negative")
    assert "Screen saved." in await manager.locator(".flash").inner_text()

    await phone.reload()
    assert await phone.locator("#my-cm-streak").inner_text() == "2"
    assert await phone.locator("#my-cm-next").inner_text() == "$15.50"
    assert await phone.locator("#my-cm-balance").inner_text() == "$6.50"
    await look_at(phone, "cm-home-after-390")
    await phone.click("#my-cm-link")
    assert "Negative screen, 2 in a row" in await phone.locator("#cm-entries").inner_text()
    await look_at(phone, "cm-mine-390")

    await manager.goto(f"/houses/{scene.house}/cm")
    await look_at(manager, "cm-house-390")
    await manager.goto(f"/houses/{scene.house}/cm/settings")
    await look_at(manager, "cm-settings-390")
    await manager.context.close()


async def test_it_redeems_at_360_px_without_script_and_keeps_what_was_typed(
    browser: Any, live_server: str
) -> None:
    scene = await make_scene(name="Sol")
    for outcome in ("negative", "negative", "negative", "dilute", "negative"):
        await screen(scene, outcome)
    page = await new_page(browser, live_server, width=360, height=740, script=False)
    await sign_in(page, scene.manager.email, scene.manager.password)
    await page.goto(f"/residents/{scene.resident_id}/cm")
    await page.fill("#f-what", "Grocery card")
    await page.fill("#f-value", "500")
    await page.click("#redeem button.primary")
    assert "redeem at most that" in await page.locator("#f-value-error").inner_text()
    assert await page.input_value("#f-what") == "Grocery card"
    await look_at(page, "cm-ledger-error-360")
    await page.fill("#f-value", "10")
    await page.click("#redeem button.primary")
    assert "Redeemed $10.00: Grocery card." in await page.locator(".flash").inner_text()
    assert await page.locator("#cm-balance").inner_text() == "$14.50"
    await look_at(page, "cm-ledger-360")
    await page.context.close()
