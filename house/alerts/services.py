"""Raising alerts (the rules' side).

`raise_alert` inserts an alert unless its key exists (rule, subject, period: unique in the
database), then asks `planning.plan` for its delivery rows, in the same transaction.
`record_event` writes an immediate rule's outbox row inside the caller's transaction;
`process_events` turns those rows into alerts; `sweep` runs every time-based rule too.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from house.alerts import planning, rules
from house.alerts.tables import Alert
from house.db import write_transaction
from house.events.services import AlertSpec
from house.events.tables import AlertEvent

KEY_BATCH = 10_000  # keys looked up per query


async def raise_alert(spec: AlertSpec, now: dt.datetime) -> int | None:
    """Insert the alert and plan its deliveries, in one transaction. None when an alert with
    this key exists already (a rule matching again raises nothing new)."""
    async with write_transaction():
        rows = (
            await Alert.insert(
                Alert(
                    key=spec.key,
                    kind=spec.kind,
                    severity=spec.severity,
                    house=spec.house_id,
                    resident=spec.resident_id,
                    record=spec.record,
                    summary=spec.summary[:200],
                    created_at=now,
                )
            )
            .on_conflict(target=Alert.key, action="DO NOTHING")
            .returning(Alert.id)
        )
        if not rows:
            return None
        alert_id = int(rows[0]["id"])
        await planning.plan(alert_id, spec.to, now)
    return alert_id


async def _raise_new(specs: list[AlertSpec], now: dt.datetime) -> int:
    """Raise the specs whose key is not taken yet: one query per KEY_BATCH keys, then one
    transaction per new alert (an existing key costs nothing as data grows)."""
    if not specs:
        return 0
    keys = sorted({spec.key for spec in specs})
    taken: set[str] = set()
    for start in range(0, len(keys), KEY_BATCH):  # PostgreSQL takes at most 32,767 parameters
        batch = keys[start : start + KEY_BATCH]
        taken |= {row["key"] for row in await Alert.select(Alert.key).where(Alert.key.is_in(batch))}
    raised = 0
    seen: set[str] = set()
    for spec in specs:
        if spec.key in taken or spec.key in seen:
            continue
        seen.add(spec.key)
        if await raise_alert(spec, now) is not None:
            raised += 1
    return raised


async def process_events(now: dt.datetime) -> int:
    """Claim every unprocessed event with one conditional UPDATE and raise what its rule
    says, in the same transaction (a failure leaves the events for the next sweep).
    Returns how many alerts were raised."""
    async with write_transaction():
        claimed: list[dict[str, Any]] = (
            await AlertEvent.update({AlertEvent.processed_at: now})
            .where(AlertEvent.processed_at.is_null())
            .returning(AlertEvent.id, AlertEvent.kind, AlertEvent.record)
        )
        if not claimed:
            return 0
        specs = await rules.from_events([(row["kind"], row["record"]) for row in claimed])
        return await _raise_new(specs, now)


async def sweep(now: dt.datetime) -> int:
    """Every time-based rule, then the events left unprocessed. Safe to run twice: the
    unique key makes the second run raise nothing. Returns how many alerts were raised."""
    raised = await process_events(now)
    specs = await rules.time_based(now)
    return raised + await _raise_new(specs, now)
