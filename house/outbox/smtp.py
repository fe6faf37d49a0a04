"""Handing one email to the mail server over SMTP, knowing exactly when it was handed over.

`deliver` sends MAIL, RCPT and DATA and the message, then hands it over with the lone dot
that ends DATA: until that line the server keeps nothing. The caller (house.outbox.services)
records "sending" right before that line, so a worker stopped after it never sends a second
copy. The server's trouble comes back as TemporaryFailure (retry later), PermanentFailure
(refused for good) or Unconfirmed (no answer after the hand-over: it may have arrived).
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import smtplib
from collections.abc import Callable, Coroutine
from email.message import EmailMessage
from typing import Any

from house.settings import Settings


class TemporaryFailure(Exception):
    """The mail server could not take the email now; try again later."""


class PermanentFailure(Exception):
    """The mail server refused the email for good (for example an unknown address)."""


class Unconfirmed(Exception):
    """The message was handed to the mail server but no answer came back: it may have been
    accepted. Sending it again could send it twice, so it is never retried."""


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
