"""Reading screens: one screen with its results, a resident's history, a resident's own,
the house's list for the day, and the audit row every staff view of results writes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from house.accounts.sessions import CurrentUser
from house.amendments import services as amendments
from house.audit.services import record_access
from house.lib.dates import day_bounds
from house.residents.tables import Stay
from house.screens.tables import DrawSelection, Screen, ScreenResult
from house.web.access import scoped


async def current_residents(house_id: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = (
        await Stay.select(
            Stay.id,
            Stay.resident,
            Stay.admitted_on,
            Stay.resident.preferred_name.as_alias("name"),
            Stay.resident.user.as_alias("user"),
        )
        .where(Stay.house == house_id, Stay.status == Stay.Status.active)
        .order_by(Stay.resident.preferred_name)
    )
    return rows


async def default_reason(house_id: int, resident_id: int, day: dt.date) -> str:
    """Why a screen was taken, when nobody said: "random" if the resident was drawn in this
    house's draw of `day` (a day in the house's timezone), whatever came of the selection;
    otherwise "routine". One query."""
    drawn = await DrawSelection.exists().where(
        DrawSelection.house == house_id,
        DrawSelection.resident == resident_id,
        DrawSelection.day == day,
    )
    return "random" if drawn else "routine"


async def detail(screen_id: int) -> dict[str, Any] | None:
    """A screen with its resident, house, collector, panel, results and corrections."""
    row: dict[str, Any] | None = (
        await Screen.select(
            *Screen.all_columns(),
            Screen.resident.preferred_name.as_alias("resident_name"),
            Screen.resident.user.as_alias("resident_user"),
            Screen.house.name.as_alias("house_name"),
            Screen.house.timezone.as_alias("timezone"),
            Screen.collected_by.name.as_alias("collected_by_name"),
            Screen.panel.name.as_alias("panel_name"),
        )
        .where(Screen.id == screen_id)
        .first()
    )
    if row is None:
        return None
    row["results"] = (
        await ScreenResult.select(
            ScreenResult.result,
            ScreenResult.substance.name.as_alias("substance_name"),
            ScreenResult.prescription.medication.as_alias("medication"),
        )
        .where(ScreenResult.screen == screen_id)
        .order_by(ScreenResult.substance.sort_order)
    )
    row["amendments"] = await amendments.history("screen", screen_id)
    return row


def _listing() -> Any:
    return Screen.select(
        Screen.id,
        Screen.resident,
        Screen.collected_at,
        Screen.method,
        Screen.reason,
        Screen.outcome,
        Screen.lab,
        Screen.house.name.as_alias("house_name"),
        Screen.house.timezone.as_alias("timezone"),
    ).order_by(Screen.collected_at, ascending=False)


async def resident_screens(
    resident_id: int, user: CurrentUser, limit: int = 200
) -> list[dict[str, Any]]:
    """A resident's screens in the houses `user` works in, newest first (one query)."""
    query = scoped(_listing().where(Screen.resident == resident_id), Screen.house, user)
    rows: list[dict[str, Any]] = await query.limit(limit)
    return rows


async def my_screens(user_id: int, limit: int = 200) -> list[dict[str, Any]]:
    """A resident's own screens, newest first (one query)."""
    rows: list[dict[str, Any]] = (
        await _listing().where(Screen.resident.user == user_id).limit(limit)
    )
    return rows


async def screens_today(house: dict[str, Any], today: dt.date) -> list[dict[str, Any]]:
    """The house's list for the day (three queries whatever the size): first the residents
    drawn for a random screen today (in draw order), then every other current resident by
    name, each with the screens recorded for them today."""
    house_id = house["id"]
    selections = (
        await DrawSelection.select(
            DrawSelection.id,
            DrawSelection.resident,
            DrawSelection.status,
            DrawSelection.resident.preferred_name.as_alias("name"),
        )
        .where(DrawSelection.house == house_id, DrawSelection.day == today)
        .order_by(DrawSelection.id)
    )
    residents = await current_residents(house_id)
    start, end = day_bounds(today, house["timezone"])
    screens = (
        await _listing()
        .where(Screen.house == house_id, Screen.collected_at >= start, Screen.collected_at < end)
        .order_by(Screen.collected_at)
    )
    by_resident: dict[int, list[dict[str, Any]]] = {}
    for screen in screens:
        by_resident.setdefault(screen["resident"], []).append(screen)
    rows: list[dict[str, Any]] = []
    seen: set[int] = set()
    living = {r["resident"] for r in residents}
    for selection in selections:
        if selection["resident"] in seen:
            continue
        seen.add(selection["resident"])
        rows.append(
            {
                "resident": selection["resident"],
                "name": selection["name"],
                "selection": selection["status"],
                "living": selection["resident"] in living,
                "screens": by_resident.get(selection["resident"], []),
            }
        )
    for resident in residents:
        if resident["resident"] in seen:
            continue
        rows.append(
            {
                "resident": resident["resident"],
                "name": resident["name"],
                "selection": None,
                "living": True,
                "screens": by_resident.get(resident["resident"], []),
            }
        )
    return rows


async def record_results_viewed(
    *,
    actor_id: int,
    page: str,
    screen_ids: list[int],
    now: dt.datetime,
    subject_id: int | None = None,
    request_id: str = "",
) -> None:
    """The one audit row of a page that shows results to staff: which page and which
    screens, never what they showed. Raises if it cannot be written (then the page is not
    shown)."""
    await record_access(
        actor_id=actor_id,
        action="screens_viewed",
        at=now,
        subject_id=subject_id,
        record=page[:120],
        detail="screens:" + ",".join(str(i) for i in screen_ids) if screen_ids else "screens:",
        request_id=request_id,
    )
