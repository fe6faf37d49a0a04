"""A manager takes a house meeting's roll call of 8 residents on a phone and saves once."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from house.lib import clock
from house.meetings.tables import Attendance, HouseMeeting
from tests.browser.conftest import ARTIFACTS, new_page, sign_in
from tests.browser.test_phone import NO_SIDEWAYS_SCROLL, SMALL_TARGETS
from tests.cast import Cast
from tests.factories import make_house, make_house_meeting, make_resident_in, make_user, unique

pytestmark = pytest.mark.browser

NAMES = ["Jordan", "Riley", "Dev", "Marco", "Alexandria-Rose", "Sam", "Tess", "Kai"]
MARKS = {"Marco": "late", "Sam": "excused", "Tess": "absent"}


async def _house_of_eight() -> dict[str, Any]:
    house = await make_house(unique("Maple House"))
    manager = await make_user("manager", [house], name="Morgan Maple")
    resident_user = await make_user("resident", [house], name="Jordan Resident")
    month_ago = clock.now().date() - dt.timedelta(days=30)
    residents = {}
    for name in NAMES:
        made = await make_resident_in(
            house,
            manager.id,
            preferred_name=name,
            admitted_on=month_ago,
            user_id=resident_user.id if name == "Jordan" else None,
        )
        residents[name] = made["resident"]
    return {"house": house, "manager": manager, "residents": residents, "resident": resident_user}


async def test_it_takes_a_roll_call_of_eight_with_one_save_at_390x844(
    phone: Any, cast: Cast
) -> None:
    setup = await _house_of_eight()
    # A meeting that has just started (the roll call opens on its day, not days ahead).
    meeting = await make_house_meeting(
        setup["house"], starts_at=clock.now() - dt.timedelta(minutes=5)
    )
    await sign_in(phone, setup["manager"].email, setup["manager"].password)
    await phone.goto(f"/houses/{setup['house']}/board")
    await phone.get_by_role("link", name="House meetings").tap()
    await phone.wait_for_url(f"**/houses/{setup['house']}/meetings")
    assert await phone.evaluate(NO_SIDEWAYS_SCROLL)
    assert await phone.evaluate(SMALL_TARGETS) == []
    await phone.locator(f"#meeting-{meeting} .button", has_text="Take roll call").tap()
    await phone.wait_for_url("**/roll")
    assert await phone.locator(".roll-row").count() == 8
    assert await phone.evaluate(NO_SIDEWAYS_SCROLL)
    assert await phone.evaluate(SMALL_TARGETS) == []
    posts: list[str] = []
    phone.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    for name, resident in setup["residents"].items():
        label = phone.locator(f"#resident-{resident} label.segment-{MARKS.get(name, 'present')}")
        box = await label.bounding_box()
        assert box["height"] >= 44, name
        assert box["width"] >= 44, name
        await label.tap()
    await phone.fill("#f-minutes", "Chore chart agreed.\nCurfew reminder for the weekend.")
    shots = ARTIFACTS / "screens"
    shots.mkdir(parents=True, exist_ok=True)
    await phone.screenshot(path=str(shots / "roll-call-filled-390.png"), full_page=True)
    await phone.get_by_role("button", name="Save roll call").tap()
    await phone.wait_for_url(re.compile(r"/meetings/\d+$"))
    assert [p.rsplit("/", 1)[1] for p in posts] == ["roll"]  # one POST saved all eight
    assert "Roll call saved." in await phone.locator(".flash").inner_text()
    assert "5" in await phone.locator("#counts li").first.inner_text()
    await phone.screenshot(path=str(shots / "meeting-detail-390.png"), full_page=True)
    meeting = await HouseMeeting.select().where(HouseMeeting.house == setup["house"]).first()
    assert meeting is not None
    rows = await Attendance.select(Attendance.resident, Attendance.status).where(
        Attendance.meeting == meeting["id"]
    )
    assert {r["resident"]: r["status"] for r in rows} == {
        resident: MARKS.get(name, "present") for name, resident in setup["residents"].items()
    }
    # A meeting three days ahead says when its roll call opens, and offers no button yet.
    later = await make_house_meeting(
        setup["house"], starts_at=clock.now() + dt.timedelta(days=3), title="Curfew talk"
    )
    await phone.goto(f"/houses/{setup['house']}/meetings")
    row = phone.locator(f"#meeting-{later}")
    assert (await row.locator(".hint").inner_text()).startswith("Roll call opens on the day (")
    assert await row.locator(".button").count() == 0
    await phone.screenshot(path=str(shots / "meetings-house-390.png"), full_page=True)
    await phone.goto(f"/meetings/{meeting['id']}/roll")
    await phone.screenshot(path=str(shots / "roll-call-correct-390.png"), full_page=True)
    assert await phone.evaluate(NO_SIDEWAYS_SCROLL)


async def test_it_takes_a_roll_call_without_script_at_360(
    browser: Any, live_server: str, cast: Cast
) -> None:
    setup = await _house_of_eight()
    meeting = await make_house_meeting(
        setup["house"], starts_at=clock.now() - dt.timedelta(minutes=5)
    )
    page = await new_page(browser, live_server, width=360, height=740, script=False)
    await sign_in(page, setup["manager"].email, setup["manager"].password)
    await page.goto(f"/houses/{setup['house']}/meetings")
    await page.locator(f"#meeting-{meeting} .button", has_text="Take roll call").click()
    assert page.url.endswith("/roll")
    await page.locator("#all-present").click()  # the explicit "everyone present" default
    assert await page.locator("input[value=present]:checked").count() == 8
    tess = setup["residents"]["Tess"]
    await page.locator(f"#resident-{tess} label.segment-absent").click()
    assert await page.evaluate(NO_SIDEWAYS_SCROLL)
    await page.get_by_role("button", name="Save roll call").click()
    assert "Roll call saved." in await page.locator(".flash").inner_text()
    assert "absent" in await page.locator(f"#attendance-{tess}").inner_text()
    await page.context.close()
    resident = await new_page(browser, live_server, width=360, height=740, script=False)
    await sign_in(resident, setup["resident"].email, setup["resident"].password)
    await resident.locator("#my-house-meetings-link").click()
    assert "present" in await resident.locator(".plain").inner_text()
    assert await resident.evaluate(NO_SIDEWAYS_SCROLL)
    await resident.screenshot(path=str(ARTIFACTS / "screens" / "meetings-mine-360.png"))
    await resident.context.close()
