"""Demo data for meetings (called by house/demo.py inside its one transaction).

Each house gets its last three weekly meetings with roll calls taken (someone late, someone
excused, someone absent) and minutes, and its next weekly meeting without a roll call, all
through the same services the app uses."""

from __future__ import annotations

import datetime as dt

from house.houses.tables import House
from house.lib.dates import house_today
from house.meetings import roll, services
from house.meetings.tables import HouseMeeting

MANAGERS = ["maple.manager@demo.house", "cedar.manager@demo.house"]
MINUTES = [
    "Check-in round. Chore rota for next week agreed.\nReminder: curfew is 22:00 on weeknights.",
    "Welcomed a new housemate. Kitchen deep clean on Saturday.\nTwo residents shared a "
    "30-day milestone.",
    "Talked about passes for the holiday weekend. House phone list updated.",
]
# Who is marked other than present, by week (oldest first): index into the roll.
NOT_PRESENT = [{0: "late"}, {1: "excused", 2: "absent"}, {0: "absent", 1: "late"}]


async def load(house_ids: list[int], users: dict[str, int], now: dt.datetime) -> None:
    """`users` maps the demo emails (house/demo.py PEOPLE) to user ids."""
    houses = await House.select().where(House.id.is_in(house_ids)).order_by(House.id)
    for house, email in zip(houses, MANAGERS, strict=False):
        manager = users[email]
        this_week = services.weekly_start(house, house_today(now, house["timezone"]))
        past = [s for s in (this_week - dt.timedelta(weeks=w) for w in range(4)) if s < now][:3]
        upcoming = this_week if this_week >= now else this_week + dt.timedelta(weeks=1)
        for week, starts_at in enumerate(sorted(past)):
            rows = await HouseMeeting.insert(
                HouseMeeting(
                    house=house["id"],
                    kind=HouseMeeting.Kind.weekly,
                    starts_at=starts_at,
                    created_at=starts_at - dt.timedelta(hours=1),
                )
            ).returning(HouseMeeting.id)
            meeting = await services.get_meeting(rows[0]["id"])
            assert meeting is not None  # noqa: S101 - inserted just above
            on_roll = await roll.roll_call(meeting)
            marks = NOT_PRESENT[week]
            await roll.take_roll(
                actor_id=manager,
                meeting_id=meeting["id"],
                statuses={r["resident"]: marks.get(i, "present") for i, r in enumerate(on_roll)},
                reasons={},
                minutes=MINUTES[week],
                version=meeting["version"],
                now=min(starts_at + dt.timedelta(hours=1), now),
            )
        await HouseMeeting.insert(
            HouseMeeting(
                house=house["id"],
                kind=HouseMeeting.Kind.weekly,
                starts_at=upcoming,
                created_at=now,
            )
        )
