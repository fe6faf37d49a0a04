from piccolo.columns import Integer, Serial, Text, Timestamptz, Varchar
from piccolo.table import Table


class OutboxEmail(Table):
    """One email to send. A worker claims it with a conditional UPDATE before sending."""

    id = Serial(primary_key=True)
    # What the email is for ("invite:17"): the same key is never queued twice.
    key = Varchar(length=120, unique=True)
    to_address = Varchar(length=254)
    subject = Varchar(length=200)
    # Cleared once sent: an invite's link must not outlive its delivery here.
    body = Text(default="")
    # An HTML alternative of the body (empty: plain text only); cleared with the body.
    html = Text(default="")
    created_at = Timestamptz()
    claimed_at = Timestamptz(null=True, default=None)
    attempts = Integer(default=0)
    sent_at = Timestamptz(null=True, default=None)
    failed_at = Timestamptz(null=True, default=None)
    last_error = Varchar(length=200, default="")
