from piccolo.columns import ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from house.accounts.tables import User
from house.houses.tables import House
from house.residents.tables import Resident


class RuleSet(Table):
    """One version of a house's rules. Editing publishes a new version; old ones stay."""

    id = Serial(primary_key=True)
    house = ForeignKey(House, null=False, on_delete=OnDelete.restrict)
    version = Integer()  # 1, 2, 3 ... per house (unique with the house, in the migration)
    created_at = Timestamptz()
    created_by = ForeignKey(User, null=False, on_delete=OnDelete.restrict)
    note = Varchar(length=200, default="")


class Rule(Table):
    id = Serial(primary_key=True)
    rule_set = ForeignKey(RuleSet, null=False, on_delete=OnDelete.restrict)
    number = Integer()
    text = Text()
    category = Varchar(length=60, default="")
    consequence = Varchar(length=200, default="")


class RuleSignature(Table):
    """A resident read a version and typed their name to sign it."""

    id = Serial(primary_key=True)
    rule_set = ForeignKey(RuleSet, null=False, on_delete=OnDelete.restrict)
    resident = ForeignKey(Resident, null=False, on_delete=OnDelete.restrict)
    user = ForeignKey(User, null=False, on_delete=OnDelete.restrict)
    name_typed = Varchar(length=120)
    signed_at = Timestamptz()
