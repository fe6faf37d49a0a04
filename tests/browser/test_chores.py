"""Chores in a real browser at phone size: a manager ticks three chores with one tap each
(htmx swaps each row in place); the pages fit 360 px without script; screenshots."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from house.chores import services, weeks
from house.chores.tables import ChoreAssignment
from house.lib import clock
from house.lib.dates import house_today, week_start
from tests.browser.conftest import ARTIFACTS, new_page, sign_in
from tests.browser.test_phone import NO_SIDEWAYS_SCROLL, SMALL_TARGETS, look_at
from tests.cast import Cast
from tests.factories import make_house, make_resident_in, make_user, unique

pytestmark = pytest.mark.browser
TIMEZONE = "America/Chicago"


async def _house_with_chores_today() -> dict[str, Any]:
    """Three residents, three daily chores and this week's rotation (on the real clock: the
    app under test runs in its own process)."""
    house = await make_house(unique("Willow House"), timezone=TIMEZONE)
    manager = await make_user("manager", [house], name="Morgan Willow")
    today = house_today(clock.now(), TIMEZONE)
    people = []
    for name in ("Jordan", "Riley", "Dev"):
        person = await make_user("resident", [house], name=f"{name} Resident")
        await make_resident_in(
            house,
            manager.id,
            user_id=person.id,
            preferred_name=name,
            admitted_on=today - dt.timedelta(days=20),
        )
        people.append(person)
    for name, area, weight in (
        ("Kitchen", "Downstairs", 3),
        ("Bathrooms", "Upstairs", 2),
        ("Porch and steps", "Outside", 1),
    ):
        await services.add_chore(
            actor_id=manager.id,
            house_id=house,
            values={
                "name": name,
                "area": area,
                "instructions": f"Leave the {name.lower()} clean for the next person.",
                "frequency": "daily",
                "weekdays": "",
                "weight": weight,
            },
            now=clock.now(),
        )
    await weeks.generate_rotation(
        house_id=house,
        week_start=week_start(today),
        today=today,
        now=clock.now(),
        actor_id=manager.id,
    )
    rows = list(
        await ChoreAssignment.select(ChoreAssignment.id)
        .where(ChoreAssignment.house == house, ChoreAssignment.day == today)
        .order_by(ChoreAssignment.id)
    )
    assert len(rows) == 3
    return {
        "house": house,
        "manager": manager,
        "residents": people,
        "today": [r["id"] for r in rows],
    }


async def test_it_lets_a_manager_tick_three_chores_with_one_tap_each(
    phone: Any, cast: Cast
) -> None:
    setup = await _house_with_chores_today()
    await sign_in(phone, setup["manager"].email, setup["manager"].password)
    await phone.goto(f"/houses/{setup['house']}/chores/day")
    url = phone.url
    assert await phone.evaluate(NO_SIDEWAYS_SCROLL)
    assert await phone.evaluate(SMALL_TARGETS) == []
    for assignment in setup["today"]:
        await phone.locator(f"#assignment-{assignment} button.chore-tap").tap()  # one tap
        await phone.locator(f"#assignment-{assignment}.chore-verified").wait_for()
    assert phone.url == url  # no page load: each row was swapped in place
    assert await phone.locator(".chore-verified").count() == 3
    assert await phone.locator("button.chore-tap").count() == 0
    assert (await phone.locator("#day-summary").inner_text()).startswith("0 of 3 still to check")
    stored = await ChoreAssignment.select(ChoreAssignment.status).where(
        ChoreAssignment.id.is_in(setup["today"])
    )
    assert [r["status"] for r in stored] == ["verified"] * 3
    ARTIFACTS.joinpath("screens").mkdir(parents=True, exist_ok=True)
    await phone.screenshot(path=str(ARTIFACTS / "screens" / "chores-day-ticked-390.png"))


async def test_it_works_without_script_at_360_px(
    browser: Any, live_server: str, cast: Cast
) -> None:
    setup = await _house_with_chores_today()
    page = await new_page(browser, live_server, width=360, height=740, script=False)
    await sign_in(page, setup["manager"].email, setup["manager"].password)
    house = setup["house"]
    for path in (
        f"/houses/{house}/chores",
        f"/houses/{house}/chores/day",
        f"/houses/{house}/chores/week",
        f"/houses/{house}/board",
    ):
        response = await page.goto(path)
        assert response.status == 200, path
        assert await page.evaluate(NO_SIDEWAYS_SCROLL), path
        assert await page.evaluate(SMALL_TARGETS) == [], path
    await page.goto(f"/houses/{house}/chores/day")
    first = setup["today"][0]
    # Without script each tap is a post/redirect/get: wait for the page it lands on (a
    # busy machine may not have loaded it yet when the click returns).
    async with page.expect_navigation():
        await page.locator(f"#assignment-{first} button.chore-tap").click()
    assert page.url.endswith("/chores/day?day=" + str(house_today(clock.now(), TIMEZONE)))
    assert await page.locator(f"#assignment-{first}.chore-verified").count() == 1
    # Excuse another behind the secondary control, with a reason.
    second = setup["today"][1]
    await page.locator(f"#assignment-{second} summary").click()
    await page.fill(f"#f-reason-{second}", "At the clinic")
    async with page.expect_navigation():
        await page.locator(f"#assignment-{second} button", has_text="Excuse").click()
    assert await page.locator(f"#assignment-{second}.chore-excused").count() == 1
    await page.context.close()

    page = await new_page(browser, live_server, width=360, height=740, script=False)
    resident = setup["residents"][0]
    await sign_in(page, resident.email, resident.password)
    response = await page.goto("/chores")
    assert response.status == 200
    assert await page.evaluate(NO_SIDEWAYS_SCROLL)
    assert await page.evaluate(SMALL_TARGETS) == []
    await page.context.close()


async def test_it_shows_the_chore_pages_whole_at_390_and_1280_px(
    browser: Any, live_server: str, cast: Cast
) -> None:
    """What each screenshot is for, checked before it is saved (look_at)."""
    setup = await _house_with_chores_today()
    house, first, second = setup["house"], setup["today"][0], setup["today"][1]
    chores = ["Kitchen", "Bathrooms", "Porch and steps"]
    for width, height in ((390, 844), (1280, 800)):
        page = await new_page(browser, live_server, width=width, height=height, script=True)
        await sign_in(page, setup["manager"].email, setup["manager"].password)
        await page.goto(f"/houses/{house}/chores/day")
        if width == 390:  # tick one (it stays ticked for the wide screenshot)
            await page.locator(f"#assignment-{first} button.chore-tap").click()
            await page.locator(f"#assignment-{first}.chore-verified").wait_for()
        await page.locator(f"#assignment-{second} summary").click()
        assert await page.locator(f"#assignment-{second} details").get_attribute("open") == ""
        await look_at(
            page,
            f"chores-day-{width}",
            ["Today's chores", "2 of 3 still to check", "verified", "Excuse", *chores],
        )
        await page.goto(f"/houses/{house}/chores/week")
        await look_at(page, f"chores-week-{width}", ["Rotation, week of", "Jordan", *chores])
        await page.goto(f"/houses/{house}/chores")
        await look_at(page, f"chores-list-{width}", ["Add a chore", "Downstairs", *chores])
        await page.context.close()
        page = await new_page(browser, live_server, width=width, height=height, script=True)
        resident = setup["residents"][1]
        await sign_in(page, resident.email, resident.password)
        await page.goto("/chores")
        await look_at(page, f"chores-mine-{width}", ["My chores", "The house chart", "Riley"])
        await page.context.close()
