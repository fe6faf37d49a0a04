from enum import StrEnum

from piccolo.columns import Date, ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from house.accounts.tables import User
from house.houses.tables import House
from house.residents.tables import Stay


class Room(Table):
    id = Serial(primary_key=True)
    house = ForeignKey(House, null=False, on_delete=OnDelete.restrict)
    label = Varchar(length=40)  # unique per house (index in the migration)
    created_at = Timestamptz()


class Bed(Table):
    """A bed. "Occupied" is not stored: it is having a current assignment."""

    class State(StrEnum):
        available = "available"
        reserved = "reserved"
        out_of_service = "out_of_service"

    id = Serial(primary_key=True)
    room = ForeignKey(Room, null=False, on_delete=OnDelete.restrict)
    # The room's house, kept here so every query can scope beds by house directly.
    house = ForeignKey(House, null=False, on_delete=OnDelete.restrict)
    label = Varchar(length=40)  # unique per room (index in the migration)
    state = Varchar(length=20, choices=State, default=State.available)
    out_of_service_reason = Varchar(length=200, default="")
    # Why a reserved bed is held (for whom, until when); empty in any other state.
    reserved_note = Varchar(length=200, default="")
    # Who last set the state by hand, and when (empty for a bed never changed by hand).
    state_changed_at = Timestamptz(null=True, default=None)
    state_changed_by = ForeignKey(User, null=True, default=None, on_delete=OnDelete.restrict)
    # When the bed last became free or changed state: "free for N days" counts from here.
    free_since = Timestamptz()
    created_at = Timestamptz()
    version = Integer(default=1)


class BedAssignment(Table):
    """A stay in a bed from a date to a date; `end_on` is empty while it is current.

    The bed is the stay's from `start_on` up to (not including) `end_on`. The database keeps
    one current assignment per bed and per stay, and (PostgreSQL) no overlapping ranges.
    """

    id = Serial(primary_key=True)
    bed = ForeignKey(Bed, null=False, on_delete=OnDelete.restrict)
    stay = ForeignKey(Stay, null=False, on_delete=OnDelete.restrict)
    house = ForeignKey(House, null=False, on_delete=OnDelete.restrict)
    start_on = Date()
    end_on = Date(null=True, default=None)
    created_at = Timestamptz()
    created_by = ForeignKey(User, null=False, on_delete=OnDelete.restrict)
    ended_at = Timestamptz(null=True, default=None)
    ended_by = ForeignKey(User, null=True, default=None, on_delete=OnDelete.restrict)
    note = Text(default="")
