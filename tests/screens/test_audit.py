"""Every view of results by staff writes exactly one audit row, before the page; the
resident's own views write none; a failed audit write shows no result."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from house.audit.tables import AuditEvent
from house.lib import clock
from house.screens import queries, services
from tests.client import Client
from tests.screens.scene import Scene, values


async def _positive(scene: Scene) -> int:
    return await services.record_screen(
        actor_id=scene.manager.id,
        house_id=scene.house,
        values=values(scene, results={scene.codes["fentanyl"]: "positive"}),
        now=clock.now(),
    )


async def _views(actor: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = await AuditEvent.select(
        AuditEvent.action, AuditEvent.record, AuditEvent.detail, AuditEvent.subject
    ).where(AuditEvent.actor == actor, AuditEvent.action == "screens_viewed")
    return rows


async def test_it_writes_one_audit_row_per_staff_view(client: Client, scene: Scene) -> None:
    screen_id = await _positive(scene)
    await client.force_login(scene.manager)
    pages = [
        (f"/houses/{scene.house}/screens", f"house:{scene.house}:screens_today"),
        (f"/screens/{screen_id}", f"screen:{screen_id}"),
        (
            f"/residents/{scene.rae['resident']}/screens",
            f"resident:{scene.rae['resident']}:screens",
        ),
    ]
    for url, record in pages:
        before = await _views(scene.manager.id)
        response = await client.get(url)
        assert response.status_code == 200
        assert "Positive" in response.text
        after = await _views(scene.manager.id)
        assert len(after) == len(before) + 1, url
        assert after[-1]["record"] == record
        assert after[-1]["detail"] == f"screens:{screen_id}"
        assert "positive" not in after[-1]["detail"].lower()
    assert (await _views(scene.manager.id))[-2]["subject"] == scene.resident.id


async def test_it_audits_the_amend_and_lab_answers_that_show_results(
    client: Client, scene: Scene
) -> None:
    screen_id = await _positive(scene)
    await client.force_login(scene.manager)
    for url, data in (
        # No reason: the correction comes back with the screen's page.
        (f"/screens/{screen_id}/amend", {"field": "note", "value": "x", "version": "1"}),
        (f"/screens/{screen_id}/lab", {"step": "confirmed", "on": "2026-13-01"}),
    ):
        before = len(await _views(scene.manager.id))
        response = await client.post(url, data)
        assert response.status_code == 422
        assert "Fentanyl" in response.text
        assert len(await _views(scene.manager.id)) == before + 1, url


async def test_it_writes_no_audit_row_for_the_residents_own_views(
    client: Client, scene: Scene
) -> None:
    screen_id = await _positive(scene)
    await client.force_login(scene.resident)
    for url in ("/screens", f"/screens/{screen_id}"):
        response = await client.get(url)
        assert response.status_code == 200
        assert "Positive" in response.text
    assert await _views(scene.resident.id) == []
    # Another resident cannot open it at all.
    await client.force_login(scene.neighbour)
    assert (await client.get(f"/screens/{screen_id}")).status_code == 404
    assert f"/screens/{screen_id}" not in (await client.get("/screens")).text


async def test_it_shows_no_result_when_the_audit_write_fails(
    client: Client, scene: Scene, monkeypatch: pytest.MonkeyPatch
) -> None:
    screen_id = await _positive(scene)

    async def broken(**_: Any) -> None:
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(queries, "record_access", broken)
    await client.force_login(scene.manager)
    for url in (
        f"/houses/{scene.house}/screens",
        f"/screens/{screen_id}",
        f"/residents/{scene.rae['resident']}/screens",
    ):
        response = await client.get(url)
        assert response.status_code == 500, url
        assert "Positive" not in response.text
        assert "Fentanyl" not in response.text
        assert "Rae" not in response.text
    # The resident's own view writes nothing, so it still works.
    await client.force_login(scene.resident)
    assert (await client.get(f"/screens/{screen_id}")).status_code == 200


async def test_it_never_logs_a_result_value(
    client: Client, scene: Scene, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="house")
    caplog.set_level(logging.DEBUG, logger="litestar")
    await client.force_login(scene.manager)
    screen_id = await _positive(scene)
    await client.get(f"/screens/{screen_id}")
    await client.post(
        f"/screens/{screen_id}/amend",
        {"field": "outcome", "value": "dilute", "reason": "Creatinine low", "version": "1"},
    )
    ours = " ".join(
        r.getMessage().lower() for r in caplog.records if r.name.startswith(("house", "litestar"))
    )
    assert "positive" not in ours
    assert "dilute" not in ours
    details = [r["detail"] for r in await AuditEvent.select(AuditEvent.detail)]
    assert not [d for d in details if "positive" in d or "dilute" in d or "negative" in d]
