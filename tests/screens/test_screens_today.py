"""Screens today: the day's drawn residents first, then everyone else, and a negative for a
drawn resident in two taps (open the quick form, save); tests/screens/test_defaults.py has
the same for a resident not drawn."""

from __future__ import annotations

import datetime as dt

from house.lib import clock
from house.screens import services
from house.screens.setup import services as setup
from house.screens.tables import DrawSelection, Screen
from tests.client import Client, form_value
from tests.factories import make_resident_in
from tests.screens.scene import Scene, draw, make_scene, values


async def test_it_lists_the_drawn_first_then_everyone_else(client: Client, scene: Scene) -> None:
    await draw(scene, scene.ned)
    await client.force_login(scene.manager)
    response = await client.get(f"/houses/{scene.house}/screens")
    assert response.status_code == 200
    text = response.text
    assert text.index(f'id="resident-{scene.ned["resident"]}"') < text.index(
        f'id="resident-{scene.rae["resident"]}"'
    )
    assert f"resident={scene.ned['resident']}&amp;reason=random&amp;quick=1" in text
    # not drawn: the same two-tap negative, as a routine screen
    assert f"resident={scene.rae['resident']}&amp;reason=routine&amp;quick=1" in text


async def test_it_logs_a_negative_in_two_taps_and_marks_the_selection_screened(
    client: Client, scene: Scene
) -> None:
    await draw(scene, scene.ned)
    await client.force_login(scene.manager)
    today = await client.get(f"/houses/{scene.house}/screens")
    quick_url = (
        f"/houses/{scene.house}/screens/new?resident={scene.ned['resident']}"
        "&amp;reason=random&amp;quick=1"
    )
    assert quick_url in today.text
    quick = await client.get(quick_url.replace("&amp;", "&"))  # tap 1
    assert quick.status_code == 200
    assert "Save negative" in quick.text
    hidden = {
        name: form_value(quick.text, name)
        for name in (
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
    }
    results = {
        f"result-{scene.codes[c]}": "negative"
        for c in ("amphetamine", "cocaine", "fentanyl", "buprenorphine", "ketamine", "thc")
    }
    saved = await client.post(
        f"/houses/{scene.house}/screens",
        {**hidden, **results},  # tap 2
    )
    assert saved.status_code == 303
    assert saved.headers["location"].startswith(f"/houses/{scene.house}/screens")
    screen = await Screen.select().where(Screen.resident == scene.ned["resident"]).first()
    assert screen is not None
    assert (screen["outcome"], screen["reason"], screen["method"], screen["observed"]) == (
        "negative",
        "random",
        "urine_cup",
        True,
    )
    assert screen["panel"] == scene.cup  # the house's first active panel
    selection = (
        await DrawSelection.select(DrawSelection.status, DrawSelection.screen)
        .where(DrawSelection.resident == scene.ned["resident"])
        .first()
    )
    assert selection == {"status": "screened", "screen": screen["id"]}
    after = await client.get(saved.headers["location"])
    assert "Drawn, screened" in after.text
    assert f'id="quick-{scene.ned["resident"]}"' not in after.text


async def test_it_leaves_an_excused_selection_alone(scene: Scene) -> None:
    await draw(scene, scene.rae)
    await DrawSelection.update({DrawSelection.status: "excused"}).where(
        DrawSelection.resident == scene.rae["resident"]
    )
    await services.record_screen(
        actor_id=scene.manager.id, house_id=scene.house, values=values(scene), now=clock.now()
    )
    row = (
        await DrawSelection.select(DrawSelection.status, DrawSelection.screen)
        .where(DrawSelection.resident == scene.rae["resident"])
        .first()
    )
    assert row == {"status": "excused", "screen": None}


async def test_it_says_when_the_house_has_no_panel(client: Client, scene: Scene) -> None:
    for panel in (scene.cup, scene.breath):
        await setup.set_panel_active(
            actor_id=scene.manager.id,
            house_id=scene.house,
            panel_id=panel,
            active=False,
            now=clock.now(),
        )
    await client.force_login(scene.manager)
    page = await client.get(f"/houses/{scene.house}/screens")
    assert 'id="no-panel"' in page.text
    assert f"/houses/{scene.house}/panels" in page.text
    form = await client.get(f"/houses/{scene.house}/screens/new")
    assert 'id="no-panel"' in form.text


async def test_it_shows_only_todays_screens_in_the_house_timezone(
    client: Client,
) -> None:
    scene = await make_scene(prescription=False)
    yesterday = clock.now() - dt.timedelta(days=1)
    await services.record_screen(
        actor_id=scene.manager.id,
        house_id=scene.house,
        values=values(
            scene,
            collected_at=yesterday,
            collected_on=scene.today - dt.timedelta(days=1),
            specimen="refused",
            method=None,
            panel=None,
        ),
        now=clock.now(),
    )
    await client.force_login(scene.manager)
    page = await client.get(f"/houses/{scene.house}/screens")
    assert "Refused" not in page.text
    history = await client.get(f"/residents/{scene.rae['resident']}/screens")
    assert "Refused" in history.text
    other = await make_resident_in(scene.house, scene.manager.id, preferred_name="Zed")
    page = await client.get(f"/houses/{scene.house}/screens")
    assert f'id="resident-{other["resident"]}"' in page.text
