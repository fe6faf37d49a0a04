from piccolo.columns import Serial, Text, Timestamptz, Varchar
from piccolo.table import Table


class House(Table):
    id = Serial(primary_key=True)
    name = Varchar(length=120, unique=True)
    address = Text(default="")
    # An IANA zone name; every time shown for this house is rendered in it.
    timezone = Varchar(length=64, default="America/New_York")
    created_at = Timestamptz()
