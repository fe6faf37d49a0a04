from piccolo.columns import ForeignKey, Serial, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from house.houses.tables import House


class AlertEvent(Table):
    """The outbox of immediate rules: written in the same transaction as the change (a screen
    recorded, an appeal sent); the web app enqueues it best-effort and the sweep processes
    whatever is left, so an outage only delays it."""

    id = Serial(primary_key=True)
    kind = Varchar(length=40)
    record = Varchar(length=80)
    house = ForeignKey(House, null=False, on_delete=OnDelete.restrict)
    created_at = Timestamptz()
    processed_at = Timestamptz(null=True, default=None)
