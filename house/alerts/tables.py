from enum import StrEnum
from typing import Any

from piccolo.columns import Date, ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.reference import LazyTableReference
from piccolo.table import Table

# The engine names the people and houses its rows point at without importing their
# concepts' modules (a lazy reference, resolved by Piccolo when the tables are used).
House = LazyTableReference("House", module_path="house.houses.tables")
Resident = LazyTableReference("Resident", module_path="house.residents.tables")
User = LazyTableReference("User", module_path="house.accounts.tables")


class Alert(Table):
    """Something that needs a person, derived from the data. The key (rule, subject,
    period) is unique, so a rule that matches again raises nothing new."""

    class Severity(StrEnum):
        critical = "critical"  # a positive, a refusal, a missed random screen
        attention = "attention"
        celebrate = "celebrate"  # milestones

    id = Serial(primary_key=True)
    key = Varchar(length=200, unique=True)  # e.g. "screen_positive:screen:17"
    kind = Varchar(length=40)  # the rule's name
    severity = Varchar(length=12, choices=Severity, default=Severity.attention)
    house: ForeignKey[Any] = ForeignKey(House, null=False, on_delete=OnDelete.restrict)
    resident: ForeignKey[Any] = ForeignKey(
        Resident, null=True, default=None, on_delete=OnDelete.restrict
    )
    record = Varchar(length=80, default="")  # what it is about, e.g. "screen:17"
    # Shown behind login only (inbox); emails never carry it.
    summary = Varchar(length=200)
    created_at = Timestamptz()
    acknowledged_at = Timestamptz(null=True, default=None)
    acknowledged_by: ForeignKey[Any] = ForeignKey(
        User, null=True, default=None, on_delete=OnDelete.restrict
    )
    resolved_at = Timestamptz(null=True, default=None)
    resolved_by: ForeignKey[Any] = ForeignKey(
        User, null=True, default=None, on_delete=OnDelete.restrict
    )
    resolution_note = Text(default="")
    escalated_at = Timestamptz(null=True, default=None)


class Delivery(Table):
    """One alert to one person on one channel (unique), written before anything is sent.
    An email row that goes out on its own is handed to the outbox as the email keyed
    `alert:{id}` (house.outbox sends it, retries it and counts what failed)."""

    class Channel(StrEnum):
        inbox = "inbox"
        email = "email"

    class Status(StrEnum):
        sent = "sent"  # inbox rows are "sent" when written
        queued = "queued"  # an email in the outbox: its own (alert:{id}) or a digest's
        held = "held"  # waits for the daily digest or the end of quiet hours (held_until)
        off = "off"  # the person turned this kind off, or it was handled before it was sent

    id = Serial(primary_key=True)
    alert = ForeignKey(Alert, null=False, on_delete=OnDelete.restrict)
    user: ForeignKey[Any] = ForeignKey(User, null=False, on_delete=OnDelete.restrict)
    channel = Varchar(length=10, choices=Channel)
    status = Varchar(length=10, choices=Status, default=Status.queued)
    held_until = Timestamptz(null=True, default=None)  # the end of quiet hours
    sent_at = Timestamptz(null=True, default=None)  # written to the inbox, or queued
    read_at = Timestamptz(null=True, default=None)  # inbox rows
    last_error = Varchar(length=200, default="")  # why an email was dropped
    created_at = Timestamptz()


class AlertPreference(Table):
    """How a person wants one kind of alert: immediately, in the daily digest, or off
    (unique per person and kind; no row means the kind's default)."""

    class Mode(StrEnum):
        immediate = "immediate"
        digest = "digest"
        off = "off"

    id = Serial(primary_key=True)
    user: ForeignKey[Any] = ForeignKey(User, null=False, on_delete=OnDelete.restrict)
    kind = Varchar(length=40)
    mode = Varchar(length=10, choices=Mode)


class AlertProfile(Table):
    """A person's digest hour and quiet hours (unique per person; no row means the
    defaults), in `timezone` (empty: their first house's)."""

    id = Serial(primary_key=True)
    user: ForeignKey[Any] = ForeignKey(User, null=False, unique=True, on_delete=OnDelete.restrict)
    digest_hour = Integer(default=7)
    quiet_from = Varchar(length=5, default="")  # "HH:MM", empty for none
    quiet_to = Varchar(length=5, default="")
    timezone = Varchar(length=64, default="")
    digest_sent_on = Date(null=True, default=None)
