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
    # Random drug screens (off until a manager turns them on): how many a day, as a count
    # ("count") or a percentage of current residents ("share"); when the day's list is
    # drawn ("HH:MM", house time); at most this many selections per resident per week
    # (Monday-Sunday); nobody screened in the last N hours is drawn.
    random_enabled = Boolean(default=False)
    random_rate_kind = Varchar(length=10, default="count")
    random_rate = Integer(default=2)
    random_draw_time = Varchar(length=5, default="06:00")
    random_weekly_cap = Integer(default=2)
    random_exclusion_hours = Integer(default=48)
    # Contingency management: "" (off), "vouchers" or "prizes". Amounts in cents.
    cm_schedule = Varchar(length=10, default="")
    cm_voucher_start = Integer(default=250)
    cm_voucher_step = Integer(default=150)
    cm_voucher_max = Integer(default=3000)
    cm_bonus_every = Integer(default=3)  # 0: no bonus
    cm_bonus = Integer(default=1000)
    cm_draws_max = Integer(default=8)
    # The prize bowl, per 1,000 slips (they add up to 1,000), and each prize's value.
    cm_bowl_good_job = Integer(default=500)
    cm_bowl_small = Integer(default=418)
    cm_bowl_large = Integer(default=80)
    cm_bowl_jumbo = Integer(default=2)
    cm_prize_small = Integer(default=100)
    cm_prize_large = Integer(default=2000)
    cm_prize_jumbo = Integer(default=10000)
    # Verified outside meetings earn too: this much (vouchers) or one draw (prizes).
    cm_meetings_earn = Boolean(default=False)
    cm_meeting_amount = Integer(default=100)
    # Alerts: a resident drawn for a random screen and not screened by this time ("HH:MM");
    # chores missed in a week before anyone is told; the weekday (ISO) from which outside
    # meetings behind the requirement are flagged; days a bed may stay free while people
    # wait; minutes before an unacknowledged critical alert also goes to the admins.
    alert_random_cutoff = Varchar(length=5, default="20:00")
    alert_chores_missed = Integer(default=2)
    alert_meetings_weekday = Integer(default=5)
    alert_bed_free_days = Integer(default=3)
    alert_escalate_minutes = Integer(default=60)
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
