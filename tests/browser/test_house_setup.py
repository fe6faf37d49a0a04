"""Rooms and beds on a house's edit page, on a phone: added in place (no reload, no jump to
the top of a long page, the focus where the next tap goes), several beds at once, and the
same forms without script coming back to the section."""

from __future__ import annotations

from typing import Any

import pytest

from house.beds.tables import Bed, Room
from tests.browser.conftest import ARTIFACTS, new_page, sign_in
from tests.browser.test_phone import NO_SIDEWAYS_SCROLL, SMALL_TARGETS
from tests.cast import Cast
from tests.factories import make_house, unique

pytestmark = pytest.mark.browser
SHOTS = ARTIFACTS / "screens"


async def _focused(page: Any, element_id: str) -> None:
    """Wait until `element_id` has the focus: htmx focuses a swapped-in autofocus field when
    the swap settles, a moment after the new content shows (fails after Playwright's wait)."""
    await page.wait_for_function(
        "id => document.activeElement && document.activeElement.id === id", arg=element_id
    )


async def _room_id(house: int, label: str) -> int:
    row = await Room.select(Room.id).where(Room.house == house, Room.label == label).first()
    assert row is not None
    return int(row["id"])


async def _labels(room: int) -> list[str]:
    rows = await Bed.select(Bed.label).where(Bed.room == room).order_by(Bed.id)
    return [r["label"] for r in rows]


async def test_it_adds_rooms_and_beds_in_place_at_390x844(phone: Any, cast: Cast) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    house = await make_house(unique("Birch House"))
    await sign_in(phone, cast.admin.email, cast.admin.password)
    await phone.goto(f"/houses/{house}/edit")
    assert await phone.evaluate(NO_SIDEWAYS_SCROLL)
    assert await phone.evaluate(SMALL_TARGETS) == []
    await phone.evaluate("() => { window.sameDocument = true; }")  # gone if the page reloads

    await phone.locator("#f-room").fill("Room 1")
    await phone.locator("#add-room").tap()
    await phone.locator("#rooms .flash", has_text="Room added: Room 1").wait_for()
    room = await _room_id(house, "Room 1")
    assert await phone.evaluate("() => window.sameDocument") is True
    assert await phone.evaluate("() => window.scrollY") > 1000  # still at the rooms
    await _focused(phone, f"f-bed-{room}")  # the new room's beds next

    await phone.keyboard.type("A-D")
    await phone.locator(f"#add-beds-{room}").tap()
    await phone.locator("#rooms-summary", has_text="1 room, 4 beds").wait_for()
    assert await phone.locator(f"#room-{room} h3").inner_text() == "Room 1 (4 beds)"
    assert await phone.locator("#rooms .flash").inner_text() == "Room 1: beds A, B, C, D added."
    await _focused(phone, f"add-beds-{room}")  # the focus stays on the button
    assert await phone.input_value(f"#f-bed-{room}") == ""
    assert await _labels(room) == ["A", "B", "C", "D"]

    # A range the wrong way round: said by the field, the field focused, what was typed kept.
    await phone.locator(f"#f-bed-{room}").fill("G-E")
    await phone.locator(f"#add-beds-{room}").tap()
    await phone.locator(f"#f-bed-{room}-error").wait_for()
    assert (
        "“G-E” runs backwards: write E-G."
        in await phone.locator(f"#f-bed-{room}-error").inner_text()
    )
    await _focused(phone, f"f-bed-{room}")
    assert await phone.input_value(f"#f-bed-{room}") == "G-E"
    assert await phone.evaluate(NO_SIDEWAYS_SCROLL)
    assert await phone.evaluate(SMALL_TARGETS) == []
    await phone.locator("#rooms").screenshot(path=str(SHOTS / "house-rooms-error-390.png"))
    await phone.locator(f"#f-bed-{room}").fill("E-G, Window")
    await phone.locator(f"#f-bed-{room}").press("Enter")
    await phone.locator("#rooms-summary", has_text="1 room, 8 beds").wait_for()
    await _focused(phone, f"f-bed-{room}")  # sent from the field: kept there
    assert await phone.evaluate("() => window.sameDocument") is True
    assert await _labels(room) == ["A", "B", "C", "D", "E", "F", "G", "Window"]
    await phone.locator("#rooms").screenshot(path=str(SHOTS / "house-rooms-390.png"))


async def test_it_adds_rooms_and_beds_without_script_at_360_px(
    browser: Any, live_server: str, cast: Cast
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    house = await make_house(unique("Rowan House"))
    page = await new_page(browser, live_server, width=360, height=740, script=False)
    await sign_in(page, cast.admin.email, cast.admin.password)
    await page.goto(f"/houses/{house}/edit")
    await page.fill("#f-room", "Attic")
    async with page.expect_navigation():
        await page.click("#add-room")
    assert page.url.endswith(f"/houses/{house}/edit#rooms")
    assert "Room added: Attic" in await page.locator("#rooms .flash").inner_text()
    room = await _room_id(house, "Attic")
    await page.fill(f"#f-bed-{room}", "1-3")
    async with page.expect_navigation():
        await page.click(f"#add-beds-{room}")
    assert page.url.endswith(f"/houses/{house}/edit#rooms")
    assert await page.locator("#rooms-summary").inner_text() == "1 room, 3 beds"
    assert await page.evaluate("() => window.scrollY") > 1000  # at the section, not the top
    await page.fill(f"#f-bed-{room}", "3-5")  # 3 is there already: none are added
    async with page.expect_navigation():
        await page.click(f"#add-beds-{room}")
    assert page.url.endswith(f"#room-{room}")
    error = await page.locator(f"#f-bed-{room}-error").inner_text()
    assert error == "This room already has a bed called 3. Nothing was added."
    assert await page.input_value(f"#f-bed-{room}") == "3-5"
    assert await page.evaluate(NO_SIDEWAYS_SCROLL)
    assert await page.evaluate(SMALL_TARGETS) == []
    await page.screenshot(path=str(SHOTS / "house-rooms-noscript-360.png"))
    assert await _labels(room) == ["1", "2", "3"]
    await page.context.close()
