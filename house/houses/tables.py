from enum import StrEnum

from piccolo.columns import Boolean, ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.reference import LazyTableReference
from piccolo.table import Table

DEFAULT_LADDER = "\n".join(
    [
        "Warning",
        "Extra chore",
        "Curfew restriction",
        "Loss of pass",
        "Fine",
        "Behaviour contract",
        "Phase step-back",
        "Discharge review",
    ]
)


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
    # House-life settings.
    # Admission to a bed needs the person's signature on the current rules.
    require_signed_rules = Boolean(default=False)
    # The consequences a violation can carry, one per line, mildest first.
    consequence_ladder = Text(default=DEFAULT_LADDER)
    # The weekly chore rotation for the next week is made on this ISO weekday (1 Monday ..
    # 7 Sunday) at this hour, house time.
    chore_rotation_day = Integer(default=7)
    chore_rotation_hour = Integer(default=18)
    # The weekly house meeting: ISO weekday and "HH:MM", house time.
    meeting_day = Integer(default=7)
    meeting_time = Varchar(length=5, default="19:00")
    # Verified outside recovery meetings required a week.
    outside_meetings_required = Integer(default=3)
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
