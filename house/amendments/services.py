"""Writing amendments: a correction keeps the old value, the new, who, when and why."""

from __future__ import annotations

import datetime as dt
from typing import Any

from house.amendments.tables import Amendment


def shown(value: Any) -> str:
    """A value as an amendment stores it: booleans as yes/no, None as empty."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else str(value)


async def record_amendments(
    *,
    table_name: str,
    record_id: int,
    before: dict[str, Any],
    changed: dict[str, Any],
    reason: str,
    actor_id: int,
    now: dt.datetime,
) -> None:
    """One Amendment row per changed field (call inside the change's transaction)."""
    if not changed:
        return
    await Amendment.insert(
        *[
            Amendment(
                table_name=table_name,
                record_id=record_id,
                field=field,
                old_value=shown(before[field]),
                new_value=shown(value),
                reason=reason,
                actor=actor_id,
                at=now,
            )
            for field, value in changed.items()
        ]
    )
