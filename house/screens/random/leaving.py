"""When a stay ends: a random selection still open for the exit day or later is withdrawn
(excused, with why), inside the exit's transaction (house.registry has it listen to
"stay_exited"). Nothing is deleted; selections already screened, excused or missed, and
the draws themselves, stay as they were drawn.
"""

from __future__ import annotations

import datetime as dt

from house.audit.services import record_access
from house.lib.datewords import date_words
from house.residents.tables import Stay
from house.screens.tables import DrawSelection

Status = DrawSelection.Status


async def withdraw_selections(stay_id: int, now: dt.datetime) -> None:
    stay = await Stay.select(Stay.exited_on).where(Stay.id == stay_id).first()
    if stay is None or stay["exited_on"] is None:
        return
    withdrawn = (
        await DrawSelection.update(
            {
                DrawSelection.status: Status.excused,
                DrawSelection.excuse_reason: (
                    f"Withdrawn: the stay ended on {date_words(stay['exited_on'])}."
                ),
                DrawSelection.decided_at: now,
            }
        )
        .where(
            DrawSelection.stay == stay_id,
            DrawSelection.status == Status.selected,
            DrawSelection.day >= stay["exited_on"],
        )
        .returning(DrawSelection.id)
    )
    for row in withdrawn:
        await record_access(
            actor_id=None,
            action="random_withdrawn",
            at=now,
            record=f"draw_selection:{row['id']}",
            detail=f"stay:{stay_id}",
        )
