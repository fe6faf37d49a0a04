"""Time one full alert sweep (events and every time-based rule) at 1,000 and 10,000 residents.

    .venv/bin/python bench/alerts.py [--houses 100] [--small 10]

PostgreSQL only (what production runs): the database `house_bench_alerts` on
HOUSE_BENCH_POSTGRES (default postgresql://postgres@127.0.0.1:5432) is dropped, created and
migrated for each size, and dropped at the end. Each size is `houses` houses of 100 active
residents with five weeks of house life the rules read (chores, outside meetings, house
meetings with roll calls, screens and random selections, rules versions and signatures, beds
and a waitlist, sobriety dates, violations and appeals, last month's alerts), written with
multi-row INSERTs.

Prints, per size: the first sweep (raises this week's alerts: one transaction per new alert,
so its queries grow with the alerts it raises), the second sweep right after (the steady
state the minute cron runs: everything already raised), and each rule's queries and time.
The target (issue 6): the steady-state sweep under 2 s, its queries the same at both sizes.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import io
import json
import os
import random
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DATABASE = "house_bench_alerts"
PER_HOUSE = 100  # active residents a house
ZONES = ("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles")
# Friday evening in every US zone (22:00 New York .. 19:00 Los Angeles): the meetings rule
# (from Friday) is on, and the random cut-off (20:00) has passed in three zones of four.
NOW = dt.datetime(2026, 11, 28, 3, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 11, 27)
MONDAY = dt.date(2026, 11, 23)
WEEKS = 5  # this week and four before it
CHORES = 30  # daily chores a house: about two a resident a week
DRAWN = 5  # random selections a house a day


@dataclass
class Person:
    resident: int
    stay: int
    user: int
    house: int
    admitted_on: dt.date
    sober: dt.date | None
    struggling: bool  # misses chores and meetings, screens positive more often


@dataclass
class World:
    admin: int
    houses: list[dict[str, Any]] = field(default_factory=list)  # id, timezone, index
    managers: dict[int, list[int]] = field(default_factory=dict)
    people: dict[int, list[Person]] = field(default_factory=dict)  # active, by house
    rules: dict[int, list[int]] = field(default_factory=dict)  # current rule ids, by house
    screens: list[tuple[int, dict[str, Any]]] = field(default_factory=list)  # (id, row)
    rows: int = 0


# The database ------------------------------------------------------------------------------


def admin_dsn() -> str:
    return os.environ.get("HOUSE_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432")


async def _admin(sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(f"{admin_dsn()}/postgres", timeout=5)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


_opened: list[bool] = []  # whether a size has opened the pool (and Piccolo's engine)


async def fresh_database() -> None:
    """Drop and create the bench database, run the migrations, open the pool. The database
    exists before anything imports house.db (Piccolo's engine asks it for its version)."""
    if _opened:
        from house import registry
        from house.db import close_database

        await close_database()  # the previous size's pool
    await _admin(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
    await _admin(f"CREATE DATABASE {DATABASE}")

    from piccolo.apps.migrations.commands.forwards import run_forwards

    from house.db import open_database

    with contextlib.redirect_stdout(io.StringIO()):  # a line per migration otherwise
        await run_forwards(app_name="house")
    await open_database()
    registry.install()
    _opened.append(True)


async def drop_database() -> None:
    if _opened:
        from house.db import close_database

        await close_database()
    await _admin(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")


async def insert(world: World, table: Any, rows: list[dict[str, Any]]) -> list[int]:
    """Multi-row INSERTs of at most ~30,000 parameters (PostgreSQL's limit is 32,767), as raw
    SQL on the pool: Piccolo's per-row objects cost ~0.25 ms a row, minutes at this size.
    Columns a row leaves out get the table's default. Returns the new ids in the order of
    `rows` (RETURNING follows the VALUES list)."""
    from house.db import engine

    columns = [c for c in table._meta.columns if not c._meta.primary_key]
    blank = table(_ignore_missing=True)
    defaults = {c._meta.name: getattr(blank, c._meta.name) for c in columns}
    if unknown := {key for row in rows for key in row} - defaults.keys():
        raise KeyError(f"{table._meta.tablename} has no {sorted(unknown)}")
    names = ", ".join(f'"{c._meta.db_column_name}"' for c in columns)
    width = len(columns)
    ids: list[int] = []
    pool: Any = getattr(engine(), "pool")  # noqa: B009 - PostgresEngine's, opened by then
    async with pool.acquire() as conn:
        for start in range(0, len(rows), 30_000 // width):
            batch = rows[start : start + 30_000 // width]
            values = ", ".join(
                "(" + ", ".join(f"${n * width + k}" for k in range(1, width + 1)) + ")"
                for n in range(len(batch))
            )
            args = [row.get(c._meta.name, defaults[c._meta.name]) for row in batch for c in columns]
            # Names come from the table's definition; every value is a parameter.
            sql = f'INSERT INTO "{table._meta.tablename}" ({names}) VALUES {values} RETURNING id'  # noqa: S608
            ids.extend(int(r["id"]) for r in await conn.fetch(sql, *args))
    world.rows += len(rows)
    return ids


def at(day: dt.date, hour: int, minute: int, timezone: str) -> dt.datetime:
    """A house-local time, as UTC."""
    from house.lib.dates import at_local

    return at_local(day, dt.time(hour, minute), timezone)


def pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


# The data ----------------------------------------------------------------------------------


async def generate(houses: int) -> World:
    """`houses` houses of PER_HOUSE active residents and five weeks of their life."""
    rng = random.Random(houses)
    world = await _houses_and_staff(houses)
    await _residents(world, rng)
    await _beds(world, rng)
    await _rules(world, rng)
    await _chores(world, rng)
    await _house_meetings(world, rng)
    await _outside_meetings(world, rng)
    await _screens(world, rng)
    await _violations(world, rng)
    await _past_alerts(world, rng)
    return world


async def _houses_and_staff(houses: int) -> World:
    from house.accounts.tables import HouseMembership, User
    from house.alerts.tables import AlertPreference, AlertProfile
    from house.houses.tables import House

    world = World(admin=0)
    admins = await insert(
        world,
        User,
        [
            {"email": f"admin{i}@bench.test", "name": f"Admin {i}", "role": "admin"}
            | {"created_at": NOW}
            for i in range(2)
        ],
    )
    world.admin = admins[0]
    house_rows = [
        {
            "name": f"Bench House {i:03d}",
            "address": f"{i} Bench Street",
            "timezone": ZONES[i % len(ZONES)],
            "random_enabled": True,
            "curfew": "23:00",
            "created_at": NOW - dt.timedelta(days=800),
        }
        for i in range(houses)
    ]
    house_ids = await insert(world, House, house_rows)
    world.houses = [
        {"id": h, "timezone": row["timezone"], "index": i}
        for i, (h, row) in enumerate(zip(house_ids, house_rows, strict=True))
    ]
    manager_ids = await insert(
        world,
        User,
        [
            {"email": f"manager{i}@bench.test", "name": f"Manager {i}", "role": "manager"}
            | {"created_at": NOW}
            for i in range(2 * houses)
        ],
    )
    memberships = []
    for i, house in enumerate(world.houses):
        pair = manager_ids[2 * i : 2 * i + 2]
        world.managers[house["id"]] = pair
        memberships += [{"user": m, "house": house["id"], "created_at": NOW} for m in pair]
    await insert(world, HouseMembership, memberships)
    # A quarter of the managers take milestones and unverified chores in the digest; a
    # third keep quiet hours (22:00-07:00: it is quiet now in New York).
    preferences, profiles = [], []
    for i, manager in enumerate(manager_ids):
        if i % 4 == 0:
            preferences += [
                {"user": manager, "kind": kind, "mode": "digest"}
                for kind in ("milestone", "chore_unverified")
            ]
        if i % 3 == 0:
            profiles.append({"user": manager, "quiet_from": "22:00", "quiet_to": "07:00"})
    await insert(world, AlertPreference, preferences)
    await insert(world, AlertProfile, profiles)
    return world


async def _residents(world: World, rng: random.Random) -> None:
    """Per house: PER_HOUSE active residents who can sign in (sobriety dates from before
    admission, or later after a relapse), a waitlist in half the houses, and 20 past stays."""
    from house.accounts.tables import User
    from house.residents.tables import Resident, Stay

    users, residents, stays, meta = [], [], [], []
    for house in world.houses:
        for n in range(PER_HOUSE):
            name = f"R{house['index']:03d}-{n:03d}"
            week_old = rng.random() < 0.97
            admitted = TODAY - dt.timedelta(
                days=rng.randint(7, 420) if week_old else rng.randint(0, 4)
            )
            roll = rng.random()
            if roll < 0.05:
                sober = None
            elif roll < 0.15:
                sober = TODAY - dt.timedelta(days=rng.randint(0, (TODAY - admitted).days))
            else:
                sober = admitted - dt.timedelta(days=rng.randint(5, 90))
            users.append(
                {"email": f"{name.lower()}@bench.test", "name": name, "role": "resident"}
                | {"created_at": NOW}
            )
            residents.append(_resident(world, name, sober))
            stays.append(
                {
                    "house": house["id"],
                    "status": "active",
                    "applied_on": admitted - dt.timedelta(days=rng.randint(3, 30)),
                    "admitted_on": admitted,
                    "created_at": at(admitted, 9, 0, house["timezone"]),
                    "created_by": world.admin,
                }
            )
            meta.append((house["id"], admitted, sober, rng.random() < 0.05))
    user_ids = await insert(world, User, users)
    for row, user in zip(residents, user_ids, strict=True):
        row["user"] = user
    resident_ids = await insert(world, Resident, residents)
    for row, resident in zip(stays, resident_ids, strict=True):
        row["resident"] = resident
    stay_ids = await insert(world, Stay, stays)
    for (house_id, admitted, sober, struggling), resident, stay, user in zip(
        meta, resident_ids, stay_ids, user_ids, strict=True
    ):
        world.people.setdefault(house_id, []).append(
            Person(resident, stay, user, house_id, admitted, sober, struggling)
        )
    # The waitlist (even houses) and past stays: people without a sign-in.
    others, other_stays = [], []
    for house in world.houses:
        for n in range(4 if house["index"] % 2 == 0 else 0):
            others.append(_resident(world, f"W{house['index']:03d}-{n}", None))
            applied = TODAY - dt.timedelta(days=rng.randint(1, 30))
            other_stays.append(
                {"house": house["id"], "status": "waitlist", "applied_on": applied}
                | {"created_at": at(applied, 9, 0, house["timezone"]), "created_by": world.admin}
            )
    ids = await insert(world, Resident, others)
    for row, resident in zip(other_stays, ids, strict=True):
        row["resident"] = resident
    await insert(world, Stay, other_stays)


def _resident(world: World, name: str, sober: dt.date | None) -> dict[str, Any]:
    return {
        "legal_name": f"{name} Legal",
        "preferred_name": name,
        "sobriety_date": sober,
        "created_at": NOW - dt.timedelta(days=500),
        "created_by": world.admin,
    }


async def _beds(world: World, rng: random.Random) -> None:
    """26 rooms of 4 beds a house: 100 occupied (the first 20 by a past stay before the
    current one), one free for 10 days, one for a day, one reserved, one out of service."""
    from house.beds.tables import Bed, BedAssignment, Room
    from house.residents.tables import Resident, Stay

    rooms = [
        {"house": h["id"], "label": f"Room {r + 1:02d}", "created_at": NOW}
        for h in world.houses
        for r in range(26)
    ]
    room_ids = await insert(world, Room, rooms)
    beds, past = [], []
    for i, house in enumerate(world.houses):
        people = world.people[house["id"]]
        for b in range(104):
            row = {
                "room": room_ids[i * 26 + b // 4],
                "house": house["id"],
                "label": "ABCD"[b % 4],
                "created_at": NOW,
            }
            if b < len(people):
                row["free_since"] = at(people[b].admitted_on, 12, 0, house["timezone"])
            else:
                row["free_since"] = NOW - dt.timedelta(days=(10, 1, 5, 30)[b - 100])
                row["state"] = ("available", "available", "reserved", "out_of_service")[b - 100]
            beds.append(row)
    bed_ids = await insert(world, Bed, beds)
    current = []
    for i, house in enumerate(world.houses):
        for b, person in enumerate(world.people[house["id"]]):
            bed = bed_ids[i * 104 + b]
            current.append(
                {"bed": bed, "stay": person.stay, "house": house["id"]}
                | {"start_on": person.admitted_on, "created_by": world.managers[house["id"]][0]}
                | {"created_at": at(person.admitted_on, 12, 0, house["timezone"])}
            )
            if b < 20:
                ended = person.admitted_on
                start = ended - dt.timedelta(days=rng.randint(30, 300))
                past.append((house, bed, start, ended))
    await insert(world, BedAssignment, current)
    leavers = [_resident(world, f"X{n:05d}", None) for n in range(len(past))]
    ids = await insert(world, Resident, leavers)
    reasons = ("graduated", "completed", "left_voluntarily", "discharged_use", "higher_care")
    stays = [
        {
            "resident": resident,
            "house": house["id"],
            "status": "exited",
            "applied_on": start - dt.timedelta(days=10),
            "admitted_on": start,
            "exited_on": ended,
            "exit_reason": rng.choice(reasons),
            "created_at": at(start, 9, 0, house["timezone"]),
            "created_by": world.admin,
        }
        for resident, (house, _, start, ended) in zip(ids, past, strict=True)
    ]
    stay_ids = await insert(world, Stay, stays)
    await insert(
        world,
        BedAssignment,
        [
            {"bed": bed, "stay": stay, "house": house["id"], "start_on": start, "end_on": ended}
            | {"created_at": at(start, 12, 0, house["timezone"]), "created_by": world.admin}
            | {"ended_at": at(ended, 10, 0, house["timezone"]), "ended_by": world.admin}
            for stay, (house, bed, start, ended) in zip(stay_ids, past, strict=True)
        ],
    )


async def _rules(world: World, rng: random.Random) -> None:
    """Three versions a house (the current one 40 days old, or 20 hours in one house of ten);
    each resident signs the version current at admission and every later one, except a few
    who have not signed the current one."""
    from house.rules.tables import Rule, RuleSet, RuleSignature

    created = {1: NOW - dt.timedelta(days=400), 2: NOW - dt.timedelta(days=150)}
    sets = []
    for house in world.houses:
        fresh = house["index"] % 10 == 3
        for version in (1, 2, 3):
            when = created.get(version) or NOW - (
                dt.timedelta(hours=20) if fresh else dt.timedelta(days=40)
            )
            sets.append({"house": house["id"], "version": version, "created_at": when})
    for row in sets:
        row["created_by"] = world.admin
    set_ids = await insert(world, RuleSet, sets)
    rules = [
        {"rule_set": s, "number": n, "text": f"House rule {n}.", "consequence": "Warning"}
        for s in set_ids
        for n in range(1, 13)
    ]
    rule_ids = await insert(world, Rule, rules)
    signatures = []
    for i, house in enumerate(world.houses):
        versions = list(zip(set_ids[3 * i : 3 * i + 3], sets[3 * i : 3 * i + 3], strict=True))
        world.rules[house["id"]] = rule_ids[(3 * i + 2) * 12 : (3 * i + 3) * 12]
        for person in world.people[house["id"]]:
            admitted = at(person.admitted_on, 12, 0, house["timezone"])
            for n, (set_id, rule_set) in enumerate(versions):
                later = n + 1 < 3 and versions[n + 1][1]["created_at"] <= admitted
                if later:
                    continue  # a newer version was current at admission
                signed = max(admitted, rule_set["created_at"]) + dt.timedelta(
                    hours=rng.randint(1, 18)
                )
                skip = 0.5 if n == 2 and signed > NOW else 0.05 if n == 2 else 0.02
                if signed > NOW or rng.random() < skip:
                    continue
                signatures.append(
                    {"rule_set": set_id, "resident": person.resident, "user": person.user}
                    | {"name_typed": f"R{person.resident}", "signed_at": signed}
                )
    await insert(world, RuleSignature, signatures)


async def _chores(world: World, rng: random.Random) -> None:
    """CHORES daily chores a house, a rotation a week for five weeks. Before today: mostly
    verified, some missed or excused, some done and never verified (more this week);
    today: done or pending; the weekend: pending. Struggling residents miss most."""
    from house.chores.tables import Chore, ChoreAssignment, ChoreRotation

    chores = [
        {"house": h["id"], "name": f"Chore {c + 1}", "area": "Kitchen", "weight": 1 + c % 3}
        | {"created_at": NOW - dt.timedelta(days=300)}
        for h in world.houses
        for c in range(CHORES)
    ]
    chore_ids = await insert(world, Chore, chores)
    weeks = [MONDAY - dt.timedelta(weeks=w) for w in range(WEEKS)]
    rotations = [
        {"house": h["id"], "week_start": monday, "seed": rng.randint(0, 2**30)}
        | {"generated_at": at(monday - dt.timedelta(days=1), 18, 0, h["timezone"])}
        for h in world.houses
        for monday in weeks
    ]
    rotation_ids = await insert(world, ChoreRotation, rotations)
    rows = []
    for i, house in enumerate(world.houses):
        tz, managers = house["timezone"], world.managers[house["id"]]
        for w, monday in enumerate(weeks):
            eligible = [p for p in world.people[house["id"]] if p.admitted_on < monday]
            for d in range(7):
                day = monday + dt.timedelta(days=d)
                for c in range(CHORES):
                    person = eligible[(d * CHORES + c + w * 7) % len(eligible)]
                    row = {
                        "rotation": rotation_ids[i * WEEKS + w],
                        "house": house["id"],
                        "chore": chore_ids[i * CHORES + c],
                        "resident": person.resident,
                        "stay": person.stay,
                        "day": day,
                        "weight": 1 + c % 3,
                    }
                    rows.append(row | _chore_status(rng, day, w, person, tz, managers))
    await insert(world, ChoreAssignment, rows)


def _chore_status(
    rng: random.Random, day: dt.date, week: int, person: Person, tz: str, managers: list[int]
) -> dict[str, Any]:
    if day > TODAY:
        return {"status": "pending"}
    done = at(day, rng.randint(7, 19), 0, tz)
    if day == TODAY:
        if rng.random() < 0.4 and done < NOW:
            return {"status": "done", "done_at": done}
        return {"status": "pending"}
    if person.struggling:
        weights = {"missed": 0.6, "verified": 0.3, "done": 0.1}
    elif week == 0:
        weights = {"verified": 0.86, "missed": 0.04, "excused": 0.03, "done": 0.07}
    else:
        weights = {"verified": 0.925, "missed": 0.04, "excused": 0.03, "done": 0.005}
    status = pick(rng, weights)
    checked = {"checked_at": done + dt.timedelta(hours=2), "checked_by": rng.choice(managers)}
    if status == "verified":
        return {"status": status, "done_at": done} | checked
    if status == "done":
        return {"status": status, "done_at": done}
    if status == "excused":
        return {"status": status, "note": "Sick day"} | checked
    return {"status": status, "checked_at": at(day + dt.timedelta(days=1), 0, 5, tz)}


async def _house_meetings(world: World, rng: random.Random) -> None:
    """The weekly house meeting (Sunday 19:00) of the last six weeks with its roll call,
    plus one ad hoc meeting this Wednesday in one house of five."""
    from house.meetings.tables import Attendance, HouseMeeting

    meetings, meta = [], []
    for house in world.houses:
        days = [MONDAY - dt.timedelta(days=1 + 7 * w) for w in range(6)]
        if house["index"] % 5 == 0:
            days.append(MONDAY + dt.timedelta(days=2))
        for day in days:
            starts = at(day, 19, 0, house["timezone"])
            meetings.append(
                {"house": house["id"], "kind": "weekly" if day.isoweekday() == 7 else "ad_hoc"}
                | {"starts_at": starts, "roll_taken_at": starts + dt.timedelta(minutes=5)}
                | {"roll_taken_by": world.managers[house["id"]][0], "created_at": starts}
            )
            meta.append((house, day, starts))
    ids = await insert(world, HouseMeeting, meetings)
    rows = []
    for meeting, (house, day, starts) in zip(ids, meta, strict=True):
        for person in world.people[house["id"]]:
            if person.admitted_on > day:
                continue
            absent = 0.3 if person.struggling else 0.05
            status = pick(rng, {"present": 0.86, "late": 0.05, "excused": 0.04, "absent": absent})
            rows.append(
                {"meeting": meeting, "resident": person.resident, "stay": person.stay}
                | {"status": status, "recorded_by": world.managers[house["id"]][0]}
                | {"recorded_at": starts + dt.timedelta(minutes=10)}
            )
    await insert(world, Attendance, rows)


async def _outside_meetings(world: World, rng: random.Random) -> None:
    """Two to five outside meetings a week logged by each resident (fewer by the struggling,
    Monday to Friday so far this week), mostly verified, some pending or rejected."""
    from house.meetings.tables import OutsideMeeting

    rows = []
    fellowships = ("aa", "na", "ca", "smart", "refuge", "celebrate")
    for house in world.houses:
        tz, managers = house["timezone"], world.managers[house["id"]]
        for person in world.people[house["id"]]:
            for w in range(WEEKS):
                monday = MONDAY - dt.timedelta(weeks=w)
                if person.admitted_on > monday + dt.timedelta(days=6):
                    continue
                first = max(0, (person.admitted_on - monday).days)
                last = 4 if w == 0 else 6
                if first > last:
                    continue
                count = rng.randint(0, 1) if person.struggling else rng.choice((2, 3, 3, 4, 4, 5))
                for _ in range(count if w == 0 else count + 1):
                    day = monday + dt.timedelta(days=rng.randint(first, last))
                    held = at(day, rng.randint(7, 18), rng.choice((0, 30)), tz)
                    status = pick(rng, {"verified": 0.88, "pending": 0.08, "rejected": 0.04})
                    reviewed = status != "pending"
                    rows.append(
                        {
                            "house": house["id"],
                            "stay": person.stay,
                            "resident": person.resident,
                            "held_at": held,
                            "name": "Tuesday Night Group",
                            "fellowship": rng.choice(fellowships),
                            "format": "in_person",
                            "location": "Community hall",
                            "chair_name": "Pat Chair",
                            "status": status,
                            "reject_reason": "No signature" if status == "rejected" else "",
                            "logged_by": person.user,
                            "logged_at": held + dt.timedelta(hours=1),
                            "reviewed_by": rng.choice(managers) if reviewed else None,
                            "reviewed_at": held + dt.timedelta(hours=20) if reviewed else None,
                        }
                    )
    await insert(world, OutsideMeeting, rows)


async def _screens(world: World, rng: random.Random) -> None:
    """A scheduled screen a week for each resident and DRAWN random selections a house a
    day for five weeks, each screen with its alert event (processed, except those recorded
    in the last twelve hours). Today's selections are still "selected" for most residents."""
    from house.events.tables import AlertEvent
    from house.screens.tables import DrawSelection, RandomDraw, Screen

    draws, picks = [], []
    for house in world.houses:
        for back in range(WEEKS * 7 - 2):
            day = TODAY - dt.timedelta(days=back)
            eligible = [p for p in world.people[house["id"]] if p.admitted_on < day]
            chosen = rng.sample(eligible, DRAWN)
            draws.append(
                {"house": house["id"], "day": day, "seed": f"{rng.getrandbits(128):032x}"}
                | {"drawn_at": at(day, 6, 0, house["timezone"]), "wanted": DRAWN}
                | {"eligible": json.dumps(sorted(p.resident for p in eligible))}
                | {"selected": json.dumps([p.resident for p in chosen])}
            )
            picks.append((house, day, chosen))
    draw_ids = await insert(world, RandomDraw, draws)
    screens: list[dict[str, Any]] = []
    selections: list[dict[str, Any]] = []
    for draw, (house, day, chosen) in zip(draw_ids, picks, strict=True):
        for person in chosen:
            if day == TODAY:
                status = "screened" if rng.random() < 0.4 else "selected"
            else:
                status = pick(rng, {"screened": 0.92, "excused": 0.04, "missed": 0.04})
            selection = {"draw": draw, "house": house["id"], "resident": person.resident}
            selection |= {"stay": person.stay, "day": day, "status": status}
            if status == "excused":
                selection |= {"excuse_reason": "At work", "decided_by": world.admin}
                selection |= {"decided_at": at(day, 9, 0, house["timezone"])}
            if status in ("screened", "missed"):
                selection["screen"] = len(screens)  # an index until the screens exist
                missed = status == "missed"
                screens.append(_screen(rng, world, house, person, day, "random", missed))
            selections.append(selection)
        for person in world.people[house["id"]] if day.weekday() == 2 else ():
            if person.admitted_on < day:  # Wednesdays: the scheduled screens
                screens.append(_screen(rng, world, house, person, day, "scheduled", False))
    screen_ids = await insert(world, Screen, screens)
    for selection in selections:
        if "screen" in selection:
            selection["screen"] = screen_ids[selection["screen"]]
    await insert(world, DrawSelection, selections)
    events = []
    for screen_id, screen in zip(screen_ids, screens, strict=True):
        recorded = screen["recorded_at"]
        fresh = recorded > NOW - dt.timedelta(hours=12)  # the worker is down since morning
        events.append(
            {"kind": "screen", "record": f"screen:{screen_id}", "house": screen["house"]}
            | {"created_at": recorded}
            | {"processed_at": None if fresh else recorded + dt.timedelta(seconds=20)}
        )
    await insert(world, AlertEvent, events)
    world.screens = list(zip(screen_ids, screens, strict=True))


def _screen(
    rng: random.Random,
    world: World,
    house: dict[str, Any],
    person: Person,
    day: dt.date,
    reason: str,
    missed: bool,
) -> dict[str, Any]:
    tz = house["timezone"]
    collected = at(day, rng.randint(7, 20), rng.randint(0, 59), tz)
    if collected > NOW - dt.timedelta(minutes=30):
        collected = NOW - dt.timedelta(minutes=rng.randint(30, 120))
    manager = rng.choice(world.managers[house["id"]])
    row = {
        "house": house["id"],
        "stay": person.stay,
        "resident": person.resident,
        "collected_at": collected,
        "reason": reason,
        "recorded_at": collected + dt.timedelta(minutes=2),
    }
    if missed:
        return (
            row
            | {"outcome": "missed", "collected_at": at(day, 23, 59, tz)}
            | {"recorded_at": at(day + dt.timedelta(days=1), 0, 5, tz)}
        )
    positive = 0.15 if person.struggling else 0.03
    outcome = pick(
        rng,
        {
            "negative": 0.925,
            "positive": positive,
            "expected_positive": 0.015,
            "dilute": 0.015,
            "invalid": 0.01,
            "refused": 0.005,
        },
    )
    row |= {"outcome": outcome, "collected_by": manager, "recorded_by": manager}
    if outcome == "refused":
        return row
    row |= {"method": "urine_cup", "observed": rng.random() < 0.5, "specimen_id": f"S{day:%j}"}
    if outcome == "positive":
        lab = pick(rng, {"pending": 0.3, "confirmed": 0.5, "overturned": 0.2})
        row |= {"lab": lab, "lab_sent_on": day}
        if lab != "pending":
            row["lab_resolved_on"] = day + dt.timedelta(days=3)
        if lab == "overturned":
            row["outcome"] = "negative"  # the amendment made it negative
    return row


async def _violations(world: World, rng: random.Random) -> None:
    """A violation for one resident in three over the five weeks (three for the struggling);
    one in twelve appealed, pending (with an unprocessed event) if recent."""
    from house.events.tables import AlertEvent
    from house.violations.tables import Appeal, Violation

    rows = []
    for house in world.houses:
        for person in world.people[house["id"]]:
            count = 3 if person.struggling else int(rng.random() < 0.33)
            for _ in range(count):
                day = TODAY - dt.timedelta(days=rng.randint(0, WEEKS * 7 - 1))
                when = at(max(day, person.admitted_on), 22, 30, house["timezone"])
                when = min(when, NOW - dt.timedelta(hours=1))
                rows.append(
                    {
                        "house": house["id"],
                        "stay": person.stay,
                        "resident": person.resident,
                        "rule": rng.choice(world.rules[house["id"]]),
                        "occurred_at": when,
                        "description": "Back after curfew.",
                        "severity": pick(
                            rng, {"minor": 0.8, "major": 0.18, "zero_tolerance": 0.02}
                        ),
                        "consequence": "Warning",
                        "status": "open" if when > NOW - dt.timedelta(days=7) else "resolved",
                        "recorded_by": world.managers[house["id"]][0],
                        "recorded_at": when + dt.timedelta(minutes=15),
                        "user": person.user,
                    }
                )
    users = [row.pop("user") for row in rows]
    ids = await insert(world, Violation, rows)
    appeals, fresh = [], []
    for violation, row, user in zip(ids, rows, users, strict=True):
        if rng.random() >= 1 / 12:
            continue
        submitted = min(row["recorded_at"] + dt.timedelta(hours=20), NOW - dt.timedelta(minutes=10))
        pending = submitted > NOW - dt.timedelta(days=2)
        appeals.append(
            {"violation": violation, "statement": "I was at work.", "submitted_by": user}
            | {"submitted_at": submitted, "decision": "pending" if pending else "upheld"}
        )
        fresh.append((row["house"], submitted, pending))
    appeal_ids = await insert(world, Appeal, appeals)
    await insert(
        world,
        AlertEvent,
        [
            {"kind": "appeal", "record": f"appeal:{a}", "house": house, "created_at": when}
            | {"processed_at": None if pending else when + dt.timedelta(seconds=20)}
            for a, (house, when, pending) in zip(appeal_ids, fresh, strict=True)
        ],
    )


async def _past_alerts(world: World, rng: random.Random) -> None:
    """Last month's alerts, as the minute sweep raised them, each with an inbox delivery to
    the house's managers: screen results of processed events, meetings behind and chores
    missed in past weeks, milestones passed. This week's are left for the first sweep."""
    from house.alerts.tables import Alert, Delivery
    from house.residents import alerts as rules

    alerts = []
    for screen_id, screen in world.screens:
        if screen["outcome"] in ("positive", "refused", "missed", "dilute") and screen[
            "recorded_at"
        ] < NOW - dt.timedelta(days=5):
            alerts.append(
                _alert(f"screen_result:screen:{screen_id}", "screen_result", screen, "critical")
            )
    for house in world.houses:
        for person in world.people[house["id"]]:
            subject = {"house": house["id"], "resident": person.resident}
            for w in range(1, WEEKS):
                monday = MONDAY - dt.timedelta(weeks=w)
                if rng.random() < 0.25:
                    key = f"meetings_behind:resident:{person.resident}:{monday.isoformat()}"
                    alerts.append(_alert(key, "meetings_behind", subject | {"at": monday}))
                if person.struggling:
                    key = f"chores_missed:resident:{person.resident}:{monday.isoformat()}"
                    alerts.append(_alert(key, "chores_missed", subject | {"at": monday}))
            sober = person.sober
            if sober is None:
                continue
            for milestone in rules.MILESTONES:
                if (TODAY - sober).days - milestone <= rules.MILESTONE_GRACE_DAYS:
                    continue  # not passed yet, or still the sweep's to raise
                key = f"milestone:resident:{person.resident}:{milestone}"
                on = sober + dt.timedelta(days=milestone)
                alerts.append(_alert(key, "milestone", subject | {"at": on}, "celebrate"))
    alert_ids = await insert(world, Alert, alerts)
    deliveries = [
        {"alert": alert, "user": manager, "channel": "inbox", "status": "sent"}
        | {"sent_at": row["created_at"], "created_at": row["created_at"]}
        | {"read_at": row["created_at"] + dt.timedelta(hours=1)}
        for alert, row in zip(alert_ids, alerts, strict=True)
        for manager in world.managers[row["house"]]
    ]
    await insert(world, Delivery, deliveries)


def _alert(
    key: str, kind: str, about: dict[str, Any], severity: str = "attention"
) -> dict[str, Any]:
    when = about.get("recorded_at")
    if when is None:
        day = about["at"]
        when = dt.datetime.combine(day, dt.time(16), tzinfo=dt.UTC)
    return {
        "key": key,
        "kind": kind,
        "severity": severity,
        "house": about["house"],
        "resident": about["resident"],
        "record": f"resident:{about['resident']}",
        "summary": f"{kind} (bench)",
        "created_at": when,
        "acknowledged_at": when + dt.timedelta(hours=1),
        "resolved_at": when + dt.timedelta(hours=2),
    }


# The measurements --------------------------------------------------------------------------


@dataclass(frozen=True)
class Timed:
    seconds: float
    queries: int
    result: Any


async def timed(run: Callable[[], Awaitable[Any]]) -> Timed:
    from house.db import query_counter

    start = query_counter.count
    started = time.perf_counter()
    result = await run()
    return Timed(time.perf_counter() - started, query_counter.count - start, result)


async def measure(houses: int) -> tuple[Timed, Timed]:
    """Generate `houses` houses, then time two sweeps and each rule. Returns the sweeps."""
    from house.alerts import services
    from house.db import raw

    await fresh_database()
    started = time.perf_counter()
    world = await generate(houses)
    await raw("ANALYZE")  # the planner's statistics, as autovacuum keeps them in production
    residents = sum(len(people) for people in world.people.values())
    print(
        f"\n{residents:,} residents in {houses} houses: {world.rows:,} rows written"
        f" in {time.perf_counter() - started:.1f} s"
    )
    first = await timed(lambda: services.sweep(NOW))
    kinds = await raw(
        "SELECT kind, count(*) AS n FROM alert WHERE created_at = {} GROUP BY kind ORDER BY kind",
        NOW,
    )
    deliveries = await raw(
        "SELECT count(*) AS n FROM delivery WHERE created_at = {}",
        NOW,
    )
    second = await timed(lambda: services.sweep(NOW))
    print(
        f"  first sweep   {first.seconds:7.2f} s {first.queries:7,} queries"
        f"  {first.result:,} alerts raised, {deliveries[0]['n']:,} deliveries planned"
    )
    print("    " + ", ".join(f"{row['kind']} {row['n']:,}" for row in kinds))
    print(
        f"  steady state  {second.seconds:7.2f} s {second.queries:7,} queries"
        f"  {second.result:,} alerts raised (all raised already: what the minute cron runs)"
    )
    await per_rule()
    return first, second


async def per_rule() -> None:
    """Each step of a steady-state sweep on its own: time, queries, alerts it matches."""
    from house.alerts import services
    from house.houses import alerts as houses_alerts
    from house.registry import ALERT_RULES

    by_house = await houses_alerts.settings()
    print("  steady state, step by step:")
    steps: list[tuple[str, Callable[[], Awaitable[Any]]]] = [
        ("process_events", lambda: services.process_events(NOW)),
        ("houses", houses_alerts.settings),
        *(
            (rule.name, lambda sweep=rule.sweep: sweep(NOW, by_house))
            for rule in ALERT_RULES
            if rule.sweep is not None
        ),
    ]
    specs: list[services.AlertSpec] = []
    for name, run in steps:
        step = await timed(run)
        if name == "process_events":
            what = f"{step.result} raised"
        elif name == "houses":
            what = f"{len(step.result)} houses"
        else:
            specs += step.result
            what = f"{len(step.result):,} matched"
        ms = 1000 * step.seconds
        print(f"    {name:<24} {ms:8.1f} ms {step.queries:3} queries  {what}")
    # The sweep's own last step: one lookup of every matched key, nothing new to raise.
    step = await timed(lambda: services._raise_new(specs, NOW))
    print(
        f"    {'keys already raised':<24} {1000 * step.seconds:8.1f} ms {step.queries:3} queries"
        f"  {len(specs):,} keys looked up, {step.result} new"
    )


async def main(houses: int, small: int) -> None:
    from house.lib import clock

    clock.freeze(NOW)
    sweeps: dict[int, tuple[Timed, Timed]] = {}
    try:
        for size in dict.fromkeys((small, houses)):
            sweeps[size * PER_HOUSE] = await measure(size)
    finally:
        await drop_database()
    print("\nsteady-state sweep (the target: under 2 s, the same queries at every size):")
    for residents, (_, second) in sweeps.items():
        verdict = "under" if second.seconds < 2 else "OVER"
        print(
            f"  {residents:>7,} residents  {second.seconds:5.2f} s ({verdict} 2 s)"
            f"  {second.queries} queries"
        )
    same = len({second.queries for _, second in sweeps.values()}) == 1
    print("  queries: the same at every size" if same else "  queries: GROW with the residents")
    print("first sweep (one transaction per new alert: its queries grow with the alerts raised):")
    for residents, (first, _) in sweeps.items():
        print(
            f"  {residents:>7,} residents  {first.seconds:5.2f} s  {first.queries:,} queries"
            f" for {first.result:,} new alerts"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--houses", type=int, default=100, help="the large size, in houses")
    parser.add_argument("--small", type=int, default=10, help="the small size, in houses")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    tmp = Path(tempfile.mkdtemp(prefix="house-bench-"))
    os.environ.setdefault("HOUSE_VAR_DIR", str(tmp))
    # Always the bench's own database (it is dropped), never a DATABASE_URL from outside.
    os.environ["DATABASE_URL"] = f"{admin_dsn()}/{DATABASE}"
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/14")
    asyncio.run(main(args.houses, args.small))
