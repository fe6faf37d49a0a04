from enum import StrEnum

from piccolo.columns import Date, ForeignKey, Integer, Serial, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from house.accounts.tables import User
from house.houses.tables import House
from house.meetings.tables import OutsideMeeting
from house.residents.tables import Resident, Stay
from house.screens.tables import Screen


class CmEntry(Table):
    """One line of a resident's contingency-management ledger. Append-only: an earning for a
    screen or a verified meeting (one per screen, one per meeting: partial unique indexes),
    a reset of the streak, or a redemption recorded by a manager (a negative amount)."""

    class Kind(StrEnum):
        earned = "earned"
        reset = "reset"
        redeemed = "redeemed"

    id = Serial(primary_key=True)
    house = ForeignKey(House, null=False, on_delete=OnDelete.restrict)
    resident = ForeignKey(Resident, null=False, on_delete=OnDelete.restrict)
    stay = ForeignKey(Stay, null=False, on_delete=OnDelete.restrict)
    kind = Varchar(length=10, choices=Kind)
    schedule = Varchar(length=10, default="")  # "vouchers" or "prizes", as it was then
    screen = ForeignKey(Screen, null=True, default=None, on_delete=OnDelete.restrict)
    outside_meeting = ForeignKey(
        OutsideMeeting, null=True, default=None, on_delete=OnDelete.restrict
    )
    # Cents; positive when earned, negative when redeemed, 0 for a reset.
    amount = Integer(default=0)
    streak = Integer(default=0)  # the consecutive success this earning was for
    draws = Integer(default=0)  # prize draws earned (prize schedule)
    # A screen earning's house day (the screen's collection date in the house's timezone);
    # None on every other entry. Unique per house and resident: two screens of one day,
    # even recorded at the same moment on two phones, earn once.
    earned_on = Date(null=True, default=None)
    description = Varchar(length=200, default="")
    created_at = Timestamptz()
    created_by = ForeignKey(User, null=True, default=None, on_delete=OnDelete.restrict)


class CmPrizeDraw(Table):
    """One draw from the prize bowl. The server draws, the roll is stored, and the draw is
    unique per ledger entry and number: it cannot be re-rolled."""

    class Prize(StrEnum):
        good_job = "good_job"
        small = "small"
        large = "large"
        jumbo = "jumbo"

    id = Serial(primary_key=True)
    entry = ForeignKey(CmEntry, null=False, on_delete=OnDelete.restrict)
    number = Integer()  # 1 .. entry.draws
    roll = Integer()  # 0 .. 999, from the operating system's randomness
    prize = Varchar(length=10, choices=Prize)
    value = Integer(default=0)  # cents
    drawn_at = Timestamptz()
