"""When a stay ends: its chores from the exit day on go to the others in the house, fairly
(the rotation's own rule, rotation.hand_on), inside the exit's transaction (house.registry
has it listen to "stay_exited"). Done, checked, missed and excused rows stay as they are;
an occurrence nobody else is in the house for, or on a day already gone (an exit recorded
late: nobody can do yesterday's chore now), is excused with why, never deleted.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from house.audit.services import record_access
from house.chores import rotation as algo
from house.chores.services import OPEN, Status
from house.chores.tables import ChoreAssignment
from house.chores.weeks import rotation_inputs
from house.lib.dates import house_today
from house.lib.datewords import date_words
from house.residents.tables import Stay


async def hand_on_chores(stay_id: int, now: dt.datetime) -> None:
    """Give the ended stay's open chores on and after its exit day to the others."""
    stay = (
        await Stay.select(
            Stay.house, Stay.resident, Stay.exited_on, Stay.house.timezone.as_alias("timezone")
        )
        .where(Stay.id == stay_id)
        .first()
    )
    if stay is None or stay["exited_on"] is None:
        return
    rows = await ChoreAssignment.select(
        ChoreAssignment.id,
        ChoreAssignment.rotation,
        ChoreAssignment.chore,
        ChoreAssignment.day,
        ChoreAssignment.weight,
        ChoreAssignment.rotation.week_start.as_alias("week_start"),
        ChoreAssignment.rotation.seed.as_alias("seed"),
    ).where(
        ChoreAssignment.stay == stay_id,
        ChoreAssignment.day >= stay["exited_on"],
        ChoreAssignment.status.is_in(list(OPEN)),
    )
    today = house_today(now, stay["timezone"])
    gone = [r["id"] for r in rows if r["day"] < today]
    if gone:
        await _excuse(gone, f"Not in the house: the stay ended on {date_words(stay['exited_on'])}.")
    by_week: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        if row["day"] >= today:
            by_week[row["rotation"]].append(row)
    for rotation_id, open_rows in sorted(by_week.items()):
        await _hand_on_week(stay, stay_id, rotation_id, open_rows, now)


async def _excuse(assignment_ids: list[int], why: str) -> None:
    await ChoreAssignment.update(
        {
            ChoreAssignment.status: Status.excused,
            ChoreAssignment.note: why,
            ChoreAssignment.version: ChoreAssignment.version + 1,
        }
    ).where(ChoreAssignment.id.is_in(assignment_ids), ChoreAssignment.status.is_in(list(OPEN)))


async def _hand_on_week(
    stay: dict[str, Any],
    stay_id: int,
    rotation_id: int,
    open_rows: list[dict[str, Any]],
    now: dt.datetime,
) -> None:
    week = open_rows[0]["week_start"]
    _chores, residents, _last = await rotation_inputs(stay["house"], week)
    open_ids = {r["id"] for r in open_rows}
    taken = [
        (r["resident"], r["day"], r["weight"])
        for r in await ChoreAssignment.select(
            ChoreAssignment.id,
            ChoreAssignment.resident,
            ChoreAssignment.day,
            ChoreAssignment.weight,
        ).where(ChoreAssignment.rotation == rotation_id, ChoreAssignment.status != Status.excused)
        if r["id"] not in open_ids
    ]
    given = algo.hand_on(
        open_slots=[(r["id"], r["chore"], r["day"], r["weight"]) for r in open_rows],
        residents=residents,
        taken=taken,
        leaver=stay["resident"],
        seed=open_rows[0]["seed"] + stay_id,
    )
    nobody = [a for a, to in given.items() if to is None]
    if nobody:
        await _excuse(nobody, "Nobody else was in the house after this stay ended.")
    for assignment_id, to in given.items():
        if to is not None:
            await ChoreAssignment.update(
                {
                    ChoreAssignment.resident: to.id,
                    ChoreAssignment.stay: to.stay_id,
                    ChoreAssignment.status: Status.pending,
                    ChoreAssignment.note: "",
                    ChoreAssignment.version: ChoreAssignment.version + 1,
                }
            ).where(ChoreAssignment.id == assignment_id, ChoreAssignment.status.is_in(list(OPEN)))
    await record_access(
        actor_id=None,
        action="chores_handed_on",
        at=now,
        record=f"chore_rotation:{rotation_id}",
        detail=f"stay:{stay_id} chores:{len(given)}",
    )
