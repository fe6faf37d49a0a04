"""Staff keep a resident's disclosed prescriptions: added (once, on a double tap), ended as
an amendment, hidden from another house's staff."""

from __future__ import annotations

import datetime as dt

from house.amendments.tables import Amendment
from house.screens.tables import Prescription
from tests.cast import Cast
from tests.client import Client
from tests.factories import unique
from tests.screens.scene import Scene


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
        "form_token": unique("prescription-form"),
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
    assert (await client.post(url, good, csrf=False)).status_code == 403
    stale = await client.post(url, {k: v for k, v in good.items() if k != "form_token"})
    assert stale.status_code == 422
    assert "This form is out of date" in stale.text
    assert 'value="Methadone 60 mg"' in stale.text
    assert await Prescription.count().where(Prescription.resident == scene.ned["resident"]) == 0
    # A double tap adds it once; the second goes where the first led.
    assert (await client.post(url, good)).status_code == 303
    assert (await client.post(url, good)).status_code == 303
    assert await Prescription.count().where(Prescription.resident == scene.ned["resident"]) == 1
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
