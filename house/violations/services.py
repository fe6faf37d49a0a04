"""Violations of house rules and residents' appeals.

A manager records a violation against a resident living in the house, for a rule of the
house's current rules, with a consequence from the house's ladder (a setting). A violation is
never deleted: corrections are amendments (old value, new, who, when, why), and resolving it
is a status change. The resident may appeal once, in writing; the appeal goes to the admins
and is never shown to managers; the decision (upheld, changed, withdrawn) and its reason are
recorded, and a change or withdrawal is applied to the violation as amendments.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from house.amendments import services as amendments
from house.amendments.services import amend as amend_record
from house.audit.services import record_access
from house.db import write_transaction
from house.houses.tables import House
from house.lib.errors import DomainError, NotFound
from house.lib.text import lines_of
from house.residents.tables import Stay
from house.rules import services as rules
from house.violations.tables import Appeal, Violation

# How far back a violation can be recorded: a house reviews the week, not the year.
RECORD_BACK = dt.timedelta(days=30)
AMENDABLE = ("severity", "consequence", "description", "location")
# What "Mark resolved" says while an appeal waits: an admin can decide it; a manager never
# sees the appeal itself (nor its statement), only that the decision comes first.
APPEAL_WAITING = "An appeal is waiting: decide it first."
APPEAL_WAITING_FOR_ADMIN = (
    "An appeal is waiting: the program's administrator decides it first, then it can be "
    "marked resolved."
)
SEVERITY_LABELS = {
    Violation.Severity.minor: "Minor",
    Violation.Severity.major: "Major",
    Violation.Severity.zero_tolerance: "Zero tolerance",
}
DECISION_LABELS = {
    Appeal.Decision.pending: "Waiting for a decision",
    Appeal.Decision.upheld: "Upheld",
    Appeal.Decision.changed: "Changed",
    Appeal.Decision.withdrawn: "Withdrawn",
}


async def form_choices(house_id: int) -> dict[str, Any]:
    """What the violation form offers: current residents, the current rules, the ladder."""
    house = await House.select(House.consequence_ladder).where(House.id == house_id).first()
    residents = (
        await Stay.select(Stay.id, Stay.admitted_on, Stay.resident.preferred_name.as_alias("name"))
        .where(Stay.house == house_id, Stay.status == Stay.Status.active)
        .order_by(Stay.resident.preferred_name)
    )
    version = await rules.current_version(house_id)
    return {
        "residents": residents,
        "rules": version["rules"] if version else [],
        "ladder": lines_of(house["consequence_ladder"]) if house else [],
    }


async def record_violation(
    *, actor_id: int, house_id: int, values: dict[str, Any], now: dt.datetime
) -> int:
    """Record a violation. Returns its id.

    1. The stay must be active in this house, the rule in the house's current rules, the
       consequence a step of the house's ladder (all re-read here, not trusted from the form).
    2. It happened not in the future, not more than 30 days back, not before move-in.
    3. The row and an audit event are written together.
    """
    choices = await form_choices(house_id)
    stay = next((s for s in choices["residents"] if s["id"] == values["stay"]), None)
    if stay is None:
        raise DomainError("Choose someone who lives in this house.", field="stay")
    rule = next((r for r in choices["rules"] if r["id"] == values["rule"]), None)
    if rule is None:
        raise DomainError("Choose a rule from the house's current rules.", field="rule")
    if values["consequence"] not in choices["ladder"]:
        raise DomainError("Choose a consequence from the house's list.", field="consequence")
    occurred_at: dt.datetime = values["occurred_at"]
    if occurred_at > now:
        raise DomainError("That time has not come yet.", field="occurred_on")
    if occurred_at < now - RECORD_BACK:
        raise DomainError("Record violations within 30 days.", field="occurred_on")
    if stay["admitted_on"] and values["occurred_on"] < stay["admitted_on"]:
        raise DomainError(
            f"{stay['name']} moved in on {stay['admitted_on']}, after that day.",
            field="occurred_on",
        )
    async with write_transaction():
        resident = await Stay.select(Stay.resident).where(Stay.id == stay["id"]).first()
        if resident is None:
            raise NotFound()
        rows = await Violation.insert(
            Violation(
                house=house_id,
                stay=stay["id"],
                resident=resident["resident"],
                rule=rule["id"],
                occurred_at=occurred_at,
                location=values["location"],
                description=values["description"],
                severity=values["severity"],
                consequence=values["consequence"],
                recorded_by=actor_id,
                recorded_at=now,
            )
        ).returning(Violation.id)
        violation_id = int(rows[0]["id"])
        await record_access(
            actor_id=actor_id,
            action="violation_recorded",
            at=now,
            record=f"violation:{violation_id}",
            detail=f"house:{house_id}",
        )
    return violation_id


async def detail(violation_id: int) -> dict[str, Any] | None:
    """A violation with its resident, rule, recorder, appeal (if any) and amendments."""
    row: dict[str, Any] | None = (
        await Violation.select(
            *Violation.all_columns(),
            Violation.resident.preferred_name.as_alias("resident_name"),
            Violation.resident.user.as_alias("resident_user"),
            Violation.rule.number.as_alias("rule_number"),
            Violation.rule.text.as_alias("rule_text"),
            Violation.recorded_by.name.as_alias("recorded_by_name"),
            Violation.house.name.as_alias("house_name"),
            Violation.house.timezone.as_alias("timezone"),
        )
        .where(Violation.id == violation_id)
        .first()
    )
    if row is None:
        return None
    row["appeal"] = (
        await Appeal.select(
            *Appeal.all_columns(), Appeal.decided_by.name.as_alias("decided_by_name")
        )
        .where(Appeal.violation == violation_id)
        .first()
    )
    row["amendments"] = await amendments.history("violation", violation_id)
    return row


def _listing() -> Any:
    return Violation.select(
        Violation.id,
        Violation.occurred_at,
        Violation.severity,
        Violation.consequence,
        Violation.status,
        Violation.resident.preferred_name.as_alias("resident_name"),
        Violation.rule.number.as_alias("rule_number"),
        Violation.house.timezone.as_alias("timezone"),
    ).order_by(Violation.occurred_at, ascending=False)


async def house_violations(house_id: int, limit: int = 100) -> list[dict[str, Any]]:
    """The house's violations, open ones first, newest first (one query)."""
    rows: list[dict[str, Any]] = await _listing().where(Violation.house == house_id).limit(limit)
    return sorted(rows, key=lambda r: r["status"] != Violation.Status.open)


async def my_violations(user_id: int) -> list[dict[str, Any]]:
    """A resident's own violations with their appeal's decision (two queries)."""
    rows: list[dict[str, Any]] = await _listing().where(Violation.resident.user == user_id)
    decisions = {}
    if rows:
        decisions = {
            a["violation"]: a["decision"]
            for a in await Appeal.select(Appeal.violation, Appeal.decision).where(
                Appeal.violation.is_in([r["id"] for r in rows])
            )
        }
    for row in rows:
        row["appeal"] = decisions.get(row["id"])
    return rows


async def correct(
    violation: dict[str, Any],
    changes: dict[str, Any],
    *,
    reason: str,
    actor_id: int,
    now: dt.datetime,
) -> list[str]:
    """A versioned correction of a violation (inside the caller's write transaction)."""
    return await amend_record(
        Violation, violation, changes, reason=reason, actor_id=actor_id, now=now, what="violation"
    )


async def amend(
    *,
    actor_id: int,
    violation_id: int,
    field: str,
    value: str,
    reason: str,
    version: int,
    now: dt.datetime,
) -> None:
    """Correct one field of a violation, keeping the old value, who, when and why. `version`
    is the one the person saw: if the violation changed since, nothing is stored."""
    if field not in AMENDABLE:
        raise DomainError("Choose what to correct.", field="field")
    violation = await detail(violation_id)
    if violation is None:
        raise NotFound()
    if field == "severity" and value not in {s.value for s in Violation.Severity}:
        raise DomainError("Choose a severity.", field="value")
    if field == "consequence":
        ladder = await form_choices(violation["house"])
        if value not in ladder["ladder"]:
            raise DomainError("Choose a consequence from the house's list.", field="value")
    if field == "description" and not value:
        raise DomainError("Say what happened.", field="value")
    async with write_transaction():
        seen = {**violation, "version": version}
        if not await correct(seen, {field: value}, reason=reason, actor_id=actor_id, now=now):
            raise DomainError("That is the value it already has.", field="value")
        await record_access(
            actor_id=actor_id,
            action="violation_amended",
            at=now,
            record=f"violation:{violation_id}",
            detail=field,
        )


async def resolve(*, actor_id: int, violation_id: int, now: dt.datetime) -> bool:
    """Mark an open violation resolved (the consequence was served). False if it was not
    open (a second tap changes nothing). Refused while an appeal of it waits for a decision
    (the decision may withdraw or change the consequence): the UPDATE itself checks, so an
    appeal sent after the page was loaded is still seen."""
    async with write_transaction():
        waiting = Appeal.select(Appeal.violation).where(Appeal.decision == Appeal.Decision.pending)
        done = (
            await Violation.update(
                {
                    Violation.status: Violation.Status.resolved,
                    Violation.resolved_at: now,
                    Violation.resolved_by: actor_id,
                }
            )
            .where(
                Violation.id == violation_id,
                Violation.status == Violation.Status.open,
                Violation.id.not_in(waiting),
            )
            .returning(Violation.id)
        )
        if not done and await Appeal.exists().where(
            Appeal.violation == violation_id, Appeal.decision == Appeal.Decision.pending
        ):
            raise DomainError(APPEAL_WAITING, field="resolve")
        if done:
            await record_access(
                actor_id=actor_id,
                action="violation_resolved",
                at=now,
                record=f"violation:{violation_id}",
            )
    return bool(done)
