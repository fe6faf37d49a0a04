"""The inbox in a real browser at phone size: the badge, opening, acknowledging, resolving."""

from __future__ import annotations

from typing import Any

import pytest

from house.alerts.tables import Alert
from tests.browser.conftest import ARTIFACTS, new_page, sign_in
from tests.browser.test_phone import NO_SIDEWAYS_SCROLL, SMALL_TARGETS
from tests.cast import Cast
from tests.factories import make_house, make_inbox_item, make_user, unique

pytestmark = pytest.mark.browser


async def test_it_reads_acknowledges_and_resolves_from_the_inbox(phone: Any, cast: Cast) -> None:
    shots = ARTIFACTS / "screens"
    shots.mkdir(parents=True, exist_ok=True)
    house = await make_house(unique("Maple House"))
    manager = await make_user("manager", [house], name="Morgan Maple")
    _, first = await make_inbox_item(
        house, manager.id, kind="chores_missed", summary="Jordan missed 2 chores this week"
    )
    second_alert, second = await make_inbox_item(
        house, manager.id, kind="bed_free", summary="Room 2, Bed B free for 3 days"
    )
    await sign_in(phone, manager.email, manager.password)
    assert (await phone.text_content("#inbox-badge .bell-count")) == "2"
    await phone.screenshot(path=str(shots / "inbox-badge.png"))
    await phone.click("#inbox-badge")
    await phone.wait_for_url("**/inbox")
    assert await phone.evaluate(NO_SIDEWAYS_SCROLL)
    assert await phone.evaluate(SMALL_TARGETS) == []
    await phone.screenshot(path=str(shots / "inbox-list.png"), full_page=True)

    await phone.click(f"#alert-row-{first} a.row-title")
    await phone.wait_for_url(f"**/inbox/{first}")
    await phone.screenshot(path=str(shots / "inbox-item.png"), full_page=True)
    await phone.goto("/inbox")
    assert (await phone.text_content("#inbox-badge .bell-count")) == "1"

    row = f"#alert-row-{second}"
    await phone.click(f"{row} button:has-text('Acknowledge')")
    await phone.wait_for_selector(f"{row} >> text=Acknowledged.")
    assert "acknowledged" in (await phone.text_content(f"{row} .tag") or "")
    assert phone.url.endswith("/inbox")  # swapped in place, no navigation
    # Acknowledging read it: the bell's count came with the row (1 -> none).
    assert await phone.locator("#inbox-badge .bell-count").count() == 0
    assert await phone.get_attribute("#inbox-badge", "aria-label") == "Inbox"
    assert await phone.get_attribute("#inbox-badge", "hx-swap-oob") is None
    await phone.screenshot(path=str(shots / "inbox-acknowledged.png"))
    await phone.click(f"{row} summary:has-text('Resolve')")
    await phone.screenshot(path=str(shots / "inbox-resolving.png"), full_page=True)
    await phone.click(f"{row} button:has-text('Resolve')")  # no note yet
    await phone.wait_for_selector(f"{row} .error")
    await phone.fill(f"{row} textarea[name=note]", "Listed it for the waitlist call.")
    await phone.click(f"{row} button:has-text('Resolve')")
    await phone.wait_for_selector(f"{row} >> text=Resolved.")
    await phone.screenshot(path=str(shots / "inbox-resolved.png"), full_page=True)
    stored = await Alert.select().where(Alert.id == second_alert).first()
    assert stored is not None
    assert stored["resolution_note"] == "Listed it for the waitlist call."
    assert stored["resolved_by"] == manager.id

    await phone.goto("/inbox/preferences")
    assert await phone.evaluate(NO_SIDEWAYS_SCROLL)
    assert await phone.evaluate(SMALL_TARGETS) == []
    await phone.screenshot(path=str(shots / "inbox-preferences.png"), full_page=True)


async def test_it_works_without_script_at_360_px(
    browser: Any, live_server: str, cast: Cast
) -> None:
    house = await make_house(unique("Elm House"))
    manager = await make_user("manager", [house])
    alert, delivery = await make_inbox_item(house, manager.id, summary="Sam missed a random screen")
    page = await new_page(browser, live_server, width=360, height=740, script=False)
    await sign_in(page, manager.email, manager.password)
    await page.goto("/inbox")
    await page.click(f"#alert-row-{delivery} button:has-text('Acknowledge')")
    await page.wait_for_url("**/inbox")
    assert "acknowledged" in (await page.text_content(f"#alert-row-{delivery}") or "")
    assert await page.evaluate(NO_SIDEWAYS_SCROLL)
    stored = await Alert.select(Alert.acknowledged_by).where(Alert.id == alert).first()
    assert stored == {"acknowledged_by": manager.id}
    await page.context.close()


async def test_an_escalated_alert_and_a_reloaded_form_fit_a_phone_without_script(
    browser: Any, live_server: str, cast: Cast
) -> None:
    shots = ARTIFACTS / "screens"
    shots.mkdir(parents=True, exist_ok=True)
    house = await make_house(unique("Cedar House"))
    admin = await make_user("admin", name="Alex Admin")
    alert, _ = await make_inbox_item(
        house, admin.id, kind="screen_result", summary="Sam: a refused screen", severity="critical"
    )
    await Alert.update({Alert.escalated_at: Alert.created_at}).where(Alert.id == alert)
    page = await new_page(browser, live_server, width=360, height=740, script=False)
    await sign_in(page, admin.email, admin.password)
    await page.goto("/inbox")
    assert "escalated" in await page.locator(".inbox-row").first.inner_text()
    assert await page.evaluate(NO_SIDEWAYS_SCROLL)
    assert await page.evaluate(SMALL_TARGETS) == []
    await page.screenshot(path=str(shots / "inbox-escalated-360.png"), full_page=True)
    # A form's address opened again (a reload after sending it): a way back, not a dead end.
    await page.goto(f"/alerts/{alert}/resolve")
    assert "This address only saves a form" in await page.content()
    assert await page.evaluate(NO_SIDEWAYS_SCROLL)
    assert await page.evaluate(SMALL_TARGETS) == []
    await page.screenshot(path=str(shots / "error-405-360.png"), full_page=True)
    await page.context.close()
