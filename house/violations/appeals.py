"""Appeals: a resident appeals their own violation once; an admin upholds, changes or
withdraws it (a change or a withdrawal is a versioned correction of the violation)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from house.audit.services import record_access
from house.db import refuse_duplicates, write_transaction
from house.events.services import record_event
from house.lib.errors import DomainError, NotFound
from house.violations import services
from house.violations.tables import Appeal, Violation


async def appeal(*, user_id: int, violation_id: int, statement: str, now: dt.datetime) -> int:
    """The resident appeals their own violation, once. Returns the appeal's id."""
    violation = await services.detail(violation_id)
    if violation is None or violation["resident_user"] != user_id:
        raise NotFound()
    with refuse_duplicates("You have already appealed this violation."):
        async with write_transaction():
            rows = await Appeal.insert(
                Appeal(
                    violation=violation_id,
                    statement=statement,
                    submitted_by=user_id,
                    submitted_at=now,
                )
            ).returning(Appeal.id)
            await record_event("appeal", f"appeal:{rows[0]['id']}", violation["house"], now)
            await record_access(
                actor_id=user_id,
                action="violation_appealed",
                at=now,
                record=f"violation:{violation_id}",
            )
    return int(rows[0]["id"])


async def appeals(*, pending_only: bool) -> list[dict[str, Any]]:
    """Appeals for the admins, oldest first (one query)."""
    query = Appeal.select(
        Appeal.id,
        Appeal.decision,
        Appeal.submitted_at,
        Appeal.violation.as_alias("violation_id"),
        Appeal.violation._.resident._.preferred_name.as_alias("resident_name"),
        Appeal.violation._.house._.name.as_alias("house_name"),
        Appeal.violation._.house._.timezone.as_alias("timezone"),
        Appeal.violation._.consequence.as_alias("consequence"),
    ).order_by(Appeal.submitted_at)
    if pending_only:
        query = query.where(Appeal.decision == Appeal.Decision.pending)
    rows: list[dict[str, Any]] = await query
    return rows


async def appeal_queue(decided_shown: int = 50) -> dict[str, list[dict[str, Any]]]:
    """The admins' queue: pending appeals and the latest decided ones, oldest first."""
    rows = await appeals(pending_only=False)
    pending = [a for a in rows if a["decision"] == Appeal.Decision.pending]
    decided = [a for a in rows if a["decision"] != Appeal.Decision.pending]
    return {"pending": pending, "decided": decided[-decided_shown:]}


async def violation_of_appeal(appeal_id: int) -> int | None:
    """The id of the violation an appeal is about, or None for no such appeal."""
    row = await Appeal.select(Appeal.violation).where(Appeal.id == appeal_id).first()
    return None if row is None else int(row["violation"])


def appeal_pending(violation: dict[str, Any]) -> bool:
    """Whether a violation (as `detail` gives it) has an appeal waiting for a decision."""
    appeal = violation["appeal"]
    return appeal is not None and appeal["decision"] == Appeal.Decision.pending


async def decide(
    *,
    actor_id: int,
    appeal_id: int,
    decision: str,
    reason: str,
    consequence: str,
    now: dt.datetime,
) -> None:
    """An admin decides an appeal.

    1. Only a pending appeal can be decided (the UPDATE checks it: two admins, one decision).
    2. "changed" replaces the violation's consequence with another step of the ladder;
       "withdrawn" resolves the violation; both as amendments giving the decision as reason.
    """
    violation_id = await violation_of_appeal(appeal_id)
    violation = None if violation_id is None else await services.detail(violation_id)
    if violation is None:
        raise NotFound()
    if decision == Appeal.Decision.changed:
        await _check_new_consequence(violation, consequence)
    async with write_transaction():
        await _claim_decision(appeal_id, decision, reason, actor_id=actor_id, now=now)
        why = f"appeal {decision}: {reason}"
        if decision == Appeal.Decision.changed:
            await services.correct(
                violation, {"consequence": consequence}, reason=why, actor_id=actor_id, now=now
            )
        elif decision == Appeal.Decision.withdrawn:
            await _withdraw(violation, why, actor_id=actor_id, now=now)
        await record_access(
            actor_id=actor_id,
            action="appeal_decided",
            at=now,
            record=f"appeal:{appeal_id}",
            detail=decision,
        )


async def _check_new_consequence(violation: dict[str, Any], consequence: str) -> None:
    ladder = (await services.form_choices(violation["house"]))["ladder"]
    if consequence not in ladder:
        raise DomainError("Choose the new consequence from the house's list.", "consequence")
    if consequence == violation["consequence"]:
        raise DomainError(
            "That is the consequence it has; choose another or uphold it.", "consequence"
        )


async def _claim_decision(
    appeal_id: int, decision: str, reason: str, *, actor_id: int, now: dt.datetime
) -> None:
    """The decision, stored only if the appeal is still pending."""
    done = (
        await Appeal.update(
            {
                Appeal.decision: decision,
                Appeal.decision_reason: reason,
                Appeal.decided_by: actor_id,
                Appeal.decided_at: now,
            }
        )
        .where(Appeal.id == appeal_id, Appeal.decision == Appeal.Decision.pending)
        .returning(Appeal.id)
    )
    if not done:
        raise DomainError("This appeal has already been decided.")


async def _withdraw(
    violation: dict[str, Any], why: str, *, actor_id: int, now: dt.datetime
) -> None:
    """A withdrawn violation is resolved (as an amendment), with who resolved it and when."""
    await services.correct(
        violation, {"status": Violation.Status.resolved}, reason=why, actor_id=actor_id, now=now
    )
    await Violation.update({Violation.resolved_at: now, Violation.resolved_by: actor_id}).where(
        Violation.id == violation["id"], Violation.resolved_at.is_null()
    )
