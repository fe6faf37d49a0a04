"""Data of the one email path (after the schema step before it).

- An outbox row's status, from its timestamps: failed; sent (body cleared); "sending" when
  it was handed over with no answer, or a worker stopped during the hand-over (unconfirmed:
  never sent again); else pending.
- An alert email row still waiting to be sent becomes held until now: the next minute's
  release puts it in the outbox (rendered then). Rows the old engine sent, failed or left
  unconfirmed become queued: their history stays on the row (sent_at, last_error); the
  outbox has no row for them.
"""

import datetime as dt

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns import Text, Timestamptz, Varchar
from piccolo.table import Table

ID = "2026-12-02T02:27:18:000000"
VERSION = "1.38.0"
DESCRIPTION = "one email path: the status of outbox rows and of alert emails in flight"


class OutboxEmail(Table, tablename="outbox_email"):
    status = Varchar(length=10)
    body = Text()
    last_error = Varchar(length=200)
    sent_at = Timestamptz(null=True)
    failed_at = Timestamptz(null=True)


class Delivery(Table, tablename="delivery"):
    channel = Varchar(length=10)
    status = Varchar(length=10)
    held_until = Timestamptz(null=True)


async def _forwards() -> None:
    now = dt.datetime.now(dt.UTC)
    await OutboxEmail.update({OutboxEmail.status: "failed"}).where(
        OutboxEmail.failed_at.is_not_null()
    )
    handed_over = OutboxEmail.failed_at.is_null() & OutboxEmail.sent_at.is_not_null()
    await OutboxEmail.update({OutboxEmail.status: "sent"}).where(
        handed_over & (OutboxEmail.body == "") & (OutboxEmail.last_error == "")
    )
    await OutboxEmail.update({OutboxEmail.status: "sending"}).where(
        handed_over & ((OutboxEmail.body != "") | (OutboxEmail.last_error != ""))
    )
    email = Delivery.channel == "email"
    await Delivery.update({Delivery.status: "held", Delivery.held_until: now}).where(
        email & (Delivery.status == "pending") & Delivery.held_until.is_null()
    )
    await Delivery.update({Delivery.status: "held"}).where(
        email & (Delivery.status == "pending")
    )
    await Delivery.update({Delivery.status: "queued"}).where(
        email & Delivery.status.is_in(["sending", "sent", "failed"])
    )


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="house", description=DESCRIPTION)
    manager.add_raw(_forwards)
    return manager
