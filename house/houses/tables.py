from enum import StrEnum

from piccolo.columns import ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.reference import LazyTableReference
from piccolo.table import Table


class House(Table):
    class Kind(StrEnum):
        men = "men"
        women = "women"
        coed = "coed"

    id = Serial(primary_key=True)
    name = Varchar(length=120, unique=True)
    address = Text(default="")
    # An IANA zone name; every time shown for this house is rendered in it.
    timezone = Varchar(length=64, default="America/New_York")
    kind = Varchar(length=10, choices=Kind, default=Kind.coed)
    # NARR (National Alliance for Recovery Residences) level, 1 to 4.
    narr_level = Integer(default=2)
    # "HH:MM" in the house's timezone, or empty for no curfew.
    curfew = Varchar(length=5, default="")
    phone = Varchar(length=40, default="")
    notes = Text(default="")
    created_at = Timestamptz()
    version = Integer(default=1)
    updated_at = Timestamptz(null=True, default=None)
    # A string reference: accounts.tables imports this module.
    updated_by: ForeignKey[Table] = ForeignKey(
        LazyTableReference("User", module_path="house.accounts.tables"),
        null=True,
        default=None,
        on_delete=OnDelete.restrict,
    )
