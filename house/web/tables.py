from piccolo.columns import ForeignKey, Serial, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from house.accounts.tables import User


class FormSubmission(Table):
    """A one-time form token that was used, and where its first submission led."""

    id = Serial(primary_key=True)
    token_hash = Varchar(length=64, unique=True)
    result_url = Varchar(length=300)
    created_at = Timestamptz()


class KeptForm(Table):
    """A form sent after its person's session ended, kept (sealed) until they sign in again
    on that browser, for a short time (house/web/kept.py)."""

    id = Serial(primary_key=True)
    # SHA-256 of the random token in the browser's cookie; the token is also the key.
    token_hash = Varchar(length=64, unique=True)
    user = ForeignKey(User, null=False, on_delete=OnDelete.cascade)
    page = Varchar(length=300)  # where the form was, to go back to
    action = Varchar(length=300)  # where it was sent
    sealed = Text()  # AES-GCM of the fields, under a key only the cookie's token gives
    created_at = Timestamptz(index=True)
