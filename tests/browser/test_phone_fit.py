"""Pages that were too wide or had small targets on a phone (issue 12, point 10): a screen
with a prescription's hint, and the first-name links of the meetings week and the rules."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from house.lib import clock
from house.rules import services as rules
from house.screens import services
from house.screens.setup import services as setup
from tests.browser.conftest import ARTIFACTS, new_page, sign_in
from tests.browser.test_phone import NO_SIDEWAYS_SCROLL, SMALL_TARGETS
from tests.screens.scene import Scene, make_scene, values

pytestmark = pytest.mark.browser
SHOTS = ARTIFACTS / "screens"
SIZES = ((360, 740), (390, 844))
# The demo's prescription: "(buprenorphine/naloxone)" is one long word at 360 px.
MEDICATION = "Suboxone (buprenorphine/naloxone) 8 mg"
SIZE_OF = "el => { const r = el.getBoundingClientRect(); return [r.width, r.height]; }"


async def _house(name_prefix: str) -> tuple[Scene, int]:
    """The screens scene (Rae and Ned live there) with a published set of rules nobody has
    signed yet, and an expected positive for Rae: a prescription's hint on the screen."""
    scene = await make_scene(prescription=False)
    now = clock.now()
    await setup.add_prescription(
        actor_id=scene.manager.id,
        resident_id=scene.rae["resident"],
        values={
            "substance": scene.codes["buprenorphine"],
            "medication": MEDICATION,
            "prescriber": "Dr Lee",
            "starts_on": scene.today - dt.timedelta(days=10),
            "ends_on": None,
        },
        now=now,
    )
    await rules.publish(
        actor_id=scene.manager.id,
        house_id=scene.house,
        rules=[
            {
                "number": 1,
                "text": f"{name_prefix}: no substances on the property.",
                "category": "Safety",
                "consequence": "Warning",
            }
        ],
        note="",
        now=now,
    )
    screen = await services.record_screen(
        actor_id=scene.manager.id,
        house_id=scene.house,
        values=values(scene, results={scene.codes["buprenorphine"]: "positive"}),
        now=now,
    )
    return scene, screen


@pytest.mark.parametrize(("width", "height"), SIZES)
async def test_it_fits_a_screen_with_a_prescription_hint_without_sideways_scroll(
    browser: Any, live_server: str, width: int, height: int
) -> None:
    scene, screen = await _house("Fit")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = await new_page(browser, live_server, width=width, height=height, script=False)
    await sign_in(page, scene.manager.email, scene.manager.password)
    await page.goto(f"/screens/{screen}")
    results = page.locator("#results")
    assert "Expected (prescribed)" in await results.inner_text()
    assert MEDICATION in await results.inner_text()
    await page.screenshot(path=str(SHOTS / f"screens-expected-{width}.png"), full_page=True)
    # The full page has the tab bar over the results; the card itself, to look at the hint:
    await results.screenshot(path=str(SHOTS / f"screens-expected-results-{width}.png"))
    assert await page.evaluate("document.documentElement.scrollWidth") <= width
    assert await page.evaluate(NO_SIDEWAYS_SCROLL)
    assert await page.evaluate(SMALL_TARGETS) == []
    await page.context.close()


@pytest.mark.parametrize(("width", "height"), SIZES)
async def test_it_makes_first_name_links_44_px_on_the_meetings_week_and_the_rules(
    browser: Any, live_server: str, width: int, height: int
) -> None:
    scene, _ = await _house("Tap")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = await new_page(browser, live_server, width=width, height=height, script=False)
    await sign_in(page, scene.manager.email, scene.manager.password)
    for path, name, link_of in (
        (f"/houses/{scene.house}/meetings/week", "meetings-week", "#week-{} th a"),
        (f"/houses/{scene.house}/rules", "rules", "#unsigned-{} a"),
    ):
        await page.goto(path)
        await page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
        for resident, first_name in ((scene.rae, "Rae"), (scene.ned, "Ned")):
            link = page.locator(link_of.format(resident["resident"]))
            assert await link.inner_text() == first_name
            link_width, link_height = await link.evaluate(SIZE_OF)
            assert link_width >= 44, (path, first_name, link_width)
            assert link_height >= 44, (path, first_name, link_height)
        assert await page.evaluate(NO_SIDEWAYS_SCROLL), path
        assert await page.evaluate(SMALL_TARGETS) == [], path
    await page.context.close()
