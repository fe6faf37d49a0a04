"""Queueing and sending emails.

1. `queue_email` inserts a row inside the caller's transaction (the change and its email
   commit together, or neither does).
2. `send_email` claims the row with a conditional UPDATE (unsent, not failed, not claimed in
   the last CLAIM_TIMEOUT); zero rows means another worker has it or it is done.
3. Delivery: success marks it sent and clears the body; a temporary failure releases the
   claim for a retry with backoff; a permanent one (the server refused the address) marks it
   failed. After MAX_ATTEMPTS temporary failures it is marked failed too.
4. `due_emails` lists what a sweep should (re)enqueue: so a Redis outage, a crashed worker or
   a day down only delays mail, never loses it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import smtplib
from email.message import EmailMessage
from typing import Any

from house.db import write_transaction
from house.outbox.tables import OutboxEmail
from house.settings import Settings

CLAIM_TIMEOUT = dt.timedelta(minutes=5)
MAX_ATTEMPTS = 8


class TemporaryFailure(Exception):
    """The mail server could not take the email now; try again later."""


class PermanentFailure(Exception):
    """The mail server refused the email for good (for example an unknown address)."""


async def queue_email(
    *, key: str, to_address: str, subject: str, body: str, now: dt.datetime
) -> int:
    """Insert an email to send (call inside the transaction of the change it reports)."""
    async with write_transaction():
        rows = await OutboxEmail.insert(
            OutboxEmail(key=key, to_address=to_address, subject=subject, body=body, created_at=now)
        ).returning(OutboxEmail.id)
    return int(rows[0]["id"])


async def due_emails(now: dt.datetime, limit: int = 200) -> list[int]:
    rows = (
        await OutboxEmail.select(OutboxEmail.id)
        .where(
            OutboxEmail.sent_at.is_null(),
            OutboxEmail.failed_at.is_null(),
            OutboxEmail.claimed_at.is_null() | (OutboxEmail.claimed_at < now - CLAIM_TIMEOUT),
        )
        .order_by(OutboxEmail.id)
        .limit(limit)
    )
    return [int(r["id"]) for r in rows]


async def _claim(email_id: int, now: dt.datetime) -> dict[str, Any] | None:
    async with write_transaction():
        rows = (
            await OutboxEmail.update(
                {OutboxEmail.claimed_at: now, OutboxEmail.attempts: OutboxEmail.attempts + 1}
            )
            .where(
                OutboxEmail.id == email_id,
                OutboxEmail.sent_at.is_null(),
                OutboxEmail.failed_at.is_null(),
                OutboxEmail.claimed_at.is_null() | (OutboxEmail.claimed_at < now - CLAIM_TIMEOUT),
            )
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


def deliver(settings: Settings, email: dict[str, Any]) -> None:
    """Send one email over SMTP: plain text, plus an HTML alternative when `html` is set
    (multipart/alternative). Raises TemporaryFailure or PermanentFailure."""
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = email["to_address"]
    message["Subject"] = email["subject"]
    for name, value in email.get("headers", {}).items():
        message[name] = value
    message.set_content(email["body"])
    if email.get("html"):
        message.add_alternative(email["html"], subtype="html")
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=20) as smtp:
            if settings.smtp_starttls:
                smtp.starttls()
            if settings.smtp_username:
                smtp.login(settings.smtp_username, settings.smtp_password)
            smtp.send_message(message)
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _ in exc.recipients.values()]
        if all(500 <= code < 600 for code in codes):
            raise PermanentFailure(f"recipient refused ({codes[0]})") from exc
        raise TemporaryFailure(f"recipient deferred ({codes[0]})") from exc
    except smtplib.SMTPResponseException as exc:
        if 500 <= exc.smtp_code < 600 and exc.smtp_code not in (530, 535):
            raise PermanentFailure(f"refused ({exc.smtp_code})") from exc
        raise TemporaryFailure(f"server said {exc.smtp_code}") from exc
    except (OSError, smtplib.SMTPException) as exc:
        raise TemporaryFailure(type(exc).__name__) from exc


async def send_email(email_id: int, settings: Settings, now: dt.datetime) -> str:
    """Claim and send one email. Returns what happened; raises TemporaryFailure to retry."""
    email = await _claim(email_id, now)
    if email is None:
        return "not due"
    try:
        await asyncio.to_thread(deliver, settings, email)
    except PermanentFailure as exc:
        await _finish(email_id, {OutboxEmail.failed_at: now, OutboxEmail.last_error: str(exc)})
        return "failed"
    except TemporaryFailure as exc:
        give_up = email["attempts"] >= MAX_ATTEMPTS
        await _finish(
            email_id,
            {
                OutboxEmail.claimed_at: None,
                OutboxEmail.last_error: str(exc)[:200],
                **({OutboxEmail.failed_at: now} if give_up else {}),
            },
        )
        if give_up:
            return "failed"
        raise
    await _finish(email_id, {OutboxEmail.sent_at: now, OutboxEmail.body: "", OutboxEmail.html: ""})
    return "sent"


async def _finish(email_id: int, values: dict[Any, Any]) -> None:
    async with write_transaction():
        await OutboxEmail.update(values).where(OutboxEmail.id == email_id)


def retry_delay(attempts: int) -> dt.timedelta:
    """Backoff before the next try: 1, 2, 4 ... minutes, at most an hour."""
    return dt.timedelta(minutes=min(2 ** max(attempts - 1, 0), 60))
