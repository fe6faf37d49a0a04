from enum import StrEnum

from piccolo.columns import Boolean, Date, ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from house.accounts.tables import User
from house.houses.tables import House
from house.residents.tables import Resident, Stay


class Chore(Table):
    class Frequency(StrEnum):
        daily = "daily"
        weekdays = "weekdays"  # some days of the week, listed in `weekdays`
        weekly = "weekly"  # once a week, on the first day listed in `weekdays`

    id = Serial(primary_key=True)
    house = ForeignKey(House, null=False, on_delete=OnDelete.restrict)
    name = Varchar(length=80)
    area = Varchar(length=80, default="")
    instructions = Text(default="")
    frequency = Varchar(length=10, choices=Frequency, default=Frequency.daily)
    # ISO weekday numbers 1 (Monday) to 7 (Sunday), comma separated, e.g. "1,3,5".
    weekdays = Varchar(length=20, default="")
    # Effort of one occurrence, 1 (light) to 5 (heavy); the rotation balances the sum.
    weight = Integer(default=1)
    active = Boolean(default=True)
    created_at = Timestamptz()


class ChoreRotation(Table):
    """One house's rotation for one week (Monday to Sunday): unique per house and week."""

    id = Serial(primary_key=True)
    house = ForeignKey(House, null=False, on_delete=OnDelete.restrict)
    week_start = Date()  # a Monday
    seed = Integer()
    generated_at = Timestamptz()
    # None when the weekly job generated it.
    generated_by = ForeignKey(User, null=True, default=None, on_delete=OnDelete.restrict)


class ChoreAssignment(Table):
    """One occurrence of a chore on a day, given to one resident:
    pending -> done -> verified (or sent back, which is pending again); missed at the end of
    its day; excused by a manager with a reason."""

    class Status(StrEnum):
        pending = "pending"
        done = "done"
        verified = "verified"
        sent_back = "sent_back"
        missed = "missed"
        excused = "excused"

    id = Serial(primary_key=True)
    rotation = ForeignKey(ChoreRotation, null=False, on_delete=OnDelete.restrict)
    house = ForeignKey(House, null=False, on_delete=OnDelete.restrict)
    chore = ForeignKey(Chore, null=False, on_delete=OnDelete.restrict)
    resident = ForeignKey(Resident, null=False, on_delete=OnDelete.restrict)
    stay = ForeignKey(Stay, null=False, on_delete=OnDelete.restrict)
    day = Date()
    weight = Integer(default=1)  # the chore's weight when the rotation was made
    status = Varchar(length=10, choices=Status, default=Status.pending)
    note = Varchar(length=300, default="")  # why it was sent back or excused
    done_at = Timestamptz(null=True, default=None)
    checked_at = Timestamptz(null=True, default=None)
    checked_by = ForeignKey(User, null=True, default=None, on_delete=OnDelete.restrict)
    version = Integer(default=1)
