"""The violations' alert rule: an appeal waiting for a decision."""

from __future__ import annotations

from house.events.alerts import ADMINS, AlertRule, alert_spec, name_of
from house.events.services import AlertSpec
from house.violations.tables import Appeal


async def appeals(appeal_ids: list[int]) -> list[AlertSpec]:
    """`appeal`: a pending appeal goes to the admins only (never to the managers, one of
    whom recorded the violation). One query."""
    rows = await Appeal.select(
        Appeal.id,
        Appeal.violation._.house.as_alias("house"),
        Appeal.violation._.resident.as_alias("resident"),
        Appeal.violation._.resident._.preferred_name.as_alias("resident_name"),
    ).where(Appeal.id.is_in(appeal_ids), Appeal.decision == Appeal.Decision.pending)
    return [
        alert_spec(
            "appeal", row, f"appeal:{row['id']}", f"{name_of(row)}: a violation appealed", ADMINS
        )
        for row in rows
    ]


RULES = [AlertRule("appeal", event="appeal", on_events=appeals)]
