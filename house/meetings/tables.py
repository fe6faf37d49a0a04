from enum import StrEnum

from piccolo.columns import ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from house.accounts.tables import User
from house.houses.tables import House
from house.residents.tables import Resident, Stay


class HouseMeeting(Table):
    class Kind(StrEnum):
        weekly = "weekly"
        ad_hoc = "ad_hoc"

    id = Serial(primary_key=True)
    house = ForeignKey(House, null=False, on_delete=OnDelete.restrict)
    kind = Varchar(length=10, choices=Kind, default=Kind.weekly)
    # Unique with the house: the weekly job and a manager cannot both schedule it.
    starts_at = Timestamptz()
    title = Varchar(length=120, default="House meeting")
    minutes = Text(default="")
    roll_taken_at = Timestamptz(null=True, default=None)
    roll_taken_by = ForeignKey(User, null=True, default=None, on_delete=OnDelete.restrict)
    created_at = Timestamptz()
    version = Integer(default=1)


class Attendance(Table):
    """One resident at one house meeting (unique per meeting and resident)."""

    class Status(StrEnum):
        present = "present"
        late = "late"
        excused = "excused"
        absent = "absent"

    id = Serial(primary_key=True)
    meeting = ForeignKey(HouseMeeting, null=False, on_delete=OnDelete.restrict)
    resident = ForeignKey(Resident, null=False, on_delete=OnDelete.restrict)
    stay = ForeignKey(Stay, null=False, on_delete=OnDelete.restrict)
    status = Varchar(length=10, choices=Status)
    recorded_by = ForeignKey(User, null=False, on_delete=OnDelete.restrict)
    recorded_at = Timestamptz()


class OutsideMeeting(Table):
    """A recovery meeting outside the house that a resident logged; staff verify it (the
    "meeting slip"). Only verified meetings count toward the week."""

    class Fellowship(StrEnum):
        aa = "aa"
        na = "na"
        ca = "ca"
        smart = "smart"
        refuge = "refuge"
        celebrate = "celebrate"
        other = "other"

    class Format(StrEnum):
        in_person = "in_person"
        online = "online"

    class Status(StrEnum):
        pending = "pending"
        verified = "verified"
        rejected = "rejected"

    id = Serial(primary_key=True)
    house = ForeignKey(House, null=False, on_delete=OnDelete.restrict)
    stay = ForeignKey(Stay, null=False, on_delete=OnDelete.restrict)
    resident = ForeignKey(Resident, null=False, on_delete=OnDelete.restrict)
    held_at = Timestamptz()
    name = Varchar(length=120)
    fellowship = Varchar(length=10, choices=Fellowship)
    format = Varchar(length=10, choices=Format)
    location = Varchar(length=200, default="")
    chair_name = Varchar(length=120, default="")
    chair_phone = Varchar(length=40, default="")
    # A random file name under the upload directory (outside the web root), or "".
    photo = Varchar(length=80, default="")
    photo_type = Varchar(length=20, default="")
    status = Varchar(length=10, choices=Status, default=Status.pending)
    reject_reason = Varchar(length=300, default="")
    logged_by = ForeignKey(User, null=False, on_delete=OnDelete.restrict)
    logged_at = Timestamptz()
    reviewed_by = ForeignKey(User, null=True, default=None, on_delete=OnDelete.restrict)
    reviewed_at = Timestamptz(null=True, default=None)
