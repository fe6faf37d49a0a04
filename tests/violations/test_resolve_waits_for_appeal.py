"""A violation is not marked resolved while its appeal waits for a decision: the page says
so where "Mark resolved" was (an admin is offered the decision; a manager is told that it
comes first, never shown the appeal), and a resolve sent from a page loaded before the
appeal came in is refused with the page as it is now."""

from __future__ import annotations

from typing import Any

from house.audit.tables import AuditEvent
from house.violations.tables import Violation
from tests.cast import Cast
from tests.client import Client
from tests.violations.scene import Scene
from tests.violations.test_appeals import STATEMENT, _appealed, _recorded

RESOLVE_BUTTON = "Mark resolved (consequence served)"
FOR_ADMIN = "An appeal is waiting: decide it first."
FOR_MANAGER = (
    "An appeal is waiting: the program&#39;s administrator decides it first, then it can be "
    "marked resolved."
)


async def _appealed_violation(app: Any, scene: Scene) -> tuple[int, int]:
    """A violation recorded by the scene's manager and appealed by its resident."""
    violation_id = await _recorded(app, scene)
    return violation_id, await _appealed(app, scene, violation_id)


async def _still_open(violation_id: int) -> None:
    row = (
        await Violation.select(Violation.status, Violation.resolved_at, Violation.resolved_by)
        .where(Violation.id == violation_id)
        .first()
    )
    assert row == {"status": "open", "resolved_at": None, "resolved_by": None}
    resolved = AuditEvent.count().where(
        AuditEvent.action == "violation_resolved", AuditEvent.record == f"violation:{violation_id}"
    )
    assert await resolved == 0


async def test_it_refuses_a_resolve_sent_after_an_appeal_came_in(
    app: Any, client: Client, scene: Scene
) -> None:
    violation_id = await _recorded(app, scene)
    await client.force_login(scene.manager)
    loaded = await client.get(f"/violations/{violation_id}")
    assert RESOLVE_BUTTON in loaded.text
    await _appealed(app, scene, violation_id)  # the resident appeals meanwhile
    refused = await client.post(f"/violations/{violation_id}/resolve", {})
    assert refused.status_code == 422
    assert f'id="appeal-waiting" role="alert">{FOR_MANAGER}</p>' in refused.text
    assert RESOLVE_BUTTON not in refused.text
    # The manager learns only that an appeal waits: not its words, not a way to it.
    assert STATEMENT.split(";")[0] not in refused.text
    assert 'id="appeal"' not in refused.text
    assert "Decide the appeal" not in refused.text
    await _still_open(violation_id)
    # Reloaded, the page says the same without the alarm.
    page = await client.get(f"/violations/{violation_id}")
    assert f'<p class="card attention" id="appeal-waiting">{FOR_MANAGER}</p>' in page.text
    assert RESOLVE_BUTTON not in page.text


async def test_it_offers_an_admin_the_decision_first_then_the_resolve(
    app: Any, client: Client, scene: Scene, cast: Cast
) -> None:
    violation_id, appeal_id = await _appealed_violation(app, scene)
    await client.force_login(cast.admin)
    page = await client.get(f"/violations/{violation_id}")
    assert FOR_ADMIN in page.text
    assert 'href="#appeal" id="decide-first">Decide the appeal</a>' in page.text
    assert 'id="appeal"' in page.text
    assert f'action="/appeals/{appeal_id}/decide"' in page.text
    assert RESOLVE_BUTTON not in page.text
    # A resolve posted anyway (an old tab) is refused, with the decision form beside it.
    refused = await client.post(f"/violations/{violation_id}/resolve", {})
    assert refused.status_code == 422
    assert f'id="appeal-waiting" role="alert">{FOR_ADMIN}</p>' in refused.text
    assert f'action="/appeals/{appeal_id}/decide"' in refused.text
    await _still_open(violation_id)
    decided = await client.post(
        f"/appeals/{appeal_id}/decide", {"decision": "upheld", "reason": "It stands."}
    )
    assert decided.status_code == 303
    page = await client.get(f"/violations/{violation_id}")
    assert RESOLVE_BUTTON in page.text
    assert "appeal-waiting" not in page.text
    resolved = await client.post(f"/violations/{violation_id}/resolve", {})
    assert resolved.status_code == 303
    assert "Marked resolved." in (await client.get(resolved.headers["location"])).text
    row = await Violation.select(Violation.status).where(Violation.id == violation_id).first()
    assert row == {"status": "resolved"}


async def test_it_lets_a_manager_resolve_once_the_appeal_is_decided(
    app: Any, client: Client, scene: Scene, cast: Cast
) -> None:
    violation_id, appeal_id = await _appealed_violation(app, scene)
    async with Client(app) as admin:
        await admin.force_login(cast.admin)
        decided = await admin.post(
            f"/appeals/{appeal_id}/decide", {"decision": "upheld", "reason": "It stands."}
        )
        assert decided.status_code == 303
    await client.force_login(scene.manager)
    page = await client.get(f"/violations/{violation_id}")
    assert RESOLVE_BUTTON in page.text
    assert (await client.post(f"/violations/{violation_id}/resolve", {})).status_code == 303
    again = await client.post(f"/violations/{violation_id}/resolve", {})
    assert again.status_code == 303  # a second tap changes nothing and says so
    assert "It was already resolved." in (await client.get(again.headers["location"])).text
