"""Setting up: an admin keeps the substances (add, rename, retire; never delete), staff keep
their house's panels and a resident's disclosed prescriptions."""

from __future__ import annotations

import datetime as dt

from house.amendments.tables import Amendment
from house.screens.tables import Panel, PanelSubstance, Prescription, Substance
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


async def test_it_lets_an_admin_add_rename_and_retire_substances(
    client: Client, cast: Cast
) -> None:
    await client.force_login(cast.admin)
    for name, message in (
        ("", "Enter the substance"),
        ("k" * 81, "Use at most 80 characters"),
        ("Ketamine", "There is already a substance with that name."),
    ):
        response = await client.post("/admin/substances", {"name": name})
        assert response.status_code == 422, name
        assert message in response.text
    assert (await client.post("/admin/substances", {"name": "Nitazenes"})).status_code == 303
    row = await Substance.select().where(Substance.name == "Nitazenes").first()
    assert row is not None
    assert row["code"] == "nitazenes"
    no_reason = await client.post(f"/admin/substances/{row['id']}", {"name": "Nitazene opioids"})
    assert no_reason.status_code == 422
    renamed = await client.post(
        f"/admin/substances/{row['id']}", {"name": "Nitazene opioids", "reason": "Clearer"}
    )
    assert renamed.status_code == 303
    amendment = (
        await Amendment.select(Amendment.old_value, Amendment.new_value)
        .where(Amendment.table_name == "substance", Amendment.record_id == row["id"])
        .first()
    )
    assert amendment == {"old_value": "Nitazenes", "new_value": "Nitazene opioids"}
    assert (await client.post(f"/admin/substances/{row['id']}/active", {})).status_code == 303
    retired = (
        await Substance.select(Substance.active, Substance.code)
        .where(Substance.id == row["id"])
        .first()
    )
    assert retired == {"active": False, "code": "nitazenes"}
    missing = await client.post("/admin/substances/2000000000/active", {})
    assert missing.status_code == 404


async def test_it_adds_and_ends_a_prescription_as_an_amendment(
    client: Client, scene: Scene
) -> None:
    await client.force_login(scene.manager)
    url = f"/residents/{scene.ned['resident']}/prescriptions"
    methadone = str(scene.codes["methadone"])
    good = {
        "medication": "Methadone 60 mg",
        "substance": methadone,
        "prescriber": "Opioid treatment program",
        "starts_on": scene.today.isoformat(),
        "ends_on": "",
    }
    for changes, message in (
        ({"medication": ""}, "Enter the medication."),
        ({"medication": "m" * 121}, "Use at most 120"),
        ({"substance": "x"}, "Choose the substance it shows up as."),
        ({"substance": "2000000000"}, "Choose the substance it shows up as."),
        ({"starts_on": "2026-02-30"}, "Enter the date it started"),
        ({"ends_on": "2020-01-01"}, "The end date is before the start date."),
    ):
        response = await client.post(url, {**good, **changes})
        assert response.status_code == 422, changes
        assert message in response.text, changes
        assert "Opioid treatment program" in response.text
    assert (await client.post(url, good)).status_code == 303
    row = await Prescription.select().where(Prescription.resident == scene.ned["resident"]).first()
    assert row is not None
    assert row["ends_on"] is None
    end_url = f"/prescriptions/{row['id']}/end"
    bad = await client.post(end_url, {"ends_on": "2020-01-01", "reason": "Stopped"})
    assert bad.status_code == 422
    no_reason = await client.post(end_url, {"ends_on": scene.today.isoformat()})
    assert no_reason.status_code == 422
    last = scene.today + dt.timedelta(days=30)
    assert (
        await client.post(end_url, {"ends_on": last.isoformat(), "reason": "Taper"})
    ).status_code == 303
    ended = (
        await Prescription.select(Prescription.ends_on).where(Prescription.id == row["id"]).first()
    )
    assert ended == {"ends_on": last}
    amendment = (
        await Amendment.select(Amendment.old_value, Amendment.new_value)
        .where(Amendment.table_name == "prescription", Amendment.record_id == row["id"])
        .first()
    )
    assert amendment == {"old_value": "", "new_value": last.isoformat()}
    page = await client.get(url)
    assert "Methadone 60 mg" in page.text


async def test_it_hides_prescriptions_from_another_houses_staff(
    client: Client, scene: Scene, cast: Cast
) -> None:
    await client.force_login(cast.manager_b)
    assert (
        await client.get(f"/residents/{scene.rae['resident']}/prescriptions")
    ).status_code == 404
    row = (
        await Prescription.select(Prescription.id)
        .where(Prescription.resident == scene.rae["resident"])
        .first()
    )
    assert row is not None
    response = await client.post(
        f"/prescriptions/{row['id']}/end", {"ends_on": scene.today.isoformat(), "reason": "x"}
    )
    assert response.status_code == 404
