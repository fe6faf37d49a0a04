from enum import StrEnum

from piccolo.columns import Boolean, ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from house.houses.tables import House


class User(Table, tablename="app_user"):
    id = Serial(primary_key=True)

    class Role(StrEnum):
        admin = "admin"
        manager = "manager"
        resident = "resident"
        case_manager = "case_manager"

    email = Varchar(length=254, unique=True)  # stored lower-cased
    name = Varchar(length=120)
    role = Varchar(length=20, choices=Role)
    # Empty until the person accepts their invite and chooses a password.
    password_hash = Varchar(length=255, default="")
    is_active = Boolean(default=True)
    created_at = Timestamptz()
    last_login_at = Timestamptz(null=True, default=None)
    # Bumped by every admin edit; a stale form is refused instead of overwriting.
    version = Integer(default=1)
    updated_at = Timestamptz(null=True, default=None)
    updated_by: ForeignKey["User"] = ForeignKey(
        "self", null=True, default=None, on_delete=OnDelete.restrict
    )


class HouseMembership(Table):
    """A manager works in the house; a resident lives there (until stays arrive)."""

    id = Serial(primary_key=True)
    user = ForeignKey(User, null=False, on_delete=OnDelete.restrict)
    house = ForeignKey(House, null=False, on_delete=OnDelete.restrict)
    created_at = Timestamptz()


class Session(Table):
    """A browser's session. The cookie holds a token; only its hash is stored."""

    id = Serial(primary_key=True)
    key_hash = Varchar(length=64, unique=True)
    user = ForeignKey(User, null=True, default=None, on_delete=OnDelete.cascade)
    data = Text(default="{}")
    created_at = Timestamptz()
    authenticated_at = Timestamptz(null=True, default=None)
    last_seen_at = Timestamptz()


class Invite(Table):
    """A one-time link that lets a new user choose a password, valid for 24 hours."""

    id = Serial(primary_key=True)
    user = ForeignKey(User, null=False, on_delete=OnDelete.restrict)
    token_hash = Varchar(length=64, unique=True)
    created_by = ForeignKey(User, null=False, on_delete=OnDelete.restrict)
    created_at = Timestamptz()
    expires_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None)


class LoginFailure(Table):
    """One failed password check; the throttle (accounts/throttle.py) counts them per
    account, per client address and per known device."""

    id = Serial(primary_key=True)
    # sha256 of the normalised email: throttles unknown addresses too without storing them.
    account_key = Varchar(length=64, index=True)
    at = Timestamptz(index=True)
    # A keyed hash of the client's address (IPv6 by /64): the limit across accounts.
    address_key = Varchar(length=64, default="", index=True)
    # The known-device id when the browser had signed in as this account before, else "".
    device = Varchar(length=32, default="")
