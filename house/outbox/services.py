"""Queueing and sending emails.

1. `queue_email` inserts a row inside the caller's transaction (the change and its email
   commit together, or neither does).
2. `send_email` claims the row with a conditional UPDATE (unsent, not failed, not claimed in
   the last CLAIM_TIMEOUT); zero rows means another worker has it or it is done.
3. Delivery: `sent_at` is written right before the message is handed to the mail server
   (the last line of DATA), so a worker killed after it never causes a second copy; success
   then clears the body; a temporary failure releases the claim for a retry with backoff; a
   permanent one (the server refused the address) marks it failed. After MAX_TRIES
   temporary failures it is marked failed too. No answer after the hand-over is
   "unconfirmed": kept as sent, never retried (it may have arrived).
4. `due_emails` lists what a sweep should (re)enqueue: so a Redis outage, a crashed worker or
   a day down only delays mail, never loses it.

The retry policy of every email (alert emails too, house.alerts.deliveries): MAX_TRIES = 3
tries, BACKOFF 1 then 5 minutes apart; a permanent refusal fails at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import re
import smtplib
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from house.db import write_transaction
from house.outbox.tables import OutboxEmail
from house.settings import Settings

CLAIM_TIMEOUT = dt.timedelta(minutes=5)
MAX_TRIES = 3
BACKOFF = (dt.timedelta(minutes=1), dt.timedelta(minutes=5))  # before the 2nd and 3rd try


@dataclass(frozen=True)
class Email:
    """One email to queue; `key` says what it is for ("digest:3:2026-12-01")."""

    key: str
    to_address: str
    subject: str
    body: str
    html: str = ""


class TemporaryFailure(Exception):
    """The mail server could not take the email now; try again later."""


class PermanentFailure(Exception):
    """The mail server refused the email for good (for example an unknown address)."""


class Unconfirmed(Exception):
    """The message was handed to the mail server but no answer came back: it may have been
    accepted. Sending it again could send it twice, so it is never retried."""


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


def compose(settings: Settings, email: dict[str, Any]) -> EmailMessage:
    """Plain text, plus an HTML alternative when `html` is set (multipart/alternative)."""
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = email["to_address"]
    message["Subject"] = email["subject"]
    for name, value in email.get("headers", {}).items():
        message[name] = value
    message.set_content(email["body"])
    if email.get("html"):
        message.add_alternative(email["html"], subtype="html")
    return message


def _start_data(smtp: smtplib.SMTP, message: EmailMessage) -> None:
    """MAIL, RCPT and DATA, then the message itself, but not the line with the single dot
    that ends it (RFC 5321 4.1.1.4): until that line the server keeps nothing."""
    smtp.ehlo_or_helo_if_needed()
    sender, recipient = str(message["From"]), str(message["To"])
    code, reply = smtp.mail(sender)
    if code != 250:
        raise smtplib.SMTPSenderRefused(code, reply, sender)
    code, reply = smtp.rcpt(recipient)
    if code not in (250, 251):
        raise smtplib.SMTPRecipientsRefused({recipient: (code, reply)})
    code, reply = smtp.docmd("DATA")
    if code != 354:
        raise smtplib.SMTPDataError(code, reply)
    data = message.as_bytes(policy=message.policy.clone(linesep="\r\n"))
    data = re.sub(rb"(?m)^\.", b"..", data)  # dot-stuffing (RFC 5321 4.5.2)
    smtp.send(data if data.endswith(b"\r\n") else data + b"\r\n")


def _classified(exc: Exception) -> Exception:
    """The mail server's trouble as TemporaryFailure or PermanentFailure."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        if all(500 <= code < 600 for code in codes):
            return PermanentFailure(f"recipient refused ({codes[0]})")
        return TemporaryFailure(f"recipient deferred ({codes[0]})")
    if isinstance(exc, smtplib.SMTPResponseException):
        if 500 <= exc.smtp_code < 600 and exc.smtp_code not in (530, 535):
            return PermanentFailure(f"refused ({exc.smtp_code})")
        return TemporaryFailure(f"server said {exc.smtp_code}")
    return TemporaryFailure(type(exc).__name__)


End = Callable[[], None]
"""Writes the line that ends a message (a lone dot): from then on the server has it."""


def deliver(
    settings: Settings, email: dict[str, Any], handing_over: Callable[[End], None] | None = None
) -> None:
    """Send one email over SMTP. Raises TemporaryFailure, PermanentFailure, Unconfirmed or
    ClaimLost.

    `handing_over(end)` is called instead of `end()` to hand the message over: the caller
    records "sending" and then calls `end` with nothing in between, so a worker stopped from
    then on is never followed by a second copy. If it raises without calling `end`, the
    connection is dropped and the server keeps nothing."""
    message = compose(settings, email)
    smtp: smtplib.SMTP | None = None
    try:
        smtp = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=20)
        if settings.smtp_starttls:
            smtp.starttls()
        if settings.smtp_username:
            smtp.login(settings.smtp_username, settings.smtp_password)
        _start_data(smtp, message)
    except (OSError, smtplib.SMTPException) as exc:
        if smtp is not None:
            smtp.close()
        raise _classified(exc) from exc
    sock = smtp.sock
    assert sock is not None  # noqa: S101 - connected above

    def end() -> None:
        sock.sendall(b".\r\n")

    try:
        if handing_over is None:
            end()
        else:
            handing_over(end)
        code, reply = smtp.getreply()
    except (OSError, smtplib.SMTPException) as exc:
        smtp.close()
        raise Unconfirmed(f"no answer after the message ({type(exc).__name__})") from exc
    except BaseException:
        smtp.close()  # never QUIT here: mid-DATA it would become part of the message
        raise
    with contextlib.suppress(OSError, smtplib.SMTPException):
        smtp.quit()
    smtp.close()
    if code != 250:
        raise _classified(smtplib.SMTPDataError(code, reply))


class ClaimLost(Exception):
    """Another worker took the email over (this one was slower than CLAIM_TIMEOUT)."""


def handover_hook(mark: Callable[[], Coroutine[Any, Any, bool]]) -> Callable[[End], None]:
    """`deliver`'s `handing_over` for a caller on the event loop (deliver runs in a thread):
    on the loop, `mark` commits "sending" and `end` follows at once, with no await between
    them; False from `mark` (the claim is no longer ours) stops the send."""
    loop = asyncio.get_running_loop()

    async def mark_then_end(end: End) -> bool:
        if not await mark():
            return False
        end()
        return True

    def run(end: End) -> None:
        if not asyncio.run_coroutine_threadsafe(mark_then_end(end), loop).result(timeout=30):
            raise ClaimLost("another worker took this email over")

    return run


async def send_email(email_id: int, settings: Settings, now: dt.datetime) -> str:
    """Claim and send one email. Returns what happened; raises TemporaryFailure to retry.

    `sent_at` is written just before the message is handed over (see `deliver`), under the
    claim: a worker killed after that point leaves it sent, never sent twice. A refusal
    after the hand-over clears it again."""
    email = await _claim(email_id, now)
    if email is None:
        return "not due"

    async def mark_sent() -> bool:
        async with write_transaction():
            rows = (
                await OutboxEmail.update({OutboxEmail.sent_at: now})
                .where(
                    OutboxEmail.id == email_id,
                    OutboxEmail.sent_at.is_null(),
                    OutboxEmail.claimed_at == now,
                    OutboxEmail.attempts == email["attempts"],
                )
                .returning(OutboxEmail.id)
            )
        return bool(rows)

    try:
        await asyncio.to_thread(deliver, settings, email, handover_hook(mark_sent))
    except ClaimLost:
        return "not due"
    except Unconfirmed as exc:
        await _finish(
            email_id,
            {OutboxEmail.body: "", OutboxEmail.html: "", OutboxEmail.last_error: str(exc)[:200]},
        )
        return "unconfirmed"
    except PermanentFailure as exc:
        await _finish(
            email_id,
            {
                OutboxEmail.sent_at: None,
                OutboxEmail.failed_at: now,
                OutboxEmail.last_error: str(exc)[:200],
            },
        )
        return "failed"
    except TemporaryFailure as exc:
        give_up = email["attempts"] >= MAX_TRIES
        await _finish(
            email_id,
            {
                OutboxEmail.sent_at: None,
                OutboxEmail.claimed_at: None,
                OutboxEmail.last_error: str(exc)[:200],
                **({OutboxEmail.failed_at: now} if give_up else {}),
            },
        )
        if give_up:
            return "failed"
        raise
    await _finish(email_id, {OutboxEmail.body: "", OutboxEmail.html: ""})
    return "sent"


async def _finish(email_id: int, values: dict[Any, Any]) -> None:
    async with write_transaction():
        await OutboxEmail.update(values).where(OutboxEmail.id == email_id)


def retry_delay(attempts: int) -> dt.timedelta:
    """The wait after the `attempts`th try failed for a while (BACKOFF)."""
    return BACKOFF[min(max(attempts, 1), len(BACKOFF)) - 1]
