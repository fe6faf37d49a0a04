"""A resident logs an outside meeting with a photo on a phone; staff verify it from the queue."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from house.meetings.tables import OutsideMeeting
from house.settings import get_settings
from tests.browser.conftest import ARTIFACTS, new_page, sign_in
from tests.browser.test_phone import NO_SIDEWAYS_SCROLL, SMALL_TARGETS
from tests.cast import Cast
from tests.factories import make_house, make_outside_meeting, unique
from tests.meetings.outside.kit import image_bytes, resident_in_house

pytestmark = pytest.mark.browser
SHOTS = ARTIFACTS / "screens"


async def test_it_lets_a_resident_log_a_meeting_with_a_photo_at_390x844(
    phone: Any, cast: Cast, tmp_path: Path
) -> None:
    house = await make_house(unique("Willow House"))
    person, ids, _, _ = await resident_in_house(house, "Robin")
    slip = tmp_path / "IMG_2231.jpg"
    slip.write_bytes(image_bytes(size=(1200, 900), gps=True))
    SHOTS.mkdir(parents=True, exist_ok=True)

    await sign_in(phone, person.email, person.password)
    await phone.get_by_role("link", name="Meetings", exact=True).tap()
    await phone.wait_for_url("**/meetings/outside")
    await phone.get_by_role("link", name="Log a meeting").tap()
    await phone.wait_for_url("**/meetings/outside/new")
    assert await phone.evaluate(NO_SIDEWAYS_SCROLL)
    assert await phone.evaluate(SMALL_TARGETS) == []
    await phone.screenshot(path=str(SHOTS / "outside-new-390.png"), full_page=True)

    # First without any proof: the message by the proof fields, what was typed kept.
    # Two days ago: 07:00 today is still to come early in the house's morning.
    two_days_ago = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=2)
    await phone.fill("#f-held_on", two_days_ago.isoformat())
    await phone.fill("#f-held_time", "07:00")
    await phone.fill("#f-name", "Early Bird Big Book")
    await phone.select_option("#f-fellowship", "aa")
    await phone.fill("#f-location", "Grace Church basement")
    await phone.get_by_role("button", name="Log the meeting").tap()
    await phone.locator("#f-proof-error").wait_for()
    assert await phone.input_value("#f-name") == "Early Bird Big Book"
    await phone.screenshot(path=str(SHOTS / "outside-new-error-390.png"), full_page=True)

    await phone.set_input_files("#f-photo", str(slip))
    await phone.get_by_role("button", name="Log the meeting").tap()
    await phone.locator(".flash", has_text="Meeting logged").wait_for()
    row = await OutsideMeeting.select().where(OutsideMeeting.resident == ids["resident"]).first()
    assert row is not None
    assert (row["name"], row["status"]) == ("Early Bird Big Book", "pending")
    assert (get_settings().upload_dir / row["photo"]).exists()
    item = phone.locator(f"#outside-{row['id']}")
    assert "Waiting for staff" in await item.inner_text()
    assert await phone.evaluate(NO_SIDEWAYS_SCROLL)
    assert await phone.evaluate(SMALL_TARGETS) == []
    await phone.screenshot(path=str(SHOTS / "outside-mine-390.png"), full_page=True)

    await phone.get_by_role("link", name="See the week").tap()
    await phone.wait_for_url("**/meetings/week")
    assert "0 of 3" in await phone.locator("main").inner_text()
    assert await phone.evaluate(NO_SIDEWAYS_SCROLL)
    await phone.screenshot(path=str(SHOTS / "outside-week-390.png"), full_page=True)


async def test_it_lets_a_manager_verify_and_reject_from_the_queue(
    phone: Any, browser: Any, live_server: str, cast: Cast
) -> None:
    house = await make_house(unique("Aspen House"))
    person, ids, _, manager = await resident_in_house(house, "Quinn")
    other, other_ids, _, _ = await resident_in_house(house, "Harper")
    from house.meetings.outside import uploads

    photo = uploads.store(uploads.clean_photo(image_bytes(size=(600, 400))))
    first = await make_outside_meeting(ids, house, person.id, photo=photo, name="Noon Serenity")
    second = await make_outside_meeting(other_ids, house, other.id, name="Clean and Serene")
    await make_outside_meeting(other_ids, house, other.id, status="verified")

    await sign_in(phone, manager.email, manager.password)
    await phone.goto(f"/houses/{house}/board")
    await phone.get_by_role("link", name="Meeting slips").tap()
    await phone.wait_for_url(f"**/houses/{house}/meetings/outside")
    assert await phone.evaluate(NO_SIDEWAYS_SCROLL)
    assert await phone.evaluate(SMALL_TARGETS) == []
    await phone.screenshot(path=str(SHOTS / "outside-queue-390.png"), full_page=True)

    waiting = phone.locator("#slips-waiting")
    assert await waiting.inner_text() == "2 waiting"
    await phone.locator(f"#outside-{first} button", has_text="Verify").tap()
    await phone.locator(f"#outside-{first}.slip-verified").wait_for()
    assert phone.url.endswith("/meetings/outside")  # swapped in place by htmx
    assert await waiting.inner_text() == "1 waiting"  # the count came with the row

    row = phone.locator(f"#outside-{second}")
    await row.locator("summary").tap()
    await row.get_by_role("button", name="Reject").tap()  # no reason: refused in place
    await phone.locator(f"#f-reason-{second}-error").wait_for()
    await phone.fill(f"#f-reason-{second}", "Nobody answered the chair's phone.")
    await phone.locator(f"#outside-{second}").get_by_role("button", name="Reject").tap()
    await phone.locator(f"#outside-{second}.slip-rejected").wait_for()
    assert await waiting.inner_text() == "0 waiting"
    await phone.screenshot(path=str(SHOTS / "outside-queue-done-390.png"), full_page=True)

    await phone.goto(f"/houses/{house}/meetings/week")
    assert await phone.evaluate(NO_SIDEWAYS_SCROLL)
    assert await phone.evaluate(SMALL_TARGETS) == []
    await phone.screenshot(path=str(SHOTS / "outside-house-week-390.png"), full_page=True)

    # Without script the same buttons are plain forms.
    page = await new_page(browser, live_server, width=360, height=740, script=False)
    await sign_in(page, manager.email, manager.password)
    third = await make_outside_meeting(ids, house, person.id, name="Evening Reflection")
    await page.goto(f"/houses/{house}/meetings/outside")
    await page.locator(f"#outside-{third} button", has_text="Verify").click()
    assert page.url.endswith(f"/houses/{house}/meetings/outside")
    assert "Verified." in await page.locator(".flash").first.inner_text()
    await page.screenshot(path=str(SHOTS / "outside-queue-noscript-360.png"), full_page=True)
    await page.context.close()
