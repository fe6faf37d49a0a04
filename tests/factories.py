"""Factories: real rows through the real tables, with unique names per call."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from dataclasses import dataclass

from house.accounts.passwords import hash_password
from house.accounts.tables import HouseMembership, User
from house.db import write_transaction
from house.houses.tables import House
from house.lib import clock

PASSWORD = "a long test password 123"
_PASSWORD_HASH = hash_password(PASSWORD)
_counter = itertools.count(1)


def unique(prefix: str) -> str:
    return f"{prefix}-{next(_counter)}-{uuid.uuid4().hex[:6]}"


@dataclass(frozen=True)
class Person:
    id: int
    email: str
    name: str
    role: str
    password: str = PASSWORD


async def make_house(name: str | None = None, timezone: str = "America/Chicago") -> int:
    async with write_transaction():
        rows = await House.insert(
            House(
                name=name or unique("House"),
                address="1 Test Street",
                timezone=timezone,
                created_at=clock.now(),
            )
        ).returning(House.id)
    return int(rows[0]["id"])


async def make_user(
    role: str,
    houses: list[int] | None = None,
    *,
    name: str | None = None,
    with_password: bool = True,
    active: bool = True,
) -> Person:
    email = f"{unique(role)}@house.test"
    name = name or unique(role.replace("_", " ").title())
    async with write_transaction():
        rows = await User.insert(
            User(
                email=email,
                name=name,
                role=role,
                password_hash=_PASSWORD_HASH if with_password else "",
                is_active=active,
                created_at=clock.now(),
            )
        ).returning(User.id)
        user_id = int(rows[0]["id"])
        for house_id in houses or []:
            await HouseMembership.insert(
                HouseMembership(user=user_id, house=house_id, created_at=clock.now())
            )
    return Person(id=user_id, email=email, name=name, role=role)


async def make_room(house_id: int, label: str | None = None) -> int:
    from house.beds.tables import Room

    async with write_transaction():
        rows = await Room.insert(
            Room(house=house_id, label=label or unique("Room"), created_at=clock.now())
        ).returning(Room.id)
    return int(rows[0]["id"])


async def make_bed(room_id: int, label: str | None = None) -> int:
    from house.beds.tables import Bed, Room

    async with write_transaction():
        room = await Room.select(Room.house).where(Room.id == room_id).first()
        assert room is not None
        rows = await Bed.insert(
            Bed(
                room=room_id,
                house=room["house"],
                label=label or unique("Bed"),
                free_since=clock.now(),
                created_at=clock.now(),
            )
        ).returning(Bed.id)
    return int(rows[0]["id"])


async def make_stay(house_id: int, actor_id: int, preferred_name: str | None = None) -> int:
    """A new resident on the house's waitlist; returns the stay id."""
    from house.residents import services

    name = preferred_name or unique("Pat")
    resident_id = await services.create_resident(
        actor_id=actor_id, legal_name=f"{name} Legal", preferred_name=name, now=clock.now()
    )
    return await services.apply(
        actor_id=actor_id,
        resident_id=resident_id,
        house_id=house_id,
        applied_on=clock.now().date(),
        requested_move_in=None,
        priority=3,
        referral_source="",
        notes="",
        now=clock.now(),
    )


async def make_resident_in(
    house_id: int,
    actor_id: int,
    *,
    user_id: int | None = None,
    preferred_name: str | None = None,
    admitted_on: dt.date | None = None,
) -> dict[str, int]:
    """A person admitted to a new bed of the house (on `admitted_on`, default today), linked
    to the sign-in `user_id` if given. Returns {"stay", "resident", "bed"}."""
    from house.beds.placements import services as placements
    from house.lib.dates import house_today
    from house.residents.tables import Resident, Stay

    stay_id = await make_stay(house_id, actor_id, preferred_name)
    bed_id = await make_bed(await make_room(house_id))
    house = await House.select(House.timezone).where(House.id == house_id).first()
    # The house's date, not UTC's: in the evening (US time) UTC is already tomorrow.
    today = house_today(clock.now(), house["timezone"] if house else "UTC")
    await placements.admit(
        actor_id=actor_id,
        stay_id=stay_id,
        bed_id=bed_id,
        on=admitted_on or today,
        today=today,
        now=clock.now(),
    )
    row = await Stay.select(Stay.resident).where(Stay.id == stay_id).first()
    assert row is not None
    if user_id is not None:
        await Resident.update({Resident.user: user_id}).where(Resident.id == row["resident"])
    return {"stay": stay_id, "resident": row["resident"], "bed": bed_id}


async def make_house_meeting(
    house_id: int,
    *,
    starts_at: dt.datetime | None = None,
    title: str = "House meeting",
    kind: str = "ad_hoc",
) -> int:
    """A house meeting without a roll call (default: yesterday at this time)."""
    from house.meetings.tables import HouseMeeting

    async with write_transaction():
        rows = await HouseMeeting.insert(
            HouseMeeting(
                house=house_id,
                kind=kind,
                title=title,
                starts_at=starts_at or clock.now() - dt.timedelta(days=1),
                created_at=clock.now(),
            )
        ).returning(HouseMeeting.id)
    return int(rows[0]["id"])


async def make_outside_meeting(
    resident: dict[str, int],
    house_id: int,
    user_id: int,
    *,
    held_at: dt.datetime | None = None,
    status: str = "pending",
    photo: str = "",
    name: str | None = None,
    reviewer_id: int | None = None,
) -> int:
    """An outside meeting logged by `user_id` for `resident` (make_resident_in's ids), in
    `status`; a reviewed one names `reviewer_id` (default: the resident's own account)."""
    from house.meetings.tables import OutsideMeeting

    now = clock.now()
    reviewed = status != "pending"
    async with write_transaction():
        rows = await OutsideMeeting.insert(
            OutsideMeeting(
                house=house_id,
                stay=resident["stay"],
                resident=resident["resident"],
                held_at=held_at or now - dt.timedelta(hours=2),
                name=name or unique("Meeting"),
                fellowship="na",
                format="in_person",
                location="Community hall",
                chair_name="Pat Chair",
                chair_phone="555-201-3344",
                photo=photo,
                photo_type="image/jpeg" if photo.endswith(".jpg") else "image/png" if photo else "",
                status=status,
                reject_reason="No signature on the slip" if status == "rejected" else "",
                logged_by=user_id,
                logged_at=now,
                reviewed_by=(reviewer_id or user_id) if reviewed else None,
                reviewed_at=now if reviewed else None,
            )
        ).returning(OutsideMeeting.id)
    return int(rows[0]["id"])


async def make_inbox_item(
    house: int,
    user_id: int,
    *,
    kind: str = "chores_missed",
    summary: str | None = None,
    record: str = "",
    severity: str = "attention",
    created_at: dt.datetime | None = None,
) -> tuple[int, int]:
    """An alert in `house` with an unread inbox delivery to `user_id`: (alert id, delivery id)."""
    from house.alerts.tables import Alert, Delivery

    now = created_at or clock.now()
    async with write_transaction():
        alert = await Alert.insert(
            Alert(
                key=unique(kind),
                kind=kind,
                severity=severity,
                house=house,
                record=record,
                summary=summary or unique("Something to look at"),
                created_at=now,
            )
        ).returning(Alert.id)
        alert_id = int(alert[0]["id"])
        delivery = await Delivery.insert(
            Delivery(
                alert=alert_id,
                user=user_id,
                channel=Delivery.Channel.inbox,
                status=Delivery.Status.sent,
                sent_at=now,
                created_at=now,
            )
        ).returning(Delivery.id)
    return alert_id, int(delivery[0]["id"])


async def add_inbox_delivery(alert_id: int, user_id: int) -> int:
    """Another person's inbox delivery of an existing alert."""
    from house.alerts.tables import Delivery

    async with write_transaction():
        rows = await Delivery.insert(
            Delivery(
                alert=alert_id,
                user=user_id,
                channel=Delivery.Channel.inbox,
                status=Delivery.Status.sent,
                sent_at=clock.now(),
                created_at=clock.now(),
            )
        ).returning(Delivery.id)
    return int(rows[0]["id"])
