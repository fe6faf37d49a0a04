from enum import StrEnum

from piccolo.columns import Date, ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from house.accounts.tables import User
from house.houses.tables import House


class Resident(Table):
    """A person. Their episodes in the program are stays."""

    id = Serial(primary_key=True)
    legal_name = Varchar(length=120)
    preferred_name = Varchar(length=60)
    date_of_birth = Date(null=True, default=None)
    phone = Varchar(length=40, default="")
    email = Varchar(length=254, default="")
    sobriety_date = Date(null=True, default=None)
    referral_source = Varchar(length=120, default="")
    notes = Text(default="")
    # Their sign-in, once invited (unique: one account per person).
    user = ForeignKey(User, null=True, default=None, unique=True, on_delete=OnDelete.restrict)
    created_at = Timestamptz()
    created_by = ForeignKey(User, null=False, on_delete=OnDelete.restrict)
    version = Integer(default=1)
    updated_at = Timestamptz(null=True, default=None)
    updated_by = ForeignKey(User, null=True, default=None, on_delete=OnDelete.restrict)


class EmergencyContact(Table):
    id = Serial(primary_key=True)
    resident = ForeignKey(Resident, null=False, on_delete=OnDelete.restrict)
    name = Varchar(length=120)
    relation = Varchar(length=60, default="")
    phone = Varchar(length=40)
    created_at = Timestamptz()


class Stay(Table):
    """One episode in the program: waitlist -> active -> exited (with a reason)."""

    class Status(StrEnum):
        waitlist = "waitlist"
        active = "active"
        exited = "exited"

    class ExitReason(StrEnum):
        graduated = "graduated"
        completed = "completed"
        higher_care = "higher_care"
        left_voluntarily = "left_voluntarily"
        left_without_notice = "left_without_notice"
        discharged_violation = "discharged_violation"
        discharged_use = "discharged_use"
        other = "other"

    id = Serial(primary_key=True)
    resident = ForeignKey(Resident, null=False, on_delete=OnDelete.restrict)
    house = ForeignKey(House, null=False, on_delete=OnDelete.restrict)
    status = Varchar(length=20, choices=Status, default=Status.waitlist)
    applied_on = Date()
    requested_move_in = Date(null=True, default=None)
    # 1 is the most urgent; the waitlist is ordered by priority, then by date applied.
    priority = Integer(default=3)
    referral_source = Varchar(length=120, default="")
    notes = Text(default="")
    admitted_on = Date(null=True, default=None)
    exited_on = Date(null=True, default=None)
    exit_reason = Varchar(length=30, choices=ExitReason, null=True, default=None)
    exit_note = Text(default="")
    created_at = Timestamptz()
    created_by = ForeignKey(User, null=False, on_delete=OnDelete.restrict)
    version = Integer(default=1)
