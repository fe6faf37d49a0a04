"""Demo data for a laptop: two houses with rooms and beds, one person in each role, residents
living in beds, a waitlist and past stays, house rules in versions, with printed logins.

Never loaded when HOUSE_ENV=production; loaded once (a second run changes nothing).
"""

from __future__ import annotations

import datetime as dt

from house.accounts.passwords import hash_password
from house.accounts.tables import HouseMembership, User
from house.audit.services import record_access
from house.beds import demo as beds_demo
from house.chores import demo as chores_demo
from house.cm import demo as cm_demo
from house.db import write_transaction
from house.houses.tables import House
from house.meetings import demo as meetings_demo
from house.meetings.outside import demo as outside_demo
from house.screens import demo as screens_demo
from house.screens.random import demo as random_demo
from house.violations import demo as violations_demo

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
        users = {
            row["email"]: row["id"]
            for row in await User.select(User.id, User.email).where(
                User.email.is_in([p[0] for p in PEOPLE])
            )
        }
        await beds_demo.load(house_ids, users, now, admin=users[PEOPLE[0][0]])
        await _rules(house_ids, users, now)
        await violations_demo.load(house_ids, users, now)
        await chores_demo.load(house_ids, users, now)
        await meetings_demo.load(house_ids, users, now)
        await outside_demo.load(house_ids, users, now)
        await screens_demo.load(house_ids, users, now)
        await random_demo.load(house_ids, users, now)
        await cm_demo.load(house_ids, users, now)
        await record_access(actor_id=None, action="demo_loaded", at=now, detail="demo data")
    return logins


RULES = [
    ("No alcohol, drugs or paraphernalia on the property.", "Sobriety", "Discharge review"),
    ("Be home by curfew unless you have an approved pass.", "Curfew", "Curfew restriction"),
    ("Do your assigned chores by 20:00.", "Chores", "Extra chore"),
    ("Go to the weekly house meeting.", "Meetings", "Warning"),
    ("No overnight guests.", "Guests", "Loss of pass"),
    ("Respect your housemates: no violence, threats or theft.", "Safety", "Discharge review"),
]


async def _rules(house_ids: list[int], users: dict[str, int], now: dt.datetime) -> None:
    """Both houses get rules; Maple House has a second version that Jordan signed."""
    from house.rules import services as rules

    manager = users["maple.manager@demo.house"]
    rows = [
        {"number": i + 1, "text": text, "category": category, "consequence": consequence}
        for i, (text, category, consequence) in enumerate(RULES)
    ]
    for house_id in house_ids:
        await rules.publish(actor_id=manager, house_id=house_id, rules=rows[:5], note="", now=now)
    await rules.publish(
        actor_id=manager, house_id=house_ids[0], rules=rows, note="added rule 6", now=now
    )
    version = await rules.my_rules(users["jordan@demo.house"])
    if version and version["version"]:
        await rules.sign(
            user_id=users["jordan@demo.house"],
            rule_set_id=version["version"]["id"],
            name_typed="Jordan Avery Miles",
            now=now,
        )
