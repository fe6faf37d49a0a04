"""Random screen selection: a house's settings, the day's draw, excusing, and the missed sweep.

A draw is one RandomDraw row per house and day (a unique index: a second draw the same day,
by the job or a manager, gets the first one back, never a second list) with one
DrawSelection per resident drawn. Everything needed to redraw it is stored with it: the
seed, the eligible ids, why the others were left out, and how many were wanted
(`random_draw` says how the list follows from them).

A selection moves selected -> screened (the screens core, when a screen is recorded),
excused (a manager, with a reason) or missed (the sweep, once the day has ended in the
house's timezone; it writes a "missed" screen). Each move is one conditional UPDATE from
"selected", so two taps, two managers or two workers apply it once.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from dataclasses import dataclass
from typing import Any

from piccolo.query.functions.aggregate import Count

from house.audit.services import record_access
from house.db import is_unique_violation, write_transaction
from house.events.services import emit, record_event
from house.houses import services as houses
from house.houses.tables import House
from house.lib.dates import at_local, house_today, local
from house.lib.errors import DomainError, NotFound
from house.residents.tables import Stay
from house.screens.random import draw as algo
from house.screens.tables import DrawSelection, RandomDraw, Screen

Status = DrawSelection.Status
SETTINGS = (
    "random_enabled",
    "random_rate_kind",
    "random_rate",
    "random_draw_time",
    "random_weekly_cap",
    "random_exclusion_hours",
)


def end_of_day(day: dt.date, timezone: str) -> dt.datetime:
    """The last second of `day` in the house's timezone, in UTC (a DST day has 23 or 25 h)."""
    return at_local(day, dt.time(23, 59, 59), timezone)


def draw_is_due(now: dt.datetime, draw_time: str, timezone: str) -> bool:
    """True once the house's local time of day is at or after `draw_time` ("HH:MM")."""
    try:
        at = dt.time.fromisoformat(draw_time)
    except ValueError:
        at = dt.time(6)
    return local(now, timezone).time() >= at


# Settings ----------------------------------------------------------------------------------


async def save_settings(
    *, actor_id: int, house_id: int, values: dict[str, Any], version: int, now: dt.datetime
) -> bool:
    """Store the house's random-screen settings, if nobody saved the house since `version`
    was read. A repeat of the same values (a double submit) changes nothing and is fine.
    Returns True when something was stored."""
    return await houses.save_settings(
        actor_id=actor_id,
        house_id=house_id,
        values={name: values[name] for name in SETTINGS},
        version=version,
        now=now,
        action="random_settings_saved",
        detail=" ".join(f"{name[7:]}={values[name]}" for name in SETTINGS),
    )


# The draw ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Drawn:
    draw_id: int
    created: bool  # False: the day's list was drawn before (this is that one)


async def draw_id_on(house_id: int, day: dt.date) -> int | None:
    row = (
        await RandomDraw.select(RandomDraw.id)
        .where(RandomDraw.house == house_id, RandomDraw.day == day)
        .first()
    )
    return int(row["id"]) if row else None


async def eligibility_on(
    house: dict[str, Any], day: dt.date, now: dt.datetime
) -> tuple[algo.Eligibility, dict[int, int], int]:
    """Who may be drawn in `house` on `day`: (eligibility, stay id by resident, how many
    current residents). Current: a stay in the house on `day` (admitted on or before it,
    not exited on or before it). Three queries, whatever the size of the house."""
    stays = await Stay.select(Stay.id, Stay.resident).where(
        Stay.house == house["id"],
        Stay.admitted_on <= day,
        (Stay.status == Stay.Status.active)
        | ((Stay.status == Stay.Status.exited) & (Stay.exited_on > day)),
    )
    stay_of = {int(s["resident"]): int(s["id"]) for s in stays}
    residents = sorted(stay_of)
    monday = algo.week_start(day)
    counts = await (
        DrawSelection.select(DrawSelection.resident, Count(DrawSelection.id, alias="n"))
        .where(
            DrawSelection.resident.is_in(residents or [-1]),
            DrawSelection.day >= monday,
            DrawSelection.day <= monday + dt.timedelta(days=6),
        )
        .group_by(DrawSelection.resident)
    )
    since = now - dt.timedelta(hours=house["random_exclusion_hours"])
    # A "missed" screen is no screen: it never spares anyone the next draw.
    screens = await Screen.select(Screen.resident, Screen.collected_at).where(
        Screen.resident.is_in(residents or [-1]),
        Screen.collected_at > since,
        Screen.collected_at <= now,  # a draw for a past day ignores what came after it
        Screen.outcome != Screen.Outcome.missed,
    )
    last: dict[int, dt.datetime] = {}
    for s in screens:
        rid = int(s["resident"])
        last[rid] = max(last.get(rid, s["collected_at"]), s["collected_at"])
    result = algo.eligibility(
        residents,
        selections_this_week={int(c["resident"]): int(c["n"]) for c in counts},
        last_screened=last,
        weekly_cap=house["random_weekly_cap"],
        exclusion_hours=house["random_exclusion_hours"],
        now=now,
    )
    return result, stay_of, len(residents)


async def draw_for_day(*, house_id: int, day: dt.date, now: dt.datetime, by: int | None) -> Drawn:
    """Draw the house's list for `day` (by a manager, or None: the daily job).

    1. Refused while the house has random screens off.
    2. A list already drawn for the day is returned as it is (Drawn.created False).
    3. In one transaction: the RandomDraw with its seed, eligible, excluded and wanted; a
       DrawSelection per resident drawn; an audit row. Two at once: the unique index lets
       one commit and the other gets the first one's list.
    """
    house = await House.select().where(House.id == house_id).first()
    if house is None:
        raise NotFound()
    if not house["random_enabled"]:
        raise DomainError("Random screens are off for this house. Turn them on in the settings.")
    if (found := await draw_id_on(house_id, day)) is not None:
        return Drawn(found, False)
    try:
        async with write_transaction():
            draw_id = await _store_draw(house, day, now, by)
    except Exception as exc:
        if is_unique_violation(exc) and (found := await draw_id_on(house_id, day)) is not None:
            return Drawn(found, False)
        raise
    return Drawn(draw_id, True)


async def _store_draw(house: dict[str, Any], day: dt.date, now: dt.datetime, by: int | None) -> int:
    """Step 3 (inside the transaction): who is eligible, how many are wanted, the seeded
    list, stored with everything needed to redraw it, and the audit row."""
    result, stay_of, current = await eligibility_on(house, day, now)
    wanted = algo.how_many(house["random_rate_kind"], house["random_rate"], current)
    seed = secrets.token_hex(16)
    selected = algo.draw(day, seed, result.eligible, wanted)
    rows = await RandomDraw.insert(
        RandomDraw(
            house=house["id"],
            day=day,
            drawn_at=now,
            drawn_by=by,
            seed=seed,
            eligible=json.dumps(result.eligible),
            excluded=json.dumps({str(k): v for k, v in result.excluded.items()}),
            wanted=wanted,
            selected=json.dumps(selected),
            algorithm=algo.ALGORITHM,
        )
    ).returning(RandomDraw.id)
    draw_id = int(rows[0]["id"])
    if selected:
        await DrawSelection.insert(
            *[
                DrawSelection(
                    draw=draw_id,
                    house=house["id"],
                    resident=rid,
                    stay=stay_of[rid],
                    day=day,
                    status=Status.selected,
                )
                for rid in selected
            ]
        )
    await record_access(
        actor_id=by,
        action="random_drawn",
        at=now,
        record=f"random_draw:{draw_id}",
        detail=f"house:{house['id']} {day}: {len(selected)} of {len(result.eligible)}",
    )
    return draw_id


def redraw(draw: dict[str, Any]) -> list[int]:
    """The list that the stored seed, day, eligible ids and wanted give today."""
    return algo.draw(draw["day"], draw["seed"], json.loads(draw["eligible"]), draw["wanted"])


def verifies(draw: dict[str, Any]) -> bool:
    """True when redrawing from what is stored gives the stored list, in the same order."""
    return bool(
        draw["algorithm"] == algo.ALGORITHM and redraw(draw) == json.loads(draw["selected"])
    )


async def due_draws(now: dt.datetime) -> list[int]:
    """For each house with random screens on whose draw time has come (house time): draw
    today's list if there is none. Safe to run twice; after downtime it draws today's list
    (a day gone by is not drawn afterwards). Returns the draws made."""
    houses = await House.select(House.id, House.timezone, House.random_draw_time).where(
        House.random_enabled.eq(True)
    )
    made = []
    for house in houses:
        if not draw_is_due(now, house["random_draw_time"], house["timezone"]):
            continue
        today = house_today(now, house["timezone"])
        if await draw_id_on(house["id"], today) is not None:
            continue
        try:
            drawn = await draw_for_day(house_id=house["id"], day=today, now=now, by=None)
        except DomainError:
            continue  # turned off in the meantime
        if drawn.created:
            made.append(drawn.draw_id)
    return made


# Selections --------------------------------------------------------------------------------


async def selection(selection_id: int) -> dict[str, Any] | None:
    row: dict[str, Any] | None = (
        await DrawSelection.select(
            *DrawSelection.all_columns(), DrawSelection.house.timezone.as_alias("timezone")
        )
        .where(DrawSelection.id == selection_id)
        .first()
    )
    return row


async def excuse(*, actor_id: int, selection_id: int, reason: str, now: dt.datetime) -> None:
    """Excuse a resident from the day's random screen (only while "selected")."""
    async with write_transaction():
        changed = (
            await DrawSelection.update(
                {
                    DrawSelection.status: Status.excused,
                    DrawSelection.excuse_reason: reason,
                    DrawSelection.decided_by: actor_id,
                    DrawSelection.decided_at: now,
                }
            )
            .where(DrawSelection.id == selection_id, DrawSelection.status == Status.selected)
            .returning(DrawSelection.resident)
        )
        if not changed:
            current = await DrawSelection.select(DrawSelection.status).where(
                DrawSelection.id == selection_id
            )
            state = current[0]["status"] if current else "gone"
            raise DomainError(f"This selection is already {state}: nothing was changed.")
        await record_access(
            actor_id=actor_id,
            action="random_excused",
            at=now,
            subject_id=None,
            record=f"draw_selection:{selection_id}",
            detail=f"resident:{changed[0]['resident']}",
        )


async def write_missed(stay: dict[str, Any], *, collected_at: dt.datetime, now: dt.datetime) -> int:
    """A "missed" random screen for `stay` (its house, stay and resident ids), and CM hears
    of it (inside the caller's transaction). Returns the screen's id."""
    rows = await Screen.insert(
        Screen(
            house=stay["house"],
            stay=stay["stay"],
            resident=stay["resident"],
            collected_at=collected_at,
            collected_by=None,
            method=None,
            reason=Screen.Reason.random,
            panel=None,
            outcome=Screen.Outcome.missed,
            note="Selected at random and not screened that day.",
            recorded_at=now,
            recorded_by=None,
        )
    ).returning(Screen.id)
    screen_id = int(rows[0]["id"])
    await emit("screen_recorded", screen_id, now)
    return screen_id


async def sweep_missed(now: dt.datetime) -> int:
    """Every selection still "selected" after its day has ended (house time) is missed.

    Per selection, one transaction: the conditional UPDATE selected -> missed (zero rows:
    someone else got there first), a "missed" Screen collected at the end of that day, the
    selection's link to it, the CM consequence, an audit row. Returns how many."""
    open_rows = await DrawSelection.select(
        *DrawSelection.all_columns(), DrawSelection.house.timezone.as_alias("timezone")
    ).where(DrawSelection.status == Status.selected)
    marked = 0
    for row in open_rows:
        if row["day"] >= house_today(now, row["timezone"]):
            continue
        async with write_transaction():
            changed = (
                await DrawSelection.update(
                    {DrawSelection.status: Status.missed, DrawSelection.decided_at: now}
                )
                .where(DrawSelection.id == row["id"], DrawSelection.status == Status.selected)
                .returning(DrawSelection.id)
            )
            if not changed:
                continue
            screen_id = await write_missed(
                row, collected_at=end_of_day(row["day"], row["timezone"]), now=now
            )
            await DrawSelection.update({DrawSelection.screen: screen_id}).where(
                DrawSelection.id == row["id"]
            )
            await record_event("screen", f"screen:{screen_id}", row["house"], now)
            await record_access(
                actor_id=None,
                action="random_missed",
                at=now,
                record=f"draw_selection:{row['id']}",
                detail=f"screen:{screen_id} resident:{row['resident']}",
            )
        marked += 1
    return marked
