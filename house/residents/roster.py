"""The residents list for staff: who lives in the houses the user works in, who is waiting,
and who has left (each person once, by their latest stay), with a search by part of a name
or a date of birth across all three.

Three queries whatever the number of rows (the beds of the people living here are a fourth,
asked by the view from the placements). Every query is narrowed by `scoped` to the user's
houses; the subqueries that decide "latest stay" are narrowed the same way, so a stay in a
house the user does not work in neither shows nor hides anything.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from piccolo.columns.combination import WhereRaw
from piccolo.query import Select

from house.residents.tables import Stay
from house.web.access import CurrentUser, scoped, visible_house_ids

PAST_PAGE = 50
OPEN = [Stay.Status.waitlist, Stay.Status.active]


def _like(q: str) -> str:
    """A LIKE pattern for `q` anywhere in a name, lowercased, with LIKE's own characters
    (% _ and the escape \\) matched as themselves."""
    escaped = q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _matching(query: Select[Stay], q: str, born: dt.date | None) -> Select[Stay]:
    """`query` (of stays) narrowed to people whose legal or preferred name holds `q`
    (case-insensitive) and who were born on `born`; either may be empty."""
    if q:
        pattern = _like(q)
        query = query.where(
            WhereRaw(
                "EXISTS (SELECT 1 FROM resident WHERE resident.id = stay.resident AND "
                "(LOWER(resident.legal_name) LIKE {} ESCAPE '\\' "
                "OR LOWER(resident.preferred_name) LIKE {} ESCAPE '\\'))",
                pattern,
                pattern,
            )
        )
    if born is not None:
        query = query.where(Stay.resident.date_of_birth == born)
    return query


def _columns() -> list[Any]:
    return [
        Stay.id,
        Stay.status,
        Stay.resident,
        Stay.priority,
        Stay.applied_on,
        Stay.admitted_on,
        Stay.exited_on,
        Stay.exit_reason,
        Stay.house.name.as_alias("house_name"),
        Stay.resident.preferred_name.as_alias("name"),
        Stay.resident.legal_name.as_alias("legal_name"),
    ]


async def open_stays(
    user: CurrentUser, q: str = "", born: dt.date | None = None
) -> list[dict[str, Any]]:
    """The waiting and active stays of the houses the user works in, of the people who
    match the search, by the name people go by."""
    query = _matching(Stay.select(*_columns()).where(Stay.status.is_in(OPEN)), q, born)
    stays: list[dict[str, Any]] = await scoped(query, Stay.house, user).order_by(
        Stay.resident.preferred_name
    )
    return stays


def _latest_of_person(user: CurrentUser) -> WhereRaw:
    """A stay with no later stay of the same person in the user's houses: an open one (they
    are back, living here or waiting) or one that ended later (or the same day, made later)."""
    allowed = visible_house_ids(user)
    houses: list[int] = [] if allowed is None else sorted(allowed) or [-1]
    # Only placeholders are joined in (one per house id); the ids go as parameters.
    in_houses = f" AND later.house IN ({', '.join('{}' for _ in houses)})" if houses else ""
    return WhereRaw(
        "NOT EXISTS (SELECT 1 FROM stay later WHERE later.resident = stay.resident "  # noqa: S608
        "AND later.id <> stay.id AND (later.status <> {} OR later.exited_on > stay.exited_on "
        "OR (later.exited_on = stay.exited_on AND later.id > stay.id))" + in_houses + ")",
        Stay.Status.exited.value,
        *houses,
    )


async def past_stays(
    user: CurrentUser, q: str = "", born: dt.date | None = None, page: int = 1
) -> tuple[list[dict[str, Any]], bool]:
    """The people who have left the houses the user works in (each once, by their latest
    stay there), newest exit first, `PAST_PAGE` a page; and whether there are older ones."""
    query = _matching(
        Stay.select(*_columns()).where(Stay.status == Stay.Status.exited, _latest_of_person(user)),
        q,
        born,
    )
    rows: list[dict[str, Any]] = (
        await scoped(query, Stay.house, user)
        .order_by(Stay.exited_on, Stay.id, ascending=False)
        .limit(PAST_PAGE + 1)
        .offset((page - 1) * PAST_PAGE)
    )
    return rows[:PAST_PAGE], len(rows) > PAST_PAGE
