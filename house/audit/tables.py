from piccolo.columns import ForeignKey, Serial, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from house.accounts.tables import User


class AuditEvent(Table):
    """Append-only: the database refuses UPDATE and DELETE (see the migration's triggers)."""

    id = Serial(primary_key=True)
    at = Timestamptz()
    actor = ForeignKey(User, null=True, default=None, on_delete=OnDelete.restrict)
    action = Varchar(length=64)
    # The person the record is about (a resident), when there is one.
    subject = ForeignKey(User, null=True, default=None, on_delete=OnDelete.restrict)
    record = Varchar(length=120, default="")
    request_id = Varchar(length=36, default="")
    # A short, non-clinical note (never a result value, never free text a person typed).
    detail = Varchar(length=255, default="")
    prev_hash = Varchar(length=64)
    hash = Varchar(length=64, unique=True)
