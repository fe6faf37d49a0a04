"""Staff keep their house's panels: add, edit, retire; another house's panels are hidden."""

from __future__ import annotations

from house.screens.tables import Panel, PanelSubstance
from tests.cast import Cast
from tests.client import Client
from tests.factories import make_house
from tests.screens.scene import Scene


async def test_it_adds_edits_and_retires_a_panel(client: Client, scene: Scene) -> None:
    await client.force_login(scene.manager)
    codes = scene.codes
    url = f"/houses/{scene.house}/panels"
    for data, message in (
        ([("name", "")], "Enter a name for the panel."),
        ([("name", "p" * 81), ("substances", str(codes["thc"]))], "Use at most 80 characters"),
        ([("name", "Oral")], "Choose at least one substance."),
        ([("name", "Oral"), ("substances", "abc")], "Choose substances from the list."),
        ([("name", "Oral"), ("substances", "2000000000")], "Choose substances from the list."),
        ([("name", "Breath"), ("substances", str(codes["thc"]))], "already has a panel"),
    ):
        response = await client.post(url, data)
        assert response.status_code == 422, data
        assert message in response.text, data
    made = await client.post(
        url,
        [
            ("name", "<b>Oral</b>"),
            ("substances", str(codes["thc"])),
            ("substances", str(codes["cocaine"])),
        ],
    )
    assert made.status_code == 303
    panel = (
        await Panel.select().where(Panel.house == scene.house, Panel.name == "<b>Oral</b>").first()
    )
    assert panel is not None
    listing = await client.get(url)
    assert "&lt;b&gt;Oral&lt;/b&gt;" in listing.text
    edited = await client.post(
        f"{url}/{panel['id']}", [("name", "Oral fluid"), ("substances", str(codes["ketamine"]))]
    )
    assert edited.status_code == 303
    members = await PanelSubstance.select(PanelSubstance.substance).where(
        PanelSubstance.panel == panel["id"]
    )
    assert [m["substance"] for m in members] == [codes["ketamine"]]
    assert (await client.post(f"{url}/{panel['id']}/active", {})).status_code == 303
    row = await Panel.select(Panel.active).where(Panel.id == panel["id"]).first()
    assert row == {"active": False}


async def test_it_hides_another_houses_panels(client: Client, scene: Scene, cast: Cast) -> None:
    elsewhere = await make_house()
    await client.force_login(scene.manager)
    assert (await client.get(f"/houses/{elsewhere}/panels")).status_code == 404
    # A panel id of this house under another house's path, and the reverse: 404.
    assert (await client.get(f"/houses/{elsewhere}/panels/{scene.cup}")).status_code == 404
    await client.force_login(cast.admin)
    assert (await client.get(f"/houses/{elsewhere}/panels/{scene.cup}")).status_code == 404
    response = await client.post(f"/houses/{elsewhere}/panels/{scene.cup}/active", {})
    assert response.status_code == 404
    row = await Panel.select(Panel.active).where(Panel.id == scene.cup).first()
    assert row == {"active": True}
