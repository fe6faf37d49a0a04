"""Drug screens: the substances an admin keeps, each house's panels, residents' disclosed
prescriptions, recording a screen with a result per substance, lab confirmation,
corrections (amendments) and the audited views of results.

Privacy: a result is never written to a log or to an audit row's detail; every view of
results by staff writes exactly one audit row before the page is rendered
(`record_results_viewed`), and a failed audit write means the page is not shown.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from piccolo.columns import Column

from house.amendments.services import amend as amend_record
from house.amendments.tables import Amendment
from house.audit.services import record_access
from house.db import write_transaction
from house.events.services import emit, record_event
from house.lib.errors import DomainError, NotFound
from house.residents.tables import Stay
from house.screens import outcomes
from house.screens.setup.services import house_panels, is_current
from house.screens.tables import (
    DrawSelection,
    Prescription,
    Screen,
    ScreenResult,
)

# A screen is recorded the day it is collected, or within the week (a lab form found late).
RECORD_BACK = dt.timedelta(days=7)
BREATH_MAX_MILLI = 500
ALCOHOL = "alcohol"
Outcome = Screen.Outcome
# What the manager may say about the specimen instead of reading the results.
SPECIMEN_CHOICES = ("", "dilute", "invalid", "refused", "missed")
NO_SPECIMEN = ("refused", "missed")
AMENDABLE = ("outcome", "specimen_id", "observed", "note")
LAB_POSITIVE = outcomes.LAB_POSITIVE

OUTCOME_LABELS: dict[str, str] = {str(k): v for k, v in outcomes.LABELS.items()}
RESULT_LABELS = {
    "negative": "Negative",
    "positive": "Positive",
    "expected_positive": "Expected (prescribed)",
}
METHOD_LABELS = {
    "urine_cup": "Urine cup",
    "lab_urine": "Lab urine",
    "oral_fluid": "Oral fluid",
    "breath": "Breath alcohol",
}
REASON_LABELS = {
    "random": "Random",
    "scheduled": "Scheduled",
    "suspicion": "Suspicion",
    "return_from_pass": "Return from pass",
    "intake": "Intake",
}
LAB_LABELS = {
    "": "",
    "pending": "Sent to lab",
    "confirmed": "Lab confirmed",
    "overturned": "Lab overturned",
}
SELECTION_LABELS = {
    "selected": "Drawn today",
    "screened": "Drawn, screened",
    "excused": "Drawn, excused",
    "missed": "Drawn, missed",
}


def derive_outcome(results: list[str], specimen: str) -> str:
    """The screen's outcome, from its results unless the specimen was dilute, invalid,
    refused or missed: positive beats expected positive beats negative."""
    if specimen:
        return specimen
    if Outcome.positive in results:
        return Outcome.positive
    if Outcome.expected_positive in results:
        return Outcome.expected_positive
    return Outcome.negative


# ---------------------------------------------------------------- recording a screen


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


async def record_screen(
    *, actor_id: int, house_id: int, values: dict[str, Any], now: dt.datetime
) -> int:
    """Record a screen. Returns its id.

    1. The resident must live in this house now (an active stay), and it was collected not
       in the future, not before move-in, not more than 7 days back.
    2. Refused or missed: no panel, no results. Otherwise the panel is one of the house's
       active panels, the results name only its substances (the rest are negative); a
       breath test needs a value (0.000-0.500) and a panel with alcohol, or none.
    3. A positive for a substance covered by a current prescription is expected; the
       outcome is derived from the results unless the specimen was dilute or invalid.
    4. One transaction: the screen and its results; the resident's draw selection of the
       day, if still "selected", becomes "screened"; contingency management hears of it;
       an audit row (without the outcome).
    """
    stay = (
        await Stay.select(
            Stay.id,
            Stay.resident,
            Stay.admitted_on,
            Stay.resident.preferred_name.as_alias("name"),
            Stay.resident.user.as_alias("user"),
        )
        .where(
            Stay.house == house_id,
            Stay.resident == values["resident"],
            Stay.status == Stay.Status.active,
        )
        .first()
    )
    if stay is None:
        raise DomainError("Choose someone who lives in this house.", field="resident")
    collected_at: dt.datetime = values["collected_at"]
    day: dt.date = values["collected_on"]
    if collected_at > now:
        raise DomainError("That time has not come yet.", field="collected_on")
    if collected_at < now - RECORD_BACK:
        raise DomainError("Record screens within 7 days of collection.", field="collected_on")
    if stay["admitted_on"] and day < stay["admitted_on"]:
        raise DomainError(
            f"{stay['name']} moved in on {stay['admitted_on']}, after that day.",
            field="collected_on",
        )
    specimen: str = values["specimen"]
    method: str | None = values["method"]
    breath_milli: int | None = values["breath_milli"]
    results: dict[int, str] = {}
    panel_id: int | None = None
    if specimen in NO_SPECIMEN:
        method, breath_milli = None, None
    else:
        if method is None:
            raise DomainError("Choose how it was collected.", field="method")
        panel_id = values["panel"]
        panel_substances: dict[int, str] = {}
        if panel_id is not None:
            panels = await house_panels(house_id, active_only=True)
            panel = next((p for p in panels if p["id"] == panel_id), None)
            if panel is None:
                raise DomainError("Choose one of this house's panels.", field="panel")
            panel_substances = {s["id"]: s["code"] for s in panel["substances"]}
        elif method != Screen.Method.breath:
            raise DomainError("Choose the panel that was used.", field="panel")
        if not set(values["results"]) <= set(panel_substances):
            raise DomainError("Give results only for the panel's substances.", field="results")
        if method == Screen.Method.breath:
            if breath_milli is None:
                raise DomainError("Enter the breath reading, like 0.000.", field="breath")
            if panel_id is not None and set(panel_substances.values()) != {ALCOHOL}:
                raise DomainError("A breath test uses a panel of alcohol only.", field="panel")
        elif breath_milli is not None:
            raise DomainError("Only a breath test has a reading.", field="breath")
        results = {s: values["results"].get(s, "negative") for s in panel_substances}
        if method == Screen.Method.breath:  # the reading decides, not a tick box
            results = dict.fromkeys(results, "positive" if breath_milli else "negative")
    covered = await _prescribed(stay["resident"], day)
    prescription_of: dict[int, int] = {}
    for substance, result in results.items():
        if result == "positive" and substance in covered:
            results[substance] = "expected_positive"
            prescription_of[substance] = covered[substance]
    result_values = list(results.values())
    if method == Screen.Method.breath and panel_id is None and breath_milli:
        result_values = ["positive"]
    outcome = derive_outcome(result_values, specimen)
    async with write_transaction():
        rows = await Screen.insert(
            Screen(
                house=house_id,
                stay=stay["id"],
                resident=stay["resident"],
                collected_at=collected_at,
                collected_by=actor_id,
                method=method,
                reason=values["reason"],
                observed=values["observed"] and specimen not in NO_SPECIMEN,
                specimen_id=values["specimen_id"],
                panel=panel_id,
                outcome=outcome,
                breath_milli=breath_milli,
                note=values["note"],
                recorded_at=now,
                recorded_by=actor_id,
            )
        ).returning(Screen.id)
        screen_id = int(rows[0]["id"])
        if results:
            await ScreenResult.insert(
                *[
                    ScreenResult(
                        screen=screen_id,
                        substance=substance,
                        result=result,
                        prescription=prescription_of.get(substance),
                    )
                    for substance, result in results.items()
                ]
            )
        await DrawSelection.update(
            {
                DrawSelection.status: DrawSelection.Status.screened,
                DrawSelection.screen: screen_id,
                DrawSelection.decided_by: actor_id,
                DrawSelection.decided_at: now,
            }
        ).where(
            DrawSelection.house == house_id,
            DrawSelection.resident == stay["resident"],
            DrawSelection.day == day,
            DrawSelection.status == DrawSelection.Status.selected,
        )
        await emit("screen_recorded", screen_id, now)
        await record_event("screen", f"screen:{screen_id}", house_id, now)
        await record_access(
            actor_id=actor_id,
            action="screen_recorded",
            at=now,
            subject_id=stay["user"],
            record=f"screen:{screen_id}",
            detail=f"house:{house_id}",
        )
    return screen_id


async def _prescribed(resident_id: int, day: dt.date) -> dict[int, int]:
    """Substance id -> prescription id, for the resident's prescriptions current on `day`."""
    rows = await Prescription.select(
        Prescription.id, Prescription.substance, Prescription.starts_on, Prescription.ends_on
    ).where(Prescription.resident == resident_id, Prescription.starts_on <= day)
    return {r["substance"]: r["id"] for r in rows if is_current(r, day)}


# ---------------------------------------------------------------- reading


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
    row["amendments"] = (
        await Amendment.select(
            Amendment.field,
            Amendment.old_value,
            Amendment.new_value,
            Amendment.reason,
            Amendment.at,
            Amendment.actor.name.as_alias("actor_name"),
        )
        .where(Amendment.table_name == "screen", Amendment.record_id == screen_id)
        .order_by(Amendment.id)
    )
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
    resident_id: int, house_ids: frozenset[int] | None, limit: int = 200
) -> list[dict[str, Any]]:
    """A resident's screens in the houses given (None: all), newest first (one query)."""
    query = _listing().where(Screen.resident == resident_id)
    if house_ids is not None:
        query = query.where(Screen.house.is_in(sorted(house_ids) or [-1]))
    rows: list[dict[str, Any]] = await query.limit(limit)
    return rows


async def my_screens(user_id: int, limit: int = 200) -> list[dict[str, Any]]:
    """A resident's own screens, newest first (one query)."""
    rows: list[dict[str, Any]] = (
        await _listing().where(Screen.resident.user == user_id).limit(limit)
    )
    return rows


def day_bounds(day: dt.date, timezone: str) -> tuple[dt.datetime, dt.datetime]:
    """The UTC instants at which a house's calendar day starts and the next one starts."""
    zone = ZoneInfo(timezone)
    start = dt.datetime.combine(day, dt.time(), zone)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), zone)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


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


# ---------------------------------------------------------------- corrections and lab


async def _amend(
    *, actor_id: int, screen: dict[str, Any], changes: dict[str, Any], reason: str, now: dt.datetime
) -> list[str]:
    """Write the changed fields and one amendment row per field (inside a transaction)."""
    return await amend_record(
        Screen, screen, changes, reason=reason, actor_id=actor_id, now=now, what="screen"
    )


async def amend(
    *,
    actor_id: int,
    screen_id: int,
    field: str,
    value: Any,
    reason: str,
    now: dt.datetime,
) -> None:
    """Correct one field of a screen (outcome, specimen id, observed, note), keeping the old
    value, who, when and why. A changed outcome is passed on to contingency management."""
    if field not in AMENDABLE:
        raise DomainError("Choose what to correct.", field="field")
    screen = await detail(screen_id)
    if screen is None:
        raise NotFound()
    if field == "outcome" and value not in OUTCOME_LABELS:
        raise DomainError("Choose an outcome from the list.", field="value")
    async with write_transaction():
        if not await _amend(
            actor_id=actor_id, screen=screen, changes={field: value}, reason=reason, now=now
        ):
            raise DomainError("That is the value it already has.", field="value")
        if field == "outcome":
            await emit("screen_recorded", screen_id, now)
            await record_event("screen", f"screen:{screen_id}", screen["house"], now)
        await record_access(
            actor_id=actor_id,
            action="screen_amended",
            at=now,
            subject_id=screen["resident_user"],
            record=f"screen:{screen_id}",
            detail=field,
        )


async def lab_step(
    *,
    actor_id: int,
    screen_id: int,
    step: str,
    on: dt.date,
    reference: str,
    today: dt.date,
    now: dt.datetime,
) -> None:
    """Send a positive to the lab, then record what the lab said.

    1. "send": only a positive or expected positive not yet sent; lab becomes pending.
    2. "confirmed" / "overturned": only while pending, with the lab's reference, on a date
       not before it was sent and not in the future.
    3. Overturned corrects the outcome to negative as an amendment, and contingency
       management hears of it. Each step is a conditional UPDATE (a second tap, or a
       second manager, changes nothing) with an audit row.
    """
    screen = await detail(screen_id)
    if screen is None:
        raise NotFound()
    if on > today:
        raise DomainError("That day has not come yet.", field="on")
    if on < screen["collected_at"].date() - dt.timedelta(days=1):
        raise DomainError("That is before the screen was collected.", field="on")
    async with write_transaction():
        if step == "send":
            if screen["outcome"] not in LAB_POSITIVE:
                raise DomainError("Only a positive screen is sent to the lab.")
            changes: dict[Column | str, Any] = {
                Screen.lab: Screen.Lab.pending,
                Screen.lab_sent_on: on,
            }
            expected = Screen.Lab.none
        else:
            if screen["lab_sent_on"] and on < screen["lab_sent_on"]:
                raise DomainError("That is before it was sent to the lab.", field="on")
            if not reference:
                raise DomainError("Enter the lab's reference.", field="reference")
            changes = {
                Screen.lab: step,
                Screen.lab_resolved_on: on,
                Screen.lab_reference: reference,
            }
            expected = Screen.Lab.pending
        done = (
            await Screen.update(changes)
            .where(Screen.id == screen_id, Screen.lab == expected)
            .returning(Screen.id)
        )
        if not done:
            raise DomainError(
                "It was sent already." if step == "send" else "The lab's answer is recorded."
            )
        if step == Screen.Lab.overturned:
            await _amend(
                actor_id=actor_id,
                screen=screen,
                changes={"outcome": Outcome.negative},
                reason=f"lab overturned {reference}",
                now=now,
            )
            await emit("screen_recorded", screen_id, now)
        if step != "send":
            await record_event("screen", f"screen:{screen_id}", screen["house"], now)
        await record_access(
            actor_id=actor_id,
            action="screen_lab_sent" if step == "send" else f"screen_lab_{step}",
            at=now,
            subject_id=screen["resident_user"],
            record=f"screen:{screen_id}",
        )
