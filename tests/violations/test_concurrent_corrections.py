"""Two corrections of one violation sent at the same moment: one is saved, the other is told
the violation changed and stores nothing (no lost update, no stale "old value")."""

from __future__ import annotations

import asyncio
from typing import Any

from house.amendments.tables import Amendment
from house.violations.tables import Violation
from tests.client import Client
from tests.violations.scene import Scene, violation_form


async def test_it_saves_one_of_two_simultaneous_corrections(app: Any, scene: Scene) -> None:
    async with Client(app) as first, Client(app) as second:
        await first.force_login(scene.manager)
        await second.force_login(scene.manager)
        created = await first.post(f"/houses/{scene.house}/violations", violation_form(scene))
        url = created.headers["location"]
        violation_id = int(url.rsplit("/", 1)[1])

        answers = await asyncio.gather(
            first.post(
                f"{url}/amend",
                {"field": "severity", "value": "major", "reason": "Third time.", "version": "1"},
            ),
            second.post(
                f"{url}/amend",
                {"field": "severity", "value": "zero_tolerance", "reason": "Bad.", "version": "1"},
            ),
        )

    assert sorted(a.status_code for a in answers) == [303, 422]
    refused = next(a for a in answers if a.status_code == 422)
    assert "changed this violation" in refused.text
    assert "Check it and try again." in refused.text
    saved = next(a for a in answers if a.status_code == 303)
    winner = "major" if saved is answers[0] else "zero_tolerance"

    row = await Violation.select(Violation.severity, Violation.version).where(
        Violation.id == violation_id
    )
    assert row == [{"severity": winner, "version": 2}]
    amendments = await Amendment.select(Amendment.old_value, Amendment.new_value).where(
        Amendment.table_name == "violation", Amendment.record_id == violation_id
    )
    assert amendments == [{"old_value": "minor", "new_value": winner}]


async def test_it_refuses_a_correction_made_on_an_old_page(client: Client, scene: Scene) -> None:
    await client.force_login(scene.manager)
    created = await client.post(f"/houses/{scene.house}/violations", violation_form(scene))
    url = created.headers["location"]
    fixed = await client.post(
        f"{url}/amend",
        {"field": "location", "value": "Kitchen", "reason": "Was not written.", "version": "1"},
    )
    assert fixed.status_code == 303

    # A second tab opened before that correction still says version 1.
    stale = await client.post(
        f"{url}/amend",
        {"field": "severity", "value": "major", "reason": "Third time.", "version": "1"},
    )
    assert stale.status_code == 422
    assert "changed this violation today at" in stale.text
    assert "Third time." in stale.text  # what was typed comes back
    row = await Violation.select(Violation.severity).where(Violation.id == int(url.split("/")[-1]))
    assert row == [{"severity": "minor"}]

    # The page now shows the violation as it is, with its version: sent again, it goes through.
    assert '<input type="hidden" name="version" value="2">' in stale.text
    again = await client.post(
        f"{url}/amend",
        {"field": "severity", "value": "major", "reason": "Third time.", "version": "2"},
    )
    assert again.status_code == 303
    row = await Violation.select(Violation.severity, Violation.version).where(
        Violation.id == int(url.split("/")[-1])
    )
    assert row == [{"severity": "major", "version": 3}]
