"""The one name rule: how a person is named on every page and in every email.

1. A resident is named by the name they go by (`Resident.preferred_name`, "Jordan"), the same
   to everyone: on the bed board and every staff page, to housemates, in the weekly summary,
   and to themselves (the top bar, "Hello, Jordan", their invite email). Their legal name
   ("Jordan Avery Miles") appears only where the record needs it: their details (staff), a
   search by name, and the full name they type to sign the house rules.
2. Staff and case managers are named by the name on their account ("Morgan Maple").
3. Pages about a resident read `Resident.preferred_name`; the top bar, emails and "by ..."
   lines read the account's name. So a resident's account carries the name they go by, and
   the two are kept in step here: linking an account (`name_account`), changing what they
   go by on their page (`name_account`), or renaming their account on People
   (`account_saved`, which changes what they go by, as a correction with the reason).
"""

from __future__ import annotations

import datetime as dt

from house.accounts.tables import User
from house.amendments.services import record_amendments
from house.residents.tables import Resident

GOES_BY_LENGTH = 60  # Resident.preferred_name


async def name_account(resident_id: int) -> None:
    """Give the resident's account (if any) the name they go by (in the caller's
    transaction)."""
    row = (
        await Resident.select(Resident.user, Resident.preferred_name)
        .where(Resident.id == resident_id)
        .first()
    )
    if row and row["user"] is not None:
        await User.update({User.name: row["preferred_name"]}).where(User.id == row["user"])


async def account_saved(user_id: int, now: dt.datetime) -> None:
    """Listener of "account_saved" (an admin saved the account on People): if it is a
    resident's and its name changed, that is now the name they go by, kept as a correction
    by whoever saved it."""
    account = await User.select(User.name, User.updated_by).where(User.id == user_id).first()
    resident = (
        await Resident.select(Resident.id, Resident.preferred_name)
        .where(Resident.user == user_id)
        .first()
    )
    if account is None or resident is None:
        return
    goes_by = account["name"][:GOES_BY_LENGTH].strip()
    if goes_by == resident["preferred_name"]:
        return
    await record_amendments(
        table_name="resident",
        record_id=resident["id"],
        before={"preferred_name": resident["preferred_name"]},
        changed={"preferred_name": goes_by},
        reason="renamed on their account (People)",
        actor_id=account["updated_by"],
        now=now,
    )
    await Resident.update(
        {Resident.preferred_name: goes_by, Resident.version: Resident.version + 1}
    ).where(Resident.id == resident["id"])
    if goes_by != account["name"]:
        await User.update({User.name: goes_by}).where(User.id == user_id)
