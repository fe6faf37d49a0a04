"""The manager's bed board in a real browser at phone size: admit from a free bed in <= 3 taps."""

from __future__ import annotations

from typing import Any

import pytest

from house.beds.placements import services as placements
from house.beds.tables import Bed
from house.houses.tables import House
from house.lib import clock
from house.residents.tables import Resident, Stay
from tests.browser.conftest import new_page, sign_in
from tests.browser.test_phone import NO_SIDEWAYS_SCROLL, SMALL_TARGETS, look_at
from tests.cast import Cast
from tests.factories import make_bed, make_house, make_room, make_stay, make_user, unique

pytestmark = pytest.mark.browser


async def _house_with_beds() -> dict[str, Any]:
    """A small, realistic house: two rooms, five beds in every state, a waitlist."""
    house = await make_house(unique("Birch House"))
    manager = await make_user("manager", [house], name="Morgan Birch")
    rooms = [await make_room(house, "Room 1"), await make_room(house, "Room 2")]
    beds = [
        await make_bed(rooms[0], "Bed A"),
        await make_bed(rooms[0], "Bed B"),
        await make_bed(rooms[1], "Bed A"),
        await make_bed(rooms[1], "Bed B"),
        await make_bed(rooms[1], "Bed C"),
    ]
    today = clock.now().date()
    for bed, name in ((beds[0], "Jordan"), (beds[2], "Riley")):
        stay = await make_stay(house, manager.id, name)
        await placements.admit(
            actor_id=manager.id,
            stay_id=stay,
            bed_id=bed,
            on=today,
            today=today,
            now=clock.now(),
        )
    await Bed.update({Bed.state: Bed.State.reserved}).where(Bed.id == beds[3])
    await Bed.update(
        {Bed.state: Bed.State.out_of_service, Bed.out_of_service_reason: "Broken frame"}
    ).where(Bed.id == beds[4])
    applicant = unique("Alex")
    await make_stay(house, manager.id, applicant)
    await make_stay(house, manager.id, "Casey")
    # Jordan (in Room 1, Bed A) can sign in.
    jordan = await make_user("resident", [house], name="Jordan")
    await Resident.update({Resident.user: jordan.id}).where(
        Resident.preferred_name == "Jordan",
        Resident.id.is_in(Stay.select(Stay.resident).where(Stay.house == house)),
    )
    return {
        "house": house,
        "manager": manager,
        "free_bed": beds[1],
        "jordan_bed": beds[0],
        "applicant": applicant,
        "resident": jordan,
    }


async def test_it_admits_a_waitlisted_applicant_from_the_board_in_two_taps(
    phone: Any, cast: Cast
) -> None:
    setup = await _house_with_beds()
    await sign_in(phone, setup["manager"].email, setup["manager"].password)
    await phone.goto(f"/houses/{setup['house']}/board")
    cell = phone.locator(f"#bed-{setup['free_bed']}")
    assert "Free" in await cell.inner_text()
    assert await phone.evaluate(NO_SIDEWAYS_SCROLL)
    assert await phone.evaluate(SMALL_TARGETS) == []

    await cell.locator("a").tap()  # tap 1: the free bed opens its choices in place
    admit = phone.get_by_role("button", name=f"Admit {setup['applicant']}")
    await admit.wait_for()
    assert phone.url.endswith("/board")  # no page load: htmx swapped the cell
    await admit.tap()  # tap 2: admit
    occupied = phone.locator(f"#bed-{setup['free_bed']}.bed-occupied")
    await occupied.wait_for()
    assert setup["applicant"] in await occupied.inner_text()
    waitlist = await phone.locator("#waitlist").inner_text()
    assert setup["applicant"] not in waitlist
    assert await phone.evaluate(NO_SIDEWAYS_SCROLL)


async def test_it_admits_in_three_taps_without_script(
    browser: Any, live_server: str, cast: Cast
) -> None:
    setup = await _house_with_beds()
    page = await new_page(browser, live_server, width=360, height=740, script=False)
    await sign_in(page, setup["manager"].email, setup["manager"].password)
    await page.goto(f"/houses/{setup['house']}/board")
    await page.locator(f"#bed-{setup['free_bed']} a").click()  # tap 1: the bed's page
    assert page.url.endswith(f"/beds/{setup['free_bed']}")
    assert await page.evaluate(SMALL_TARGETS) == []
    await page.get_by_label(setup["applicant"]).check()  # tap 2: who
    await page.get_by_role("button", name="Admit", exact=True).click()  # tap 3: admit (today)
    assert page.url.endswith(f"/houses/{setup['house']}/board")
    assert setup["applicant"] in await page.locator(f"#bed-{setup['free_bed']}").inner_text()
    await page.context.close()


async def test_it_shows_the_board_and_its_pages_whole_at_390_and_1280_px(
    browser: Any, live_server: str, cast: Cast
) -> None:
    """What each screenshot is for, checked before it is saved (look_at): the page fits, its
    targets are 44 px, and it shows what it is about."""
    setup = await _house_with_beds()
    house, applicant, rule = setup["house"], setup["applicant"], "No alcohol on the property."
    for width, height in ((390, 844), (1280, 800)):
        page = await new_page(browser, live_server, width=width, height=height, script=True)
        await sign_in(page, setup["manager"].email, setup["manager"].password)
        await page.goto(f"/houses/{house}/board")
        every_state = ["Jordan", "Free", "Riley", "Reserved", "Out of service"]
        await look_at(page, f"board-{width}", ["1 of 4 beds free · 2 waiting", *every_state])
        assert applicant in await page.locator("#waitlist").inner_text()
        await page.locator(f"#bed-{setup['free_bed']} a").click()
        await page.get_by_role("button", name=f"Admit {applicant}").wait_for()
        await look_at(page, f"board-choosing-{width}", [f"Admit {applicant}", "Admit Casey"])
        await page.goto(f"/beds/{setup['free_bed']}")
        await look_at(
            page, f"bed-page-{width}", ["Room 1 · Bed B", applicant, "Mark out of service"]
        )
        await page.goto("/residents")
        await look_at(page, f"residents-{width}", ["Living here", "Jordan", "Waiting", applicant])
        await page.goto(f"/houses/{house}/rules/edit")
        await page.fill("#f-text-0", rule)
        await page.fill("#f-consequence-0", "Discharge review")
        await page.get_by_role("button", name="Publish a new version").click()
        await look_at(page, f"rules-house-{width}", ["published", rule, "Discharge review"])
        await page.goto("/residents/new")
        await look_at(page, f"intake-{width}", ["New application", "Emergency contact"])
        await page.context.close()

        page = await new_page(browser, live_server, width=width, height=height, script=True)
        await sign_in(page, cast.admin.email, cast.admin.password)
        await page.goto("/houses")
        await look_at(page, f"houses-{width}", ["Houses", await _house_name(house)])
        await page.goto(f"/houses/{house}/edit")
        await look_at(page, f"house-edit-{width}", ["Rooms and beds", "Room 1", "Room 2"])
        await page.context.close()

        page = await new_page(browser, live_server, width=width, height=height, script=True)
        resident = setup["resident"]
        await sign_in(page, resident.email, resident.password)
        await look_at(page, f"home-resident-{width}", ["Read and sign the house rules"])
        await page.goto("/rules")
        await look_at(page, f"rules-sign-{width}", [rule, "Sign the rules"])
        response = await page.goto(f"/houses/{house}/edit")  # the admin's, not theirs
        assert response.status == 403
        await look_at(page, f"refused-{width}", ["You cannot open this page"])
        await page.context.close()


async def test_it_takes_an_admin_from_home_to_a_houses_settings_by_tapping(
    phone: Any, cast: Cast
) -> None:
    setup = await _house_with_beds()
    house = setup["house"]
    await sign_in(phone, cast.admin.email, cast.admin.password)
    await phone.locator(f"#house-{house} a").tap()  # home: the house
    await phone.wait_for_url(f"**/houses/{house}/board")
    await look_at(phone, "board-admin-390", ["House settings"])
    await phone.locator(f"#house-{house}-edit").tap()  # its menu: House settings
    await phone.wait_for_url(f"**/houses/{house}/edit")
    assert await phone.locator("#rooms").is_visible()  # rooms and beds live here
    assert await phone.evaluate(NO_SIDEWAYS_SCROLL)
    await phone.goto("/houses")  # and from the houses overview, beside each house
    await phone.locator(f"#house-{house}-edit").tap()
    await phone.wait_for_url(f"**/houses/{house}/edit")
    # A manager may not change the house: no such link anywhere on their way.
    await phone.context.clear_cookies()
    await sign_in(phone, setup["manager"].email, setup["manager"].password)
    assert await phone.locator(f"#house-{house}-menu").is_visible()
    assert await phone.locator(f"a[href='/houses/{house}/edit']").count() == 0


async def test_it_marks_a_bed_out_of_service_from_the_board_and_back_in_place(
    phone: Any, cast: Cast
) -> None:
    setup = await _house_with_beds()
    bed = setup["free_bed"]
    await sign_in(phone, setup["manager"].email, setup["manager"].password)
    await phone.locator(f"#house-{setup['house']}-beds").tap()  # home: Beds
    await phone.wait_for_url(f"**/houses/{setup['house']}/board")
    cell = phone.locator(f"#bed-{bed}")
    await cell.locator("a").tap()  # the free bed opens its choices in place
    reason = phone.locator(f"#f-out_of_service-{bed}")
    await reason.wait_for()
    assert await phone.evaluate(NO_SIDEWAYS_SCROLL)
    assert await phone.evaluate(SMALL_TARGETS) == []
    await look_at(phone, "bed-state-choosing-390", ["Mark out of service"])
    await reason.fill("Broken slat")
    await cell.get_by_role("button", name="Mark out of service").tap()
    out = phone.locator(f"#bed-{bed}.bed-out_of_service")
    await out.wait_for()
    assert "Out of service" in await out.inner_text()
    assert "Broken slat" in await out.inner_text()
    assert phone.url.endswith("/board")  # no page load: htmx swapped the board
    await look_at(phone, "bed-state-out-390", ["Broken slat"])

    await out.locator("a").tap()
    back = cell.get_by_role("button", name="Put back in service")
    await back.wait_for()
    assert "Morgan Birch" in await cell.inner_text()  # who marked it, and since when
    await look_at(phone, "bed-state-reopened-390", ["Put back in service"])
    await back.tap()
    free = phone.locator(f"#bed-{bed}.bed-available")
    await free.wait_for()
    assert "Free" in await free.inner_text()
    stored = await Bed.select(Bed.state, Bed.out_of_service_reason).where(Bed.id == bed).first()
    assert stored == {"state": "available", "out_of_service_reason": ""}

    # An occupied bed leads to its resident, the resident's bed to the bed's history, and
    # each name there back to the person.
    await phone.locator(f"#bed-{setup['jordan_bed']} a").tap()
    await phone.wait_for_url("**/residents/*")
    await phone.locator(f"a[href='/beds/{setup['jordan_bed']}']").tap()
    await phone.wait_for_url(f"**/beds/{setup['jordan_bed']}")
    assert await phone.evaluate(SMALL_TARGETS) == []
    await look_at(phone, "bed-occupied-390", ["Who slept here"])
    history = phone.locator("section", has_text="Who slept here")
    await history.get_by_role("link", name="Jordan", exact=True).tap()
    await phone.wait_for_url("**/residents/*")


async def test_it_marks_a_bed_out_of_service_and_back_without_script(
    browser: Any, live_server: str, cast: Cast
) -> None:
    setup = await _house_with_beds()
    bed = setup["free_bed"]
    page = await new_page(browser, live_server, width=360, height=740, script=False)
    await sign_in(page, setup["manager"].email, setup["manager"].password)
    await page.goto(f"/houses/{setup['house']}/board")
    async with page.expect_navigation():
        await page.locator(f"#bed-{bed} a").click()  # the bed's page
    assert page.url.endswith(f"/beds/{bed}")
    assert await page.evaluate(NO_SIDEWAYS_SCROLL)
    assert await page.evaluate(SMALL_TARGETS) == []
    async with page.expect_navigation():  # no reason: the page again, with the message
        await page.get_by_role("button", name="Mark out of service").click()
    assert "Say why the bed is out of service." in await page.content()
    await page.fill(f"#f-out_of_service-{bed}", "Broken slat")
    async with page.expect_navigation():
        await page.get_by_role("button", name="Mark out of service").click()
    assert page.url.endswith(f"/houses/{setup['house']}/board")
    assert "Broken slat" in await page.locator(f"#bed-{bed}").inner_text()
    async with page.expect_navigation():
        await page.locator(f"#bed-{bed} a").click()
    async with page.expect_navigation():
        await page.get_by_role("button", name="Put back in service").click()
    assert "Free" in await page.locator(f"#bed-{bed}").inner_text()
    await page.context.close()


async def _house_name(house: int) -> str:
    row = await House.select(House.name).where(House.id == house).first()
    assert row is not None
    return str(row["name"])
