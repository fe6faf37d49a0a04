from enum import StrEnum

from piccolo.columns import Integer, Serial, Text, Timestamptz, Varchar
from piccolo.table import Table


class OutboxEmail(Table):
    """One email to send: every email house sends is one of these rows (invites, alerts,
    digests, weekly summaries). A worker claims it with a conditional UPDATE before sending."""

    class Status(StrEnum):
        pending = "pending"  # to send now, or at next_attempt_at (a retry's backoff)
        # Being handed to the mail server (the last line of DATA), or left so by a worker
        # that stopped then, or no answer came back: it may have arrived, so it is never
        # sent again ("unconfirmed" once it is no longer being handed over).
        sending = "sending"
        sent = "sent"
        failed = "failed"  # refused for good, or the tries ran out: counted for admins
        cancelled = "cancelled"  # no longer news before it went out (an alert handled)

    id = Serial(primary_key=True)
    # What the email is for ("invite:17", "alert:42"): the same key is never queued twice.
    key = Varchar(length=120, unique=True)
    to_address = Varchar(length=254)
    subject = Varchar(length=200)
    # Cleared once sent: an invite's link must not outlive its delivery here.
    body = Text(default="")
    # An HTML alternative of the body (empty: plain text only); cleared with the body.
    html = Text(default="")
    status = Varchar(length=10, choices=Status, default=Status.pending)
    created_at = Timestamptz()
    next_attempt_at = Timestamptz(null=True, default=None)
    claimed_at = Timestamptz(null=True, default=None)
    attempts = Integer(default=0)
    sent_at = Timestamptz(null=True, default=None)
    failed_at = Timestamptz(null=True, default=None)
    last_error = Varchar(length=200, default="")
