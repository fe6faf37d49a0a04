"""Requests per second and queries per request for the signed-in pages, in-process.

    .venv/bin/python bench/pages.py [--requests 300] [--users 200]

Uses a throwaway SQLite database (or DATABASE_URL if set) and the real app through
httpx's ASGI transport, so it measures the app and the database, not a network.
Prints one line per page: requests/s, mean ms, queries per request.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import tempfile
import time
from pathlib import Path


async def main(requests: int, users: int) -> None:
    import httpx
    from piccolo.apps.migrations.commands.forwards import run_forwards

    from house.accounts.sessions import WebSession, save_session
    from house.accounts.tables import User
    from house.app import create_app, lifespan
    from house.beds.placements import services as placements
    from house.db import query_counter
    from house.lib import clock
    from house.web.sessions import cookie_name
    from tests.factories import make_bed, make_house, make_room, make_stay, make_user

    await run_forwards(app_name="house")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request otherwise
    house = await make_house()
    admin = await make_user(User.Role.admin)
    for _ in range(users):
        await make_user(User.Role.resident, [house])
    # A house of `users` beds, half of them occupied, and a waitlist.
    today = clock.now().date()
    room = await make_room(house)
    for i in range(users):
        bed = await make_bed(room, f"B{i:04d}")
        if i % 2 == 0:
            stay = await make_stay(house, admin.id)
            await placements.admit(
                actor_id=admin.id,
                stay_id=stay,
                bed_id=bed,
                on=today,
                today=today,
                now=clock.now(),
            )
    for _ in range(users // 10):
        await make_stay(house, admin.id)
    house_life = await _house_life(house, admin.id, users)
    session = WebSession()
    session.sign_in(admin.id)
    token, _ = await save_session(session, clock.now())

    app = create_app()
    async with (
        lifespan(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1:8000"
        ) as client,
    ):
        client.cookies.set(cookie_name(), token or "")
        paths = (
            "/login",
            "/",
            "/admin/users",
            "/admin/system",
            "/health",
            "/houses",
            f"/houses/{house}/board",
            "/residents",
            f"/houses/{house}/chores/day",
            f"/houses/{house}/chores/week",
            f"/houses/{house}/meetings",
            f"/meetings/{house_life['meeting']}/roll",
            f"/houses/{house}/meetings/week",
            f"/houses/{house}/meetings/outside",
            f"/houses/{house}/violations",
        )
        for path in paths:
            await client.get(path)  # warm up
            start_queries = query_counter.count
            started = time.perf_counter()
            for _ in range(requests):
                response = await client.get(path)
                assert response.status_code in (200, 303), (path, response.status_code)
            elapsed = time.perf_counter() - started
            per_request = (query_counter.count - start_queries) / requests
            print(
                f"{path:<28} {requests / elapsed:8.0f} req/s {1000 * elapsed / requests:7.2f} ms"
                f" {per_request:5.1f} queries/request"
            )


async def _house_life(house: int, admin: int, users: int) -> dict[str, int]:
    """Seven chores with this week's rotation, a house meeting, an outside meeting logged by
    every tenth resident, and ten violations: the daily round's pages have rows to show."""
    import datetime as dt

    from house.chores import services as chores
    from house.chores import weeks
    from house.lib import clock
    from house.lib.dates import house_today
    from house.residents.tables import Stay
    from house.rules import services as rules
    from house.violations import services as violations
    from tests.factories import make_house_meeting, make_outside_meeting

    now = clock.now()
    for i in range(7):
        values = {
            "name": f"Chore {i}",
            "area": "",
            "instructions": "",
            "frequency": "daily",
            "weekdays": "",
            "weight": 1 + i % 3,
        }
        await chores.add_chore(actor_id=admin, house_id=house, values=values, now=now)
    today = house_today(now, "America/Chicago")
    monday = today - dt.timedelta(days=today.weekday())
    await weeks.generate_rotation(house_id=house, week_start=monday, today=today, now=now)
    meeting = await make_house_meeting(house)
    stays = await Stay.select(Stay.id, Stay.resident).where(
        Stay.house == house, Stay.status == Stay.Status.active
    )
    for row in stays[:: max(1, len(stays) // (users // 10 or 1))]:
        ids = {"stay": row["id"], "resident": row["resident"]}
        await make_outside_meeting(ids, house, admin)
    rows = [{"number": 1, "text": "Be home by curfew.", "category": "", "consequence": ""}]
    await rules.publish(actor_id=admin, house_id=house, rules=rows, note="", now=now)
    choices = await violations.form_choices(house)
    for row in stays[:10]:
        await violations.record_violation(
            actor_id=admin,
            house_id=house,
            values={
                "stay": row["id"],
                "rule": choices["rules"][0]["id"],
                "occurred_on": now.date(),  # the day the bench admitted everyone
                "occurred_at": now,
                "location": "",
                "description": "Late.",
                "severity": "minor",
                "consequence": choices["ladder"][0],
            },
            now=now,
        )
    return {"meeting": meeting}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--users", type=int, default=200)
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for tests.factories
    tmp = Path(tempfile.mkdtemp(prefix="house-bench-"))
    os.environ.setdefault("HOUSE_VAR_DIR", str(tmp))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp / 'bench.sqlite3'}")
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/14")
    asyncio.run(main(args.requests, args.users))
