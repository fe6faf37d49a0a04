from piccolo.columns import Serial, Timestamptz, Varchar
from piccolo.table import Table


class WorkerHeartbeat(Table):
    """The last time each worker process ran its heartbeat job."""

    id = Serial(primary_key=True)
    worker = Varchar(length=120, unique=True)
    seen_at = Timestamptz()
