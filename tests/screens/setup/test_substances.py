"""An admin keeps the substances screens test for: add, rename, retire; never delete."""

from __future__ import annotations

from house.amendments.tables import Amendment
from house.screens.tables import Substance
from tests.cast import Cast
from tests.client import Client


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
