"""Demo data for a laptop: two houses and one person in each role, with printed logins.

Never loaded when HOUSE_ENV=production; loaded once (a second run changes nothing).
"""

from __future__ import annotations

import datetime as dt

from house.accounts.passwords import hash_password
from house.accounts.tables import HouseMembership, User
from house.audit.services import record_access
from house.db import write_transaction
from house.houses.tables import House

DEMO_PASSWORD = "house-demo-2026"  # noqa: S105 - the demo's published password
HOUSES = [
    ("Maple House", "12 Maple Street, Springfield", "America/Chicago"),
    ("Cedar House", "48 Cedar Avenue, Springfield", "America/Chicago"),
]
# (email, name, role, house index or None)
PEOPLE = [
    ("admin@demo.house", "Alex Admin", User.Role.admin, None),
    ("maple.manager@demo.house", "Morgan Maple", User.Role.manager, 0),
    ("cedar.manager@demo.house", "Casey Cedar", User.Role.manager, 1),
    ("jordan@demo.house", "Jordan Resident", User.Role.resident, 0),
    ("riley@demo.house", "Riley Resident", User.Role.resident, 0),
    ("sam@demo.house", "Sam Resident", User.Role.resident, 1),
    ("case.manager@demo.house", "Taylor Casework", User.Role.case_manager, None),
]


async def load_demo(now: dt.datetime) -> list[tuple[str, str]]:
    """Create the demo data unless it exists. Returns (email, role) of the demo logins."""
    logins = [(email, str(role)) for email, _, role, _ in PEOPLE]
    if await User.exists().where(User.email == PEOPLE[0][0]):
        return logins
    password_hash = hash_password(DEMO_PASSWORD)
    async with write_transaction():
        house_ids = []
        for name, address, timezone in HOUSES:
            rows = await House.insert(
                House(name=name, address=address, timezone=timezone, created_at=now)
            ).returning(House.id)
            house_ids.append(rows[0]["id"])
        for email, name, role, house_index in PEOPLE:
            rows = await User.insert(
                User(email=email, name=name, role=role, password_hash=password_hash, created_at=now)
            ).returning(User.id)
            if house_index is not None:
                await HouseMembership.insert(
                    HouseMembership(
                        user=rows[0]["id"], house=house_ids[house_index], created_at=now
                    )
                )
        await record_access(actor_id=None, action="demo_loaded", at=now, detail="demo data")
    return logins
