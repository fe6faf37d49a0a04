from enum import StrEnum

from piccolo.columns import ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from house.accounts.tables import User
from house.houses.tables import House
from house.residents.tables import Resident, Stay
from house.rules.tables import Rule


class Violation(Table):
    """A house rule broken, as a manager recorded it. Never deleted: corrections are
    amendments, and a resident's appeal may change or withdraw it."""

    class Severity(StrEnum):
        minor = "minor"
        major = "major"
        zero_tolerance = "zero_tolerance"

    class Status(StrEnum):
        open = "open"
        resolved = "resolved"

    id = Serial(primary_key=True)
    house = ForeignKey(House, null=False, on_delete=OnDelete.restrict)
    stay = ForeignKey(Stay, null=False, on_delete=OnDelete.restrict)
    resident = ForeignKey(Resident, null=False, on_delete=OnDelete.restrict)
    rule = ForeignKey(Rule, null=False, on_delete=OnDelete.restrict)
    occurred_at = Timestamptz()
    location = Varchar(length=120, default="")
    description = Text()
    severity = Varchar(length=20, choices=Severity)
    # One step of the house's consequence ladder (a house setting), as it read then.
    consequence = Varchar(length=80)
    status = Varchar(length=10, choices=Status, default=Status.open)
    recorded_by = ForeignKey(User, null=False, on_delete=OnDelete.restrict)
    recorded_at = Timestamptz()
    resolved_at = Timestamptz(null=True, default=None)
    resolved_by = ForeignKey(User, null=True, default=None, on_delete=OnDelete.restrict)
    version = Integer(default=1)  # a correction names the version it saw (amend's check)


class Appeal(Table):
    """A resident's written appeal of one of their violations. It goes to the admins and is
    hidden from the manager who recorded the violation."""

    class Decision(StrEnum):
        pending = "pending"
        upheld = "upheld"
        changed = "changed"
        withdrawn = "withdrawn"

    id = Serial(primary_key=True)
    # One appeal per violation (unique).
    violation = ForeignKey(Violation, null=False, unique=True, on_delete=OnDelete.restrict)
    statement = Text()
    submitted_by = ForeignKey(User, null=False, on_delete=OnDelete.restrict)
    submitted_at = Timestamptz()
    decision = Varchar(length=10, choices=Decision, default=Decision.pending)
    decision_reason = Text(default="")
    decided_by = ForeignKey(User, null=True, default=None, on_delete=OnDelete.restrict)
    decided_at = Timestamptz(null=True, default=None)
