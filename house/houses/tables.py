from piccolo.columns import Text, Timestamptz, Varchar
from piccolo.table import Table


class House(Table):
    name = Varchar(length=120, unique=True)
    address = Text(default="")
    # An IANA zone name; every time shown for this house is rendered in it.
    timezone = Varchar(length=64, default="America/New_York")
    created_at = Timestamptz()
