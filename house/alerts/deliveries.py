"""Alert emails handed to the outbox (house.outbox sends them: one claim, one hand-over,
one retry policy, one count of what failed for the System page).

1. `to_outbox` turns email deliveries that are due into outbox emails keyed
   `alert:{delivery id}` (no clinical detail: the house and a link to the inbox), in one
   transaction with the rows marked queued. An alert handled in the app meanwhile is not
   news any more: its rows are dropped (off) instead.
2. `plan` (house.alerts.planning) calls it for what goes out at once; `release_held` for
   rows held for quiet hours whose end has come (the every-minute cron).
3. `drop_unsent` cancels the outbox emails of an alert just acknowledged or resolved, if no
   worker has taken them yet.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from house.alerts.tables import Delivery
from house.db import write_transaction
from house.lib.emails import house_label, render_text_and_html
from house.outbox import services as outbox
from house.settings import get_settings

HANDLED = "acknowledged or resolved in the app before it was sent"

Status = Delivery.Status
Channel = Delivery.Channel


def alert_subject(label: str, count: int) -> str:
    """No clinical detail and no name: the detail is behind login. `label` is a
    house_label, or "3 houses"."""
    items = "1 item needs" if count == 1 else f"{count} items need"
    return f"{label}: {items} attention"


def email_key(delivery_id: int) -> str:
    """The outbox key of a delivery's own email."""
    return f"alert:{delivery_id}"


def _emails(rows: list[dict[str, Any]]) -> list[outbox.Email]:
    """One email per row, rendered once per house."""
    link = f"{get_settings().base_url}/inbox"
    rendered: dict[str, tuple[str, str]] = {}
    emails = []
    for row in rows:
        label = house_label(row["house"])
        if label not in rendered:
            rendered[label] = render_text_and_html("alert", house=label, count=1, link=link)
        text, html = rendered[label]
        emails.append(
            outbox.Email(email_key(row["id"]), row["to"], alert_subject(label, 1), text, html)
        )
    return emails


async def to_outbox(delivery_ids: list[int], now: dt.datetime) -> list[int]:
    """Queue the emails of these email deliveries (step 1 of the module; inside the
    caller's transaction, if any). Returns the outbox ids to send now."""
    if not delivery_ids:
        return []
    async with write_transaction():
        rows = await Delivery.select(
            Delivery.id,
            Delivery.user.email.as_alias("to"),
            Delivery.alert._.house._.name.as_alias("house"),
            Delivery.alert.acknowledged_at.as_alias("handled_at"),
        ).where(Delivery.id.is_in(delivery_ids), Delivery.channel == Channel.email)
        handled = [int(r["id"]) for r in rows if r["handled_at"] is not None]
        if handled:
            await Delivery.update(
                {Delivery.status: Status.off, Delivery.last_error: HANDLED}
            ).where(Delivery.id.is_in(handled), Delivery.status == Status.held)
        due = [r for r in rows if r["handled_at"] is None]
        if not due:
            return []
        ids = await outbox.queue_emails(_emails(due), now)
        await Delivery.update({Delivery.status: Status.queued, Delivery.sent_at: now}).where(
            Delivery.id.is_in([int(r["id"]) for r in due])
        )
    return ids


async def drop_handled(delivery_ids: list[int]) -> None:
    """Held email rows whose alert was acknowledged or resolved meanwhile: not news any
    more, so never sent (off, with the reason)."""
    if delivery_ids:
        async with write_transaction():
            await Delivery.update(
                {Delivery.status: Status.off, Delivery.last_error: HANDLED}
            ).where(Delivery.id.is_in(delivery_ids), Delivery.status == Status.held)


async def release_held(now: dt.datetime, limit: int = 1000) -> list[int]:
    """Queue the email rows held for quiet hours that have ended (digest-held rows have no
    held_until). Returns the outbox ids to send now."""
    rows = (
        await Delivery.select(Delivery.id)
        .where(
            Delivery.channel == Channel.email,
            Delivery.status == Status.held,
            Delivery.held_until <= now,
        )
        .order_by(Delivery.id)
        .limit(limit)
    )
    return await to_outbox([int(r["id"]) for r in rows], now)


async def drop_unsent(alert_id: int, now: dt.datetime) -> int:
    """Cancel the outbox emails of an alert that no worker has taken yet (it was just
    handled in the app). Returns how many were cancelled."""
    rows = await Delivery.select(Delivery.id).where(
        Delivery.alert == alert_id,
        Delivery.channel == Channel.email,
        Delivery.status == Status.queued,
    )
    return await outbox.cancel([email_key(int(r["id"])) for r in rows], HANDLED, now)
