"""Demo violations (called by house/demo.py inside its one transaction): an open one, a
resolved one, one appealed and waiting for the admin, one changed on appeal."""

from __future__ import annotations

import datetime as dt

from house.houses.tables import House
from house.lib.dates import at_local, house_today
from house.violations import appeals, services

# (house index, preferred name, rule number, days ago, local time, severity, ladder step,
#  what happened)
VIOLATIONS = [
    (
        0,
        "Marco",
        2,
        3,
        "23:10",
        "minor",
        0,
        "Came in 70 minutes after curfew; said the bus broke down.",
    ),
    (0, "Jordan", 3, 12, "19:30", "minor", 1, "Left the kitchen after dinner without washing up."),
    (0, "Riley", 5, 2, "21:45", "major", 2, "Had a visitor in the bedroom after 21:00."),
    (1, "Sam", 2, 6, "00:15", "minor", 1, "Back after curfew without calling the house phone."),
]


async def load(house_ids: list[int], users: dict[str, int], now: dt.datetime) -> None:
    """`users` maps the demo emails (house/demo.py PEOPLE) to user ids."""
    managers = [users["maple.manager@demo.house"], users["cedar.manager@demo.house"]]
    recorded: dict[str, int] = {}
    for house_index, name, rule_number, days_ago, at, severity, step, what in VIOLATIONS:
        house_id = house_ids[house_index]
        house = await House.select(House.timezone).where(House.id == house_id).first()
        timezone = (house or {}).get("timezone", "UTC")
        choices = await services.form_choices(house_id)
        stay = next(s for s in choices["residents"] if s["name"] == name)
        rule = next(r for r in choices["rules"] if r["number"] == rule_number)
        day = house_today(now, timezone) - dt.timedelta(days=days_ago)
        local = at_local(day, dt.time.fromisoformat(at), timezone)
        recorded[name] = await services.record_violation(
            actor_id=managers[house_index],
            house_id=house_id,
            values={
                "stay": stay["id"],
                "rule": rule["id"],
                "occurred_on": day,
                "occurred_at": local.astimezone(dt.UTC),
                "location": "Front door" if rule_number == 2 else "",
                "description": what,
                "severity": severity,
                "consequence": choices["ladder"][step],
            },
            now=now,
        )
    await services.resolve(
        actor_id=managers[0], violation_id=recorded["Jordan"], now=now - dt.timedelta(days=10)
    )
    # Riley (a demo login) appealed; the admin has not decided yet.
    await appeals.appeal(
        user_id=users["riley@demo.house"],
        violation_id=recorded["Riley"],
        statement=(
            "My sister dropped off groceries and stayed ten minutes in the doorway of my room."
            "\nShe never sat down and left before 22:00."
        ),
        now=now - dt.timedelta(days=1),
    )
    # Sam appealed and the admin changed the consequence.
    await appeals.appeal(
        user_id=users["sam@demo.house"],
        violation_id=recorded["Sam"],
        statement="I called the manager's cell at 23:50 because the house phone was busy.",
        now=now - dt.timedelta(days=5),
    )
    pending = await appeals.appeals(pending_only=True)
    sams = next(a for a in pending if a["violation_id"] == recorded["Sam"])
    await appeals.decide(
        actor_id=users["admin@demo.house"],
        appeal_id=sams["id"],
        decision="changed",
        reason="The call log shows the call at 23:50. A warning instead of an extra chore.",
        consequence="Warning",
        now=now - dt.timedelta(days=4),
    )
