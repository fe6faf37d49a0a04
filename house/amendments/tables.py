from piccolo.columns import ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from house.accounts.tables import User


class Amendment(Table):
    """One corrected field of one record: the old value, the new, who, when and why."""

    id = Serial(primary_key=True)
    table_name = Varchar(length=60)
    record_id = Integer()
    field = Varchar(length=60)
    old_value = Text(default="")
    new_value = Text(default="")
    reason = Text()
    actor = ForeignKey(User, null=False, on_delete=OnDelete.restrict)
    at = Timestamptz()
