"""Demo data for a laptop: two houses with rooms and beds, one person in each role, residents
living in beds, a waitlist and past stays, house rules in versions, with printed logins.

Never loaded when HOUSE_ENV=production; loaded once (a second run changes nothing).
"""

from __future__ import annotations

import datetime as dt

from house.accounts.passwords import hash_password
from house.accounts.tables import HouseMembership, User
from house.audit.services import record_access
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
        await _beds_and_stays(house_ids, users, now)
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


# (house index, room, beds)
ROOMS = [
    (0, "Room 1", ["Bed A", "Bed B"]),
    (0, "Room 2", ["Bed A", "Bed B", "Bed C"]),
    (0, "Room 3", ["Bed A", "Bed B"]),
    (1, "Upstairs", ["Bed 1", "Bed 2", "Bed 3"]),
    (1, "Downstairs", ["Bed 4", "Bed 5"]),
]
# Current residents: (house index, bed number in that house, preferred name, legal name,
# demo login or None, days since move-in)
CURRENT = [
    (0, 0, "Jordan", "Jordan Avery Miles", "jordan@demo.house", 75),
    (0, 2, "Riley", "Riley Ann Brooks", "riley@demo.house", 32),
    (0, 3, "Dev", "Devin Okafor", None, 140),
    (0, 4, "Marco", "Marco Ruiz", None, 9),
    (1, 0, "Sam", "Samantha Cole", "sam@demo.house", 60),
    (1, 1, "Tess", "Teresa Lind", None, 200),
]
WAITLIST = [
    (0, "Kai", "Kai Nakamura", 1),
    (0, "Ash", "Ashley Grant", 3),
    (1, "Noor", "Noor Haddad", 2),
]
# Bed numbers per house: one reserved and one out of service; the rest are free.
RESERVED = {0: 5, 1: 3}
OUT_OF_SERVICE = {0: 6, 1: 4}


async def _beds_and_stays(house_ids: list[int], users: dict[str, int], now: dt.datetime) -> None:
    """Rooms and beds in every state, people in beds, a waitlist, and a past stay for every
    way a stay can end (each through the same services the app uses)."""
    from house.beds import services as beds
    from house.beds.placements import services as placements
    from house.beds.tables import Bed
    from house.residents import services as stays
    from house.residents.tables import Resident, Stay

    admin = users[PEOPLE[0][0]]
    today = now.date()
    beds_of: dict[int, list[int]] = {0: [], 1: []}
    for house_index, room_label, bed_labels in ROOMS:
        room = await beds.add_room(
            actor_id=admin, house_id=house_ids[house_index], label=room_label, now=now
        )
        for label in bed_labels:
            beds_of[house_index].append(
                await beds.add_bed(actor_id=admin, room_id=room, label=label, now=now)
            )

    async def new_stay(house_index: int, name: str, legal: str, priority: int = 3) -> int:
        resident = await stays.create_resident(
            actor_id=admin,
            legal_name=legal,
            preferred_name=name,
            now=now,
            sobriety_date=today - dt.timedelta(days=90 + 10 * priority),
        )
        return await stays.apply(
            actor_id=admin,
            resident_id=resident,
            house_id=house_ids[house_index],
            applied_on=today - dt.timedelta(days=5 * priority),
            requested_move_in=None,
            priority=priority,
            referral_source="Demo referral",
            notes="",
            now=now,
        )

    # Past stays, one per exit reason, in the beds the current residents hold now.
    reasons = list(Stay.ExitReason)
    for i, reason in enumerate(reasons):
        house_index = i % 2
        bed = beds_of[house_index][i // 2]
        stay = await new_stay(house_index, f"Past {i + 1}", f"Former Resident {i + 1}")
        start = today - dt.timedelta(days=360 - 20 * i)
        await placements.admit(
            actor_id=admin, stay_id=stay, bed_id=bed, on=start, today=today, now=now
        )
        await placements.exit_stay(
            actor_id=admin,
            stay_id=stay,
            on=start + dt.timedelta(days=40 + i),
            reason=reason,
            note=f"Demo: {reason.replace('_', ' ')}",
            today=today,
            now=now,
        )
    for house_index, bed_index, name, legal, login, days in CURRENT:
        stay = await new_stay(house_index, name, legal)
        await placements.admit(
            actor_id=admin,
            stay_id=stay,
            bed_id=beds_of[house_index][bed_index],
            on=today - dt.timedelta(days=days),
            today=today,
            now=now,
        )
        if login:
            resident = await Stay.select(Stay.resident).where(Stay.id == stay).first()
            await Resident.update({Resident.user: users[login]}).where(
                Resident.id == (resident or {})["resident"]
            )
    for house_index, name, legal, priority in WAITLIST:
        await new_stay(house_index, name, legal, priority)
    # A reserved bed and one out of service in each house.
    for house_index in (0, 1):
        await beds.set_bed_state(
            actor_id=admin,
            bed_id=beds_of[house_index][RESERVED[house_index]],
            state=Bed.State.reserved,
            reason="",
            now=now,
        )
        await beds.set_bed_state(
            actor_id=admin,
            bed_id=beds_of[house_index][OUT_OF_SERVICE[house_index]],
            state=Bed.State.out_of_service,
            reason="Mattress replaced next week",
            now=now,
        )


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
