"""Demo rooms, beds and people: beds in every state, people in beds, a waitlist, and a past
stay for every way a stay can end, each made through the same services the app uses."""

from __future__ import annotations

import datetime as dt

from house.beds import services as beds
from house.beds.placements import services as placements
from house.beds.tables import Bed
from house.residents import names
from house.residents import services as stays
from house.residents.tables import Resident, Stay

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
# People who have left, one for each way a stay can end (in Stay.ExitReason's order):
# (preferred name, legal name). Real-looking names: the bed history and Past residents show them.
PAST = [
    ("Chris", "Christopher Dale"),
    ("Morgan", "Morgan Ellis"),
    ("Luis", "Luis Ortega"),
    ("Pat", "Patricia Nolan"),
    ("Eli", "Elijah Barnes"),
    ("Jade", "Jade Winters"),
    ("Owen", "Owen Pratt"),
    ("Rosa", "Rosa Delgado"),
]
# Bed numbers per house: one reserved and one out of service; the rest are free.
RESERVED = {0: 5, 1: 3}
RESERVED_FOR = {0: "Kai", 1: "Noor"}
OUT_OF_SERVICE = {0: 6, 1: 4}


async def load(house_ids: list[int], users: dict[str, int], now: dt.datetime, admin: int) -> None:
    """Everything above, for the two demo houses, done by `admin`; `users` maps demo logins
    to user ids (residents with a login are linked to their person)."""
    beds_of = await _rooms(house_ids, admin, now)
    await _past_stays(house_ids, beds_of, admin, now)
    await _current(house_ids, beds_of, users, admin, now)
    for house_index, name, legal, priority in WAITLIST:
        await _new_stay(house_ids[house_index], name, legal, admin, now, priority)
    await _bed_states(beds_of, admin, now)


async def _rooms(house_ids: list[int], admin: int, now: dt.datetime) -> dict[int, list[int]]:
    beds_of: dict[int, list[int]] = {0: [], 1: []}
    for house_index, room_label, bed_labels in ROOMS:
        room = await beds.add_room(
            actor_id=admin, house_id=house_ids[house_index], label=room_label, now=now
        )
        beds_of[house_index] += await beds.add_beds(
            actor_id=admin, room_id=room, labels=list(bed_labels), now=now
        )
    return beds_of


async def _new_stay(
    house_id: int, name: str, legal: str, admin: int, now: dt.datetime, priority: int = 3
) -> int:
    today = now.date()
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
        house_id=house_id,
        applied_on=today - dt.timedelta(days=5 * priority),
        requested_move_in=None,
        priority=priority,
        referral_source="Demo referral",
        notes="",
        now=now,
    )


async def _past_stays(
    house_ids: list[int], beds_of: dict[int, list[int]], admin: int, now: dt.datetime
) -> None:
    """One past stay per exit reason, in the beds the current residents hold now."""
    today = now.date()
    for i, (reason, (name, legal)) in enumerate(zip(Stay.ExitReason, PAST, strict=True)):
        house_index = i % 2
        stay = await _new_stay(house_ids[house_index], name, legal, admin, now)
        start = today - dt.timedelta(days=360 - 20 * i)
        await placements.admit(
            actor_id=admin,
            stay_id=stay,
            bed_id=beds_of[house_index][i // 2],
            on=start,
            today=today,
            now=now,
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


async def _current(
    house_ids: list[int],
    beds_of: dict[int, list[int]],
    users: dict[str, int],
    admin: int,
    now: dt.datetime,
) -> None:
    """The people living in the houses now; some have a demo login linked to them."""
    today = now.date()
    for house_index, bed_index, name, legal, login, days in CURRENT:
        stay = await _new_stay(house_ids[house_index], name, legal, admin, now)
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
            resident_id = (resident or {})["resident"]
            await Resident.update({Resident.user: users[login]}).where(Resident.id == resident_id)
            await names.name_account(resident_id)  # "Jordan", as staff see them


async def _bed_states(beds_of: dict[int, list[int]], admin: int, now: dt.datetime) -> None:
    """A reserved bed and one out of service in each house."""
    for house_index in (0, 1):
        await beds.set_bed_state(
            actor_id=admin,
            bed_id=beds_of[house_index][RESERVED[house_index]],
            state=Bed.State.reserved,
            note=f"Held for {RESERVED_FOR[house_index]}, moving in next week",
            now=now,
        )
        await beds.set_bed_state(
            actor_id=admin,
            bed_id=beds_of[house_index][OUT_OF_SERVICE[house_index]],
            state=Bed.State.out_of_service,
            note="Mattress replaced next week",
            now=now,
        )
