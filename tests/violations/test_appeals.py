"""A resident sees their own violations and appeals once; the appeal reaches the admins and
is hidden from the manager who recorded the violation; the decision is recorded."""

from __future__ import annotations

from typing import Any

from house.amendments.tables import Amendment
from house.violations.tables import Appeal, Violation
from tests.cast import Cast
from tests.client import Client
from tests.violations.scene import Scene, violation_form

STATEMENT = "My guest left at 21:05; the manager saw someone else's visitor."


async def _recorded(app: Any, scene: Scene) -> int:
    async with Client(app) as manager:
        await manager.force_login(scene.manager)
        response = await manager.post(f"/houses/{scene.house}/violations", violation_form(scene))
    return int(response.headers["location"].rsplit("/", 1)[1])


async def _appealed(app: Any, scene: Scene, violation_id: int) -> int:
    async with Client(app) as resident:
        await resident.force_login(scene.resident)
        response = await resident.post(
            f"/violations/{violation_id}/appeal", {"statement": STATEMENT}
        )
        assert response.status_code == 303
    row = await Appeal.select(Appeal.id).where(Appeal.violation == violation_id).first()
    assert row is not None
    return int(row["id"])


async def test_it_shows_a_resident_their_own_violations_only(
    app: Any, client: Client, scene: Scene
) -> None:
    violation_id = await _recorded(app, scene)
    await client.force_login(scene.resident)
    mine = await client.get("/violations")
    assert f'id="violation-{violation_id}"' in mine.text
    page = await client.get(f"/violations/{violation_id}")
    assert page.status_code == 200
    assert "No guests after 9 pm." in page.text
    assert 'id="appeal-form"' in page.text
    async with Client(app) as neighbour:
        await neighbour.force_login(scene.neighbour)
        assert f"violation-{violation_id}" not in (await neighbour.get("/violations")).text
        assert (await neighbour.get(f"/violations/{violation_id}")).status_code == 404
        refused = await neighbour.post(
            f"/violations/{violation_id}/appeal", {"statement": STATEMENT}
        )
        assert refused.status_code == 404
    assert await Appeal.count().where(Appeal.violation == violation_id) == 0


async def test_it_hides_the_appeal_from_the_recording_manager(
    app: Any, scene: Scene, cast: Cast
) -> None:
    violation_id = await _recorded(app, scene)
    appeal_id = await _appealed(app, scene, violation_id)
    async with Client(app) as manager:
        await manager.force_login(scene.manager)
        assert (await manager.get(f"/appeals/{appeal_id}")).status_code == 404
        decide = await manager.post(
            f"/appeals/{appeal_id}/decide", {"decision": "withdrawn", "reason": "mine to drop"}
        )
        assert decide.status_code == 404
        page = await manager.get(f"/violations/{violation_id}")
        assert page.status_code == 200
        assert STATEMENT.split(";")[0] not in page.text
        assert 'id="appeal"' not in page.text
    async with Client(app) as admin:
        await admin.force_login(cast.admin)
        queue = await admin.get("/appeals")
        assert f'id="appeal-{appeal_id}"' in queue.text
        page = await admin.get(f"/appeals/{appeal_id}")
        assert page.status_code == 200
        assert "My guest left at 21:05" in page.text
    row = await Appeal.select(Appeal.decision).where(Appeal.id == appeal_id).first()
    assert row == {"decision": "pending"}


async def test_it_takes_one_appeal_per_violation_and_checks_the_statement(
    app: Any, client: Client, scene: Scene
) -> None:
    violation_id = await _recorded(app, scene)
    await client.force_login(scene.resident)
    for statement, message in (
        ("", "Enter your statement."),
        ("too short", "Say a little more"),
        ("x" * 4001, "Use at most 4000 characters"),
    ):
        response = await client.post(f"/violations/{violation_id}/appeal", {"statement": statement})
        assert response.status_code == 422
        assert message in response.text
        assert 'id="f-statement-error"' in response.text
    assert await Appeal.count().where(Appeal.violation == violation_id) == 0
    markup = "<img src=x onerror=alert(1)> I was at work that evening, ask my boss."
    first = await client.post(f"/violations/{violation_id}/appeal", {"statement": markup})
    second = await client.post(f"/violations/{violation_id}/appeal", {"statement": markup})
    assert first.status_code == 303
    assert second.status_code == 303
    assert "already appealed" in (await client.get(second.headers["location"])).text
    assert await Appeal.count().where(Appeal.violation == violation_id) == 1
    page = await client.get(f"/violations/{violation_id}")
    assert "&lt;img src=x" in page.text


async def test_it_records_a_changed_decision_as_an_amendment(
    app: Any, client: Client, scene: Scene, cast: Cast
) -> None:
    violation_id = await _recorded(app, scene)
    appeal_id = await _appealed(app, scene, violation_id)
    await client.force_login(cast.admin)
    missing = await client.post(f"/appeals/{appeal_id}/decide", {"decision": "changed"})
    assert missing.status_code == 422
    assert "Choose the new consequence." in missing.text
    assert "Enter the reason for the decision." in missing.text
    wrong = await client.post(
        f"/appeals/{appeal_id}/decide",
        {"decision": "changed", "consequence": "Banishment", "reason": "fair"},
    )
    assert wrong.status_code == 422
    decided = await client.post(
        f"/appeals/{appeal_id}/decide",
        {"decision": "changed", "consequence": "Extra chore", "reason": "A first time."},
    )
    assert decided.status_code == 303
    again = await client.post(
        f"/appeals/{appeal_id}/decide", {"decision": "withdrawn", "reason": "second thoughts"}
    )
    assert again.status_code == 303
    assert "already been decided" in (await client.get(again.headers["location"])).text
    violation = (
        await Violation.select(Violation.consequence, Violation.status)
        .where(Violation.id == violation_id)
        .first()
    )
    assert violation == {"consequence": "Extra chore", "status": "open"}
    amendment = (
        await Amendment.select(Amendment.old_value, Amendment.new_value, Amendment.reason)
        .where(Amendment.table_name == "violation", Amendment.record_id == violation_id)
        .first()
    )
    assert amendment == {
        "old_value": "Warning",
        "new_value": "Extra chore",
        "reason": "appeal changed: A first time.",
    }
    # The manager now sees the decision (to apply it), still not the statement.
    async with Client(app) as manager:
        await manager.force_login(scene.manager)
        page = await manager.get(f"/violations/{violation_id}")
        assert "A first time." in page.text
        assert "My guest left" not in page.text


async def test_it_withdraws_a_violation_on_appeal_without_deleting_it(
    app: Any, client: Client, scene: Scene, cast: Cast
) -> None:
    violation_id = await _recorded(app, scene)
    appeal_id = await _appealed(app, scene, violation_id)
    await client.force_login(cast.admin)
    decided = await client.post(
        f"/appeals/{appeal_id}/decide", {"decision": "withdrawn", "reason": "Wrong person."}
    )
    assert decided.status_code == 303
    row = await Violation.select(Violation.status).where(Violation.id == violation_id).first()
    assert row == {"status": "resolved"}
    async with Client(app) as resident:
        await resident.force_login(scene.resident)
        mine = await resident.get("/violations")
        assert "withdrawn on appeal" in mine.text
        page = await resident.get(f"/violations/{violation_id}")
        assert "Wrong person." in page.text
        assert 'id="appeal-form"' not in page.text
