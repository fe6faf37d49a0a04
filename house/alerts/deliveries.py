"""Sending alert emails through the outbox's SMTP hand-over (house.outbox.services.deliver),
with the outbox's claim timeout and retry policy.

1. `send_alert_email` claims an email row with a conditional UPDATE (due, not claimed in
   the last CLAIM_TIMEOUT); zero rows means another worker has it or it is done.
2. Right before the message is handed over (the last line of SMTP DATA) the row becomes
   "sending", under the same claim; "sent" once the server says so. A worker killed before
   the hand-over leaves a stale claim, taken over later: the server kept nothing. Killed
   after it, the row stays "sending", never retried (the email may have arrived): at most
   once, and the System page counts these "unconfirmed" rows.
3. A temporary failure releases the claim with the outbox's BACKOFF (1, then 5 minutes);
   after MAX_TRIES, or a permanent refusal, the row is failed with the error (shown to
   admins). A row held for quiet hours and handled in the app meanwhile is dropped (off).
4. `due_email_deliveries` lists what the every-minute cron (re)enqueues, so a Redis outage
   or a killed worker only delays an email.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

from house.alerts.tables import Delivery
from house.db import write_transaction
from house.lib.emails import house_label, render_text_and_html
from house.outbox import services as outbox
from house.outbox.services import CLAIM_TIMEOUT, MAX_TRIES, retry_delay
from house.settings import Settings

__all__ = ["CLAIM_TIMEOUT", "MAX_TRIES"]

HANDLED = "acknowledged or resolved in the app before it was sent"

Status = Delivery.Status
Channel = Delivery.Channel


def _due(now: dt.datetime) -> Any:
    return (
        (Delivery.channel == Channel.email)
        & (
            (
                (Delivery.status == Status.pending)
                & (Delivery.next_attempt_at.is_null() | (Delivery.next_attempt_at <= now))
            )
            | ((Delivery.status == Status.held) & (Delivery.next_attempt_at <= now))
        )
        & (Delivery.claimed_at.is_null() | (Delivery.claimed_at < now - CLAIM_TIMEOUT))
    )


async def due_email_deliveries(now: dt.datetime, limit: int = 1000) -> list[int]:
    """Email rows to send now: pending (and due), or held for quiet hours that have ended
    (digest-held rows have no next_attempt_at), not claimed by a live worker."""
    rows = await Delivery.select(Delivery.id).where(_due(now)).order_by(Delivery.id).limit(limit)
    return [int(r["id"]) for r in rows]


async def claim(delivery_id: int, now: dt.datetime) -> dict[str, Any] | None:
    async with write_transaction():
        rows = (
            await Delivery.update(
                {Delivery.claimed_at: now, Delivery.attempts: Delivery.attempts + 1}
            )
            .where((Delivery.id == delivery_id) & _due(now))
            .returning(Delivery.id, Delivery.alert, Delivery.user, Delivery.attempts)
        )
    return rows[0] if rows else None


def alert_subject(label: str, count: int) -> str:
    """No clinical detail and no name: the detail is behind login. `label` is a
    house_label, or "3 houses"."""
    items = "1 item needs" if count == 1 else f"{count} items need"
    return f"{label}: {items} attention"


async def _email(delivery_id: int, settings: Settings) -> dict[str, Any] | None:
    """The message of a claimed row, or None if its alert was handled meanwhile."""
    info = (
        await Delivery.select(
            Delivery.user.email.as_alias("to"),
            Delivery.alert._.house._.name.as_alias("house"),
            Delivery.alert.acknowledged_at.as_alias("handled_at"),
        )
        .where(Delivery.id == delivery_id)
        .first()
    )
    assert info is not None  # noqa: S101 - just claimed
    if info["handled_at"] is not None:
        return None
    label = house_label(info["house"])
    text, html = render_text_and_html(
        "alert", house=label, count=1, link=f"{settings.base_url}/inbox"
    )
    return {
        "to_address": info["to"],
        "subject": alert_subject(label, 1),
        "body": text,
        "html": html,
        "headers": {"X-House-Delivery": str(delivery_id)},
    }


def _marker(delivery_id: int, attempts: int, now: dt.datetime) -> Any:
    """Writes "sending" under this worker's claim; False if the claim is no longer ours."""

    async def mark_sending() -> bool:
        async with write_transaction():
            rows = (
                await Delivery.update({Delivery.status: Status.sending})
                .where(
                    Delivery.id == delivery_id,
                    Delivery.status.is_in([Status.pending, Status.held]),
                    Delivery.claimed_at == now,
                    Delivery.attempts == attempts,
                )
                .returning(Delivery.id)
            )
        return bool(rows)

    return mark_sending


def _after_temporary(tries: int, error: str, now: dt.datetime) -> tuple[str, dict[Any, Any]]:
    """What a temporary failure leaves: a retry after the backoff, or failed for good."""
    values: dict[Any, Any] = {Delivery.claimed_at: None, Delivery.last_error: error}
    if tries >= MAX_TRIES:
        return "failed", {**values, Delivery.status: Status.failed}
    return "retry", {
        **values,
        Delivery.status: Status.pending,
        Delivery.next_attempt_at: now + retry_delay(tries),
    }


async def send_alert_email(delivery_id: int, settings: Settings, now: dt.datetime) -> str:
    """Claim and send one alert email. Returns what happened ("sent", "retry", "failed",
    "unconfirmed", "handled", "not due")."""
    row = await claim(delivery_id, now)
    if row is None:
        return "not due"
    email = await _email(delivery_id, settings)
    if email is None:  # held for quiet hours, and handled meanwhile
        await finish_many(
            [delivery_id], {Delivery.status: Status.off, Delivery.last_error: HANDLED}
        )
        return "handled"
    hook = outbox.handover_hook(_marker(delivery_id, int(row["attempts"]), now))
    outcome, values = "sent", {Delivery.status: Status.sent, Delivery.sent_at: now}
    try:
        await asyncio.to_thread(outbox.deliver, settings, email, hook)
    except outbox.ClaimLost:
        return "not due"
    except outbox.Unconfirmed as exc:
        outcome, values = "unconfirmed", {Delivery.last_error: str(exc)[:200]}
    except outbox.PermanentFailure as exc:
        outcome, values = "failed", {Delivery.status: Status.failed}
        values[Delivery.last_error] = str(exc)[:200]
    except outbox.TemporaryFailure as exc:
        outcome, values = _after_temporary(int(row["attempts"]), str(exc)[:200], now)
    else:
        values[Delivery.last_error] = ""
    await finish_many([delivery_id], values)
    return outcome


async def finish_many(delivery_ids: list[int], values: dict[Any, Any]) -> None:
    async with write_transaction():
        await Delivery.update(values).where(Delivery.id.is_in(delivery_ids))


async def failed_count() -> int:
    """Email deliveries that gave up (the System page shows the number to admins)."""
    return int(
        await Delivery.count().where(
            Delivery.channel == Channel.email, Delivery.status == Status.failed
        )
    )


async def unconfirmed_count(now: dt.datetime) -> int:
    """Email deliveries handed to the mail server with no answer (a worker stopped at that
    moment, or the connection dropped): they may have arrived, so they are not sent again.
    Rows being handed over right now (claimed within CLAIM_TIMEOUT) are not counted."""
    return int(
        await Delivery.count().where(
            Delivery.channel == Channel.email,
            Delivery.status == Status.sending,
            (Delivery.claimed_at < now - CLAIM_TIMEOUT) | (Delivery.last_error != ""),
        )
    )
