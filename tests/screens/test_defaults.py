"""First tries that need no choosing: a screen's "Why" is random for a resident drawn today
(in the house's day) and routine otherwise, a prescription starts today (house time), and
every resident on Screens today has the two-tap negative (a resident not drawn: routine)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest

from house.houses.tables import House
from house.lib import clock
from house.screens import services
from house.screens.tables import DrawSelection, Screen
from tests.client import Client, form_value
from tests.factories import make_resident_in
from tests.screens.scene import CUP, Scene, draw, make_scene, screen_form, values

HIDDEN = (
    "form_token",
    "next",
    "resident",
    "collected_on",
    "collected_time",
    "method",
    "reason",
    "observed",
    "specimen",
    "panel",
)


@pytest.fixture
def late_evening() -> Iterator[dt.datetime]:
    """03:30 UTC: the evening before in the scene's house (America/Chicago), so the UTC
    date is the day after the house's."""
    at = dt.datetime.now(dt.UTC).replace(hour=3, minute=30, second=0, microsecond=0)
    clock.freeze(at)
    yield at
    clock.freeze(None)


def checked_reason(html: str) -> str | None:
    match = re.search(r'<input type="radio" name="reason" value="([^"]*)" checked>', html)
    return match.group(1) if match else None


async def test_it_defaults_why_to_random_when_drawn_in_the_house_day_else_routine(
    client: Client, late_evening: dt.datetime
) -> None:
    scene = await make_scene()
    assert scene.today == late_evening.date() - dt.timedelta(days=1)
    await draw(scene, scene.ned)  # the house's day
    await client.force_login(scene.manager)
    new = f"/houses/{scene.house}/screens/new"
    drawn = await client.get(f"{new}?resident={scene.ned['resident']}")
    assert checked_reason(drawn.text) == "random"
    not_drawn = await client.get(f"{new}?resident={scene.rae['resident']}")
    assert checked_reason(not_drawn.text) == "routine"
    nobody = await client.get(new)  # nobody chosen yet: saving decides
    assert checked_reason(nobody.text) == ""
    assert "Random if drawn that day, otherwise routine" in nobody.text
    chosen = await client.get(f"{new}?resident={scene.ned['resident']}&reason=suspicion")
    assert checked_reason(chosen.text) == "suspicion"  # a reason in the link is kept


async def test_it_does_not_take_a_draw_of_the_utc_date_for_today(
    client: Client, late_evening: dt.datetime
) -> None:
    scene = await make_scene()
    utc_day = late_evening.date()
    drawn_tomorrow = Scene(**{**scene.__dict__, "today": utc_day})
    await draw(drawn_tomorrow, scene.ned)  # the house's tomorrow, the UTC date now
    await client.force_login(scene.manager)
    page = await client.get(f"/houses/{scene.house}/screens/new?resident={scene.ned['resident']}")
    assert checked_reason(page.text) == "routine"


async def test_it_saves_an_empty_why_as_random_if_drawn_else_routine(
    client: Client, scene: Scene
) -> None:
    await draw(scene, scene.ned)
    await client.force_login(scene.manager)
    for person, expected in ((scene.ned, "random"), (scene.rae, "routine")):
        saved = await client.post(
            f"/houses/{scene.house}/screens",
            screen_form(scene, resident=str(person["resident"]), reason=""),
        )
        assert saved.status_code == 303, saved.text
        reasons = await Screen.select(Screen.reason).where(Screen.resident == person["resident"])
        assert reasons == [{"reason": expected}]


async def test_it_still_refuses_a_why_outside_the_list(client: Client, scene: Scene) -> None:
    await client.force_login(scene.manager)
    for reason in ("sometimes", "<script>alert(1)</script>", "r" * 10_001):
        sent = await client.post(
            f"/houses/{scene.house}/screens", screen_form(scene, reason=reason)
        )
        assert sent.status_code == 422
        assert 'id="f-reason-error"' in sent.text
        assert "<script>alert(1)" not in sent.text
    assert await Screen.count().where(Screen.house == scene.house) == 0


async def test_it_starts_a_prescription_today_in_the_house_timezone(
    client: Client, late_evening: dt.datetime
) -> None:
    scene = await make_scene(prescription=False)
    await client.force_login(scene.manager)
    page = await client.get(f"/residents/{scene.rae['resident']}/prescriptions")
    assert page.status_code == 200
    form = page.text.split('id="prescription-form"')[1]
    starts_on = form_value(form, "starts_on")
    assert starts_on == scene.today.isoformat()
    assert starts_on != late_evening.date().isoformat()  # not the UTC date
    added = await client.post(
        f"/residents/{scene.rae['resident']}/prescriptions",
        {
            "medication": "Suboxone 8 mg",
            "substance": str(scene.codes["buprenorphine"]),
            "prescriber": "",
            "starts_on": starts_on,
            "ends_on": "",
            "form_token": form_value(form, "form_token"),
        },
    )
    assert added.status_code == 303  # the first try goes through as it came


async def test_it_shows_a_prescription_started_today_as_current_ahead_of_utc(
    client: Client,
) -> None:
    # 20:00 UTC is 05:00 the next day in Tokyo: the house's today is the UTC date's next.
    at = dt.datetime.now(dt.UTC).replace(hour=20, minute=0, second=0, microsecond=0)
    clock.freeze(at)
    try:
        scene = await make_scene(prescription=False)
        await House.update({House.timezone: "Asia/Tokyo"}).where(House.id == scene.house)
        await client.force_login(scene.manager)
        url = f"/residents/{scene.rae['resident']}/prescriptions"
        page = await client.get(url)
        form = page.text.split('id="prescription-form"')[1]
        starts_on = form_value(form, "starts_on")
        assert starts_on == (at.date() + dt.timedelta(days=1)).isoformat()
        added = await client.post(
            url,
            {
                "medication": "Methadone 60 mg",
                "substance": str(scene.codes["fentanyl"]),
                "starts_on": starts_on,
                "ends_on": "",
                "form_token": form_value(form, "form_token"),
            },
        )
        assert added.status_code == 303
        listed = await client.get(url)
        assert "Methadone 60 mg" in listed.text
        assert '<span class="tag tag-ok">current</span>' in listed.text
    finally:
        clock.freeze(None)


async def _quick_form(client: Client, scene: Scene, person: dict[str, int]) -> dict[str, Any]:
    """Tap 1 on Screens today: the quick form's hidden fields."""
    today = await client.get(f"/houses/{scene.house}/screens")
    link = (
        f"/houses/{scene.house}/screens/new?resident={person['resident']}"
        "&amp;reason=routine&amp;quick=1"
    )
    assert link in today.text
    quick = await client.get(link.replace("&amp;", "&"))
    assert quick.status_code == 200
    assert "Save negative" in quick.text
    assert "Routine" in quick.text
    return {
        **{name: form_value(quick.text, name) for name in HIDDEN},
        **{f"result-{scene.codes[c]}": "negative" for c in CUP},
    }


async def test_it_logs_a_negative_in_two_taps_for_a_resident_not_drawn(
    client: Client, scene: Scene
) -> None:
    await draw(scene, scene.ned)
    await client.force_login(scene.manager)
    form = await _quick_form(client, scene, scene.rae)
    saved = await client.post(f"/houses/{scene.house}/screens", form)  # tap 2
    assert saved.status_code == 303
    assert saved.headers["location"] == (
        f"/houses/{scene.house}/screens#resident-{scene.rae['resident']}"
    )
    rows = await Screen.select(
        Screen.outcome, Screen.reason, Screen.method, Screen.observed, Screen.collected_by
    ).where(Screen.resident == scene.rae["resident"])
    assert rows == [
        {
            "outcome": "negative",
            "reason": "routine",
            "method": "urine_cup",
            "observed": True,
            "collected_by": scene.manager.id,
        }
    ]
    assert await DrawSelection.select(DrawSelection.status).where(
        DrawSelection.house == scene.house
    ) == [{"status": "selected"}]  # Ned's draw is untouched
    after = await client.get(saved.headers["location"])
    assert "Screen saved." in after.text
    assert f'id="quick-{scene.rae["resident"]}"' not in after.text  # screened today
    assert f'id="quick-{scene.ned["resident"]}"' in after.text


async def test_it_stores_one_screen_for_a_double_tap(client: Client, scene: Scene) -> None:
    await client.force_login(scene.manager)
    form = await _quick_form(client, scene, scene.rae)
    first = await client.post(f"/houses/{scene.house}/screens", form)
    second = await client.post(f"/houses/{scene.house}/screens", form)
    assert (first.status_code, second.status_code) == (303, 303)
    assert await Screen.count().where(Screen.resident == scene.rae["resident"]) == 1


async def test_it_refuses_another_house_resident_and_a_missing_csrf(
    client: Client, scene: Scene
) -> None:
    other = await make_scene()
    await client.force_login(scene.manager)
    form = await _quick_form(client, scene, scene.rae)
    # Tap 1 with another house's resident shows no one's name, only the full form.
    peek = await client.get(
        f"/houses/{scene.house}/screens/new?resident={other.rae['resident']}&reason=routine&quick=1"
    )
    assert peek.status_code == 200
    assert "Save negative" not in peek.text
    assert "Negative screen: Rae" not in peek.text
    foreign = await client.post(
        f"/houses/{scene.house}/screens", {**form, "resident": str(other.rae["resident"])}
    )
    assert foreign.status_code == 422
    assert "Choose someone who lives in this house." in foreign.text
    into_other = await client.post(f"/houses/{other.house}/screens", form)
    assert into_other.status_code == 404
    no_csrf = await client.post(f"/houses/{scene.house}/screens", form, csrf=False)
    assert no_csrf.status_code == 403
    assert await Screen.count().where(Screen.house.is_in([scene.house, other.house])) == 0


async def _screens_today(client: Client, queries: Any, count: int) -> int:
    """A house of `count` residents, a third drawn and a third screened today; its Screens
    today page gives each one not yet screened the quick negative. Returns its queries."""
    scene = await make_scene()
    people = [scene.rae, scene.ned]
    for _ in range(count - 2):
        people.append(
            await make_resident_in(
                scene.house, scene.manager.id, admitted_on=scene.today - dt.timedelta(days=3)
            )
        )
    await draw(scene, *people[: count // 3])
    screened = people[::3]
    for person in screened:
        await services.record_screen(
            actor_id=scene.manager.id,
            house_id=scene.house,
            values=values(scene, resident=person["resident"], reason=""),
            now=clock.now(),
        )
    await client.force_login(scene.manager)
    with queries() as q:
        response = await client.get(f"/houses/{scene.house}/screens")
    assert response.status_code == 200
    text = response.text
    for person in people:
        quick = f'id="quick-{person["resident"]}"' in text
        assert quick is (person not in screened), person
    assert text.count('class="button primary quick-negative"') == count - len(screened)
    return int(q.count)


async def test_it_gives_everyone_the_quick_negative_in_the_same_number_of_queries(
    client: Client, queries: Any
) -> None:
    few = await _screens_today(client, queries, 3)
    many = await _screens_today(client, queries, 30)
    assert few == many, (few, many)
