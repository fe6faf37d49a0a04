"""Alerts for the delivery tests, inserted directly (the rules raise them in the app)."""

from __future__ import annotations

import datetime as dt

from house.alerts.tables import Alert, Delivery
from house.db import write_transaction
from house.lib import clock
from tests.factories import unique


async def make_alert(
    house: int,
    *,
    severity: str = Alert.Severity.attention,
    kind: str = "chores_missed",
    resident: int | None = None,
    created_at: dt.datetime | None = None,
) -> int:
    async with write_transaction():
        rows = await Alert.insert(
            Alert(
                key=unique(kind),
                kind=kind,
                severity=severity,
                house=house,
                resident=resident,
                summary="Pat tested positive",  # clinical: must never reach an email
                created_at=created_at or clock.now(),
            )
        ).returning(Alert.id)
    return int(rows[0]["id"])


async def deliveries_of(alert: int) -> dict[tuple[int, str], dict[str, object]]:
    rows = await Delivery.select().where(Delivery.alert == alert)
    return {(r["user"], r["channel"]): r for r in rows}
