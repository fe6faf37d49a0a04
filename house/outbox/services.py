"""Queueing and sending emails: the one way house sends an email.

1. `queue_email` / `queue_emails` insert rows inside the caller's transaction (the change
   and its email commit together, or neither does); a key already queued adds nothing.
2. `send_email` claims a row with a conditional UPDATE (pending, due, not claimed in the
   last CLAIM_TIMEOUT); zero rows means another worker has it, or it is done.
3. Right before the message is handed over (the last line of SMTP DATA, see
   house.outbox.smtp) the row becomes "sending", under the same claim; "sent" once the
   server says so (the body is then cleared: an invite's link does not stay here). A worker
   killed before the hand-over leaves a stale claim, taken over later: the server kept
   nothing. Killed after it, the row stays "sending" and is never sent again (it may have
   arrived): at most once, and the System page counts these as unconfirmed.
4. The one retry policy: a temporary failure releases the claim until next_attempt_at,
   BACKOFF 1 then 5 minutes; after MAX_TRIES, or at once on a permanent refusal, the row is
   failed with the error (counted on the System page).
5. `due_emails` lists what the every-minute sweep (re)enqueues, so a Redis outage, a killed
   worker or a day down only delays mail, never loses it. `cancel` drops emails that are
   no longer news before a worker took them (an alert handled in the app).
"""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass
from typing import Any

from house.db import write_transaction
from house.outbox import smtp
from house.outbox.smtp import PermanentFailure, TemporaryFailure, Unconfirmed
from house.outbox.tables import OutboxEmail
from house.settings import Settings

__all__ = ["PermanentFailure", "TemporaryFailure", "Unconfirmed"]

CLAIM_TIMEOUT = dt.timedelta(minutes=5)
MAX_TRIES = 3
BACKOFF = (dt.timedelta(minutes=1), dt.timedelta(minutes=5))  # before the 2nd and 3rd try

Status = OutboxEmail.Status


@dataclass(frozen=True)
class Email:
    """One email to queue; `key` says what it is for ("digest:3:2026-12-01")."""

    key: str
    to_address: str
    subject: str
    body: str
    html: str = ""


async def queue_email(
    *, key: str, to_address: str, subject: str, body: str, now: dt.datetime
) -> int:
    """Insert an email to send (call inside the transaction of the change it reports)."""
    async with write_transaction():
        rows = await OutboxEmail.insert(
            OutboxEmail(key=key, to_address=to_address, subject=subject, body=body, created_at=now)
        ).returning(OutboxEmail.id)
    return int(rows[0]["id"])


async def queue_emails(emails: list[Email], now: dt.datetime) -> list[int]:
    """Insert emails whose key is not queued yet (one statement; a key already there, or a
    second worker racing this one, inserts nothing). Returns the ids of the rows written."""
    if not emails:
        return []
    async with write_transaction():
        rows = (
            await OutboxEmail.insert(
                *(
                    OutboxEmail(
                        key=e.key,
                        to_address=e.to_address,
                        subject=e.subject,
                        body=e.body,
                        html=e.html,
                        created_at=now,
                    )
                    for e in emails
                )
            )
            .on_conflict(action="DO NOTHING")
            .returning(OutboxEmail.id)
        )
    return [int(r["id"]) for r in rows]


async def queued_keys(keys: list[str]) -> set[str]:
    """The keys among `keys` already in the outbox (sent or not)."""
    rows = await OutboxEmail.select(OutboxEmail.key).where(OutboxEmail.key.is_in(keys))
    return {str(r["key"]) for r in rows}


def _due(now: dt.datetime) -> Any:
    return (
        (OutboxEmail.status == Status.pending)
        & (OutboxEmail.next_attempt_at.is_null() | (OutboxEmail.next_attempt_at <= now))
        & (OutboxEmail.claimed_at.is_null() | (OutboxEmail.claimed_at < now - CLAIM_TIMEOUT))
    )


async def due_emails(now: dt.datetime, limit: int = 1000) -> list[int]:
    """Emails to send now: pending, past any backoff, not claimed by a live worker."""
    rows = (
        await OutboxEmail.select(OutboxEmail.id)
        .where(_due(now))
        .order_by(OutboxEmail.id)
        .limit(limit)
    )
    return [int(r["id"]) for r in rows]


async def claim(email_id: int, now: dt.datetime) -> dict[str, Any] | None:
    """Take a due email for this worker (one try more), or None if it is not due."""
    async with write_transaction():
        rows = (
            await OutboxEmail.update(
                {OutboxEmail.claimed_at: now, OutboxEmail.attempts: OutboxEmail.attempts + 1}
            )
            .where((OutboxEmail.id == email_id) & _due(now))
            .returning(
                OutboxEmail.id,
                OutboxEmail.to_address,
                OutboxEmail.subject,
                OutboxEmail.body,
                OutboxEmail.html,
                OutboxEmail.attempts,
            )
        )
    return rows[0] if rows else None


def retry_delay(attempts: int) -> dt.timedelta:
    """The wait after the `attempts`th try failed for a while (BACKOFF)."""
    return BACKOFF[min(max(attempts, 1), len(BACKOFF)) - 1]


def _marker(email_id: int, attempts: int, now: dt.datetime) -> Any:
    """Writes "sending" under this worker's claim; False if the claim is no longer ours."""

    async def mark_sending() -> bool:
        async with write_transaction():
            rows = (
                await OutboxEmail.update(
                    {OutboxEmail.status: Status.sending, OutboxEmail.sent_at: now}
                )
                .where(
                    OutboxEmail.id == email_id,
                    OutboxEmail.status == Status.pending,
                    OutboxEmail.claimed_at == now,
                    OutboxEmail.attempts == attempts,
                )
                .returning(OutboxEmail.id)
            )
        return bool(rows)

    return mark_sending


def _after_failure(exc: Exception, tries: int, now: dt.datetime) -> tuple[str, dict[Any, Any]]:
    """What a failed try leaves: unconfirmed, a retry after the backoff, or failed."""
    error = {OutboxEmail.last_error: str(exc)[:200]}
    if isinstance(exc, Unconfirmed):
        return "unconfirmed", {**error, OutboxEmail.body: "", OutboxEmail.html: ""}
    failed = {OutboxEmail.status: Status.failed, OutboxEmail.failed_at: now}
    released = {OutboxEmail.status: Status.pending, OutboxEmail.sent_at: None}
    if isinstance(exc, PermanentFailure) or tries >= MAX_TRIES:
        return "failed", {**error, **failed, OutboxEmail.sent_at: None}
    return "retry", {
        **error,
        **released,
        OutboxEmail.claimed_at: None,
        OutboxEmail.next_attempt_at: now + retry_delay(tries),
    }


async def send_email(email_id: int, settings: Settings, now: dt.datetime) -> str:
    """Claim and send one email. Returns what happened: "sent", "retry" (at its
    next_attempt_at), "failed", "unconfirmed" or "not due"."""
    email = await claim(email_id, now)
    if email is None:
        return "not due"
    email["headers"] = {"X-House-Email": str(email_id)}
    hook = smtp.handover_hook(_marker(email_id, int(email["attempts"]), now))
    outcome = "sent"
    values: dict[Any, Any] = {
        OutboxEmail.status: Status.sent,
        OutboxEmail.body: "",
        OutboxEmail.html: "",
        OutboxEmail.last_error: "",
    }
    try:
        await asyncio.to_thread(smtp.deliver, settings, email, hook)
    except smtp.ClaimLost:
        return "not due"
    except (Unconfirmed, PermanentFailure, TemporaryFailure) as exc:
        outcome, values = _after_failure(exc, int(email["attempts"]), now)
    async with write_transaction():
        await OutboxEmail.update(values).where(OutboxEmail.id == email_id)
    return outcome


async def cancel(keys: list[str], reason: str, now: dt.datetime) -> int:
    """Drop the emails `keys` that no live worker holds (pending: not taken yet, waiting
    for a retry, or left by a stopped worker before the hand-over). Returns how many."""
    if not keys:
        return 0
    async with write_transaction():
        rows = (
            await OutboxEmail.update(
                {
                    OutboxEmail.status: Status.cancelled,
                    OutboxEmail.body: "",
                    OutboxEmail.html: "",
                    OutboxEmail.last_error: reason[:200],
                }
            )
            .where(
                OutboxEmail.key.is_in(keys),
                OutboxEmail.status == Status.pending,
                OutboxEmail.claimed_at.is_null() | (OutboxEmail.claimed_at < now - CLAIM_TIMEOUT),
            )
            .returning(OutboxEmail.id)
        )
    return len(rows)


async def failed_count() -> int:
    """Emails that gave up (the System page shows the number to admins)."""
    return int(await OutboxEmail.count().where(OutboxEmail.status == Status.failed))


async def unconfirmed_count(now: dt.datetime) -> int:
    """Emails handed to the mail server with no answer (a worker stopped at that moment, or
    the connection dropped): they may have arrived, so they are not sent again. Emails
    being handed over right now (claimed within CLAIM_TIMEOUT) are not counted."""
    return int(
        await OutboxEmail.count().where(
            OutboxEmail.status == Status.sending,
            (OutboxEmail.claimed_at < now - CLAIM_TIMEOUT) | (OutboxEmail.last_error != ""),
        )
    )
