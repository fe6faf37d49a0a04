"""Alerts for the delivery tests, inserted directly (the rules raise them in the app)."""

from __future__ import annotations

import datetime as dt

from house.alerts.deliveries import email_key
from house.alerts.tables import Alert, Delivery
from house.db import write_transaction
from house.lib import clock
from house.outbox.tables import OutboxEmail
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


async def email_ids(delivery_ids: list[int]) -> list[int]:
    """The outbox ids of these deliveries' own emails (keyed alert:{delivery id})."""
    keys = [email_key(d) for d in delivery_ids]
    rows = await OutboxEmail.select(OutboxEmail.id).where(OutboxEmail.key.is_in(keys))
    return sorted(int(r["id"]) for r in rows)
