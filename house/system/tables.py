from piccolo.columns import Timestamptz, Varchar
from piccolo.table import Table


class WorkerHeartbeat(Table):
    """The last time each worker process ran its heartbeat job."""

    worker = Varchar(length=120, unique=True)
    seen_at = Timestamptz()
