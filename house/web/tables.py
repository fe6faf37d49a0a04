from piccolo.columns import Serial, Timestamptz, Varchar
from piccolo.table import Table


class FormSubmission(Table):
    """A one-time form token that was used, and where its first submission led."""

    id = Serial(primary_key=True)
    token_hash = Varchar(length=64, unique=True)
    result_url = Varchar(length=300)
    created_at = Timestamptz()
