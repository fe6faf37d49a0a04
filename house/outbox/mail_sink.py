"""A local mail server for `make run` (development only): it accepts every email and
appends it to a log file, so a laptop with no mail server can see what house sends.

Needs aiosmtpd, which the dev extra installs (`pip install -e '.[dev]'`)."""

from __future__ import annotations

import datetime as dt
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller


def entry(message: EmailMessage, received: dt.datetime) -> str:
    """One email as the log shows it: when, to whom, the subject and the plain text."""
    text = message.get_body(preferencelist=("plain",))
    body = text.get_content() if text is not None else ""
    return (
        f"=== {received.isoformat(timespec='seconds')}\n"
        f"To: {message['To']}\nSubject: {message['Subject']}\n\n{body.rstrip()}\n\n"
    )


class LogHandler:
    """The aiosmtpd handler: each message's entry is appended to `log` as it arrives."""

    def __init__(self, log: Path) -> None:
        self.log = log
        self._lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)  # noqa: S101 - policy.default makes one
        with self._lock, self.log.open("a", encoding="utf-8") as out:
            out.write(entry(message, dt.datetime.now(dt.UTC)))
        return "250 Message accepted"


def serve(host: str, port: int, log: Path) -> None:
    """Run until interrupted (Ctrl-C or SIGTERM)."""
    import logging
    import signal

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's chatter
    log.parent.mkdir(parents=True, exist_ok=True)
    log.touch()
    controller = Controller(LogHandler(log), hostname=host, port=port)
    controller.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()
