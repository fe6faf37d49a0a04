"""Drug screens: the substances an admin keeps, each house's panels, residents' disclosed
prescriptions, recording a screen with a result per substance, lab confirmation,
corrections (amendments) and the audited views of results.

Privacy: a result is never written to a log or to an audit row's detail; every view of
results by staff writes exactly one audit row before the page is rendered
(`record_results_viewed`), and a failed audit write means the page is not shown.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from piccolo.columns import Column

from house.amendments.services import amend as amend_record
from house.audit.services import record_access
from house.db import write_transaction
from house.events.services import emit, record_event
from house.lib.errors import DomainError, NotFound
from house.residents.tables import Stay
from house.screens import outcomes
from house.screens.queries import default_reason, detail
from house.screens.setup.services import covering_prescriptions, house_panels
from house.screens.tables import (
    DrawSelection,
    Screen,
    ScreenResult,
)

# A screen is recorded the day it is collected, or within the week (a lab form found late).
RECORD_BACK = dt.timedelta(days=7)
BREATH_MAX_MILLI = 500
ALCOHOL = "alcohol"
Outcome = Screen.Outcome
AMENDABLE = ("outcome", "specimen_id", "observed", "note")


# ---------------------------------------------------------------- recording a screen


async def record_screen(
    *, actor_id: int, house_id: int, values: dict[str, Any], now: dt.datetime
) -> int:
    """Record a screen. Returns its id.

    1. The resident must live in this house now (an active stay), and it was collected not
       in the future, not before move-in, not more than 7 days back. No reason given:
       random if drawn that day, otherwise routine (queries.default_reason).
    2. Refused or missed: no panel, no results. Otherwise the panel is one of the house's
       active panels, the results name only its substances (the rest are negative); a
       breath test needs a value (0.000-0.500) and a panel with alcohol, or none.
    3. A positive for a substance covered by a current prescription is expected; the
       outcome is derived from the results unless the specimen was dilute or invalid.
    4. One transaction: the screen and its results; the resident's draw selection of the
       day, if still "selected", becomes "screened"; contingency management hears of it;
       an audit row (without the outcome).
    """
    stay = await _stay_screened(house_id, values, now)
    if not values["reason"]:
        reason = await default_reason(house_id, stay["resident"], values["collected_on"])
        values = {**values, "reason": reason}
    tested = await _tested(house_id, values)
    prescription_of = await _expected(stay["resident"], values["collected_on"], tested.results)
    async with write_transaction():
        screen_id = await _insert(
            actor_id, house_id, stay, values, tested, prescription_of, _outcome(tested, values), now
        )
        await _drawn_and_screened(actor_id, house_id, stay["resident"], values, screen_id, now)
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


@dataclass
class _Tested:
    """How a screen was tested and what it found (step 2)."""

    method: str | None = None
    breath_milli: int | None = None
    panel_id: int | None = None
    results: dict[int, str] = field(default_factory=dict)


async def _stay_screened(house_id: int, values: dict[str, Any], now: dt.datetime) -> dict[str, Any]:
    """Step 1: the resident's active stay in the house, and a time of collection it allows."""
    stay: dict[str, Any] | None = (
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
    if collected_at > now:
        raise DomainError("That time has not come yet.", field="collected_on")
    if collected_at < now - RECORD_BACK:
        raise DomainError("Record screens within 7 days of collection.", field="collected_on")
    if stay["admitted_on"] and values["collected_on"] < stay["admitted_on"]:
        raise DomainError(
            f"{stay['name']} moved in on {stay['admitted_on']}, after that day.",
            field="collected_on",
        )
    return stay


async def _tested(house_id: int, values: dict[str, Any]) -> _Tested:
    """Step 2: nothing for a refused or missed screen; else the method, the panel and a
    result for each of its substances (a breath reading decides a breath test's)."""
    if values["specimen"] in outcomes.NO_SPECIMEN:
        return _Tested()
    method: str | None = values["method"]
    breath_milli: int | None = values["breath_milli"]
    if method is None:
        raise DomainError("Choose how it was collected.", field="method")
    panel_id: int | None = values["panel"]
    substances = await _panel_substances(house_id, panel_id, method)
    if not set(values["results"]) <= set(substances):
        raise DomainError("Give results only for the panel's substances.", field="results")
    if method == Screen.Method.breath:
        if breath_milli is None:
            raise DomainError("Enter the breath reading, like 0.000.", field="breath")
        if panel_id is not None and set(substances.values()) != {ALCOHOL}:
            raise DomainError("A breath test uses a panel of alcohol only.", field="panel")
        results = dict.fromkeys(substances, "positive" if breath_milli else "negative")
    elif breath_milli is not None:
        raise DomainError("Only a breath test has a reading.", field="breath")
    else:
        results = {s: values["results"].get(s, "negative") for s in substances}
    return _Tested(method, breath_milli, panel_id, results)


async def _panel_substances(house_id: int, panel_id: int | None, method: str) -> dict[int, str]:
    """The codes of the panel's substances by id: the panel must be one of the house's active
    panels; only a breath test may go without one."""
    if panel_id is None:
        if method != Screen.Method.breath:
            raise DomainError("Choose the panel that was used.", field="panel")
        return {}
    panels = await house_panels(house_id, active_only=True)
    panel = next((p for p in panels if p["id"] == panel_id), None)
    if panel is None:
        raise DomainError("Choose one of this house's panels.", field="panel")
    return {s["id"]: s["code"] for s in panel["substances"]}


async def _expected(resident_id: int, day: dt.date, results: dict[int, str]) -> dict[int, int]:
    """Step 3: positives a current prescription covers become expected (in `results`);
    returns the covering prescription by substance."""
    covered = await covering_prescriptions(resident_id, day)
    prescription_of: dict[int, int] = {}
    for substance, result in results.items():
        if result == "positive" and substance in covered:
            results[substance] = "expected_positive"
            prescription_of[substance] = covered[substance]
    return prescription_of


def _outcome(tested: _Tested, values: dict[str, Any]) -> str:
    """Step 3: the overall outcome (a breath test without a panel has no result rows)."""
    result_values = list(tested.results.values())
    if tested.method == Screen.Method.breath and tested.panel_id is None and tested.breath_milli:
        result_values = ["positive"]
    return outcomes.derive(result_values, values["specimen"])


# Every column of the screen comes from a different step: the arguments are the steps' outputs.
async def _insert(
    actor_id: int,
    house_id: int,
    stay: dict[str, Any],
    values: dict[str, Any],
    tested: _Tested,
    prescription_of: dict[int, int],
    outcome: str,
    now: dt.datetime,
) -> int:
    """Step 4: the screen row and its results. Returns the screen's id."""
    rows = await Screen.insert(
        Screen(
            house=house_id,
            stay=stay["id"],
            resident=stay["resident"],
            collected_at=values["collected_at"],
            collected_by=actor_id,
            method=tested.method,
            reason=values["reason"],
            observed=values["observed"] and values["specimen"] not in outcomes.NO_SPECIMEN,
            specimen_id=values["specimen_id"],
            panel=tested.panel_id,
            outcome=outcome,
            breath_milli=tested.breath_milli,
            note=values["note"],
            recorded_at=now,
            recorded_by=actor_id,
        )
    ).returning(Screen.id)
    screen_id = int(rows[0]["id"])
    if tested.results:
        await ScreenResult.insert(
            *[
                ScreenResult(
                    screen=screen_id,
                    substance=substance,
                    result=result,
                    prescription=prescription_of.get(substance),
                )
                for substance, result in tested.results.items()
            ]
        )
    return screen_id


async def _drawn_and_screened(
    actor_id: int,
    house_id: int,
    resident_id: int,
    values: dict[str, Any],
    screen_id: int,
    now: dt.datetime,
) -> None:
    """Step 4: the resident's random selection of the day, if still "selected", is done."""
    await DrawSelection.update(
        {
            DrawSelection.status: DrawSelection.Status.screened,
            DrawSelection.screen: screen_id,
            DrawSelection.decided_by: actor_id,
            DrawSelection.decided_at: now,
        }
    ).where(
        DrawSelection.house == house_id,
        DrawSelection.resident == resident_id,
        DrawSelection.day == values["collected_on"],
        DrawSelection.status == DrawSelection.Status.selected,
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
    version: int,
    now: dt.datetime,
) -> None:
    """Correct one field of a screen (outcome, specimen id, observed, note), keeping the old
    value, who, when and why. `version` is the one the person saw: if the screen changed
    since, nothing is stored (amendments.Stale names who changed it and when). A changed
    outcome is passed on to contingency management."""
    if field not in AMENDABLE:
        raise DomainError("Choose what to correct.", field="field")
    screen = await detail(screen_id)
    if screen is None:
        raise NotFound()
    if field == "outcome" and value not in outcomes.LABELS:
        raise DomainError("Choose an outcome from the list.", field="value")
    async with write_transaction():
        seen = {**screen, "version": version}
        if not await _amend(
            actor_id=actor_id, screen=seen, changes={field: value}, reason=reason, now=now
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
        changes, expected = _lab_change(screen, step, on, reference)
        done = (
            await Screen.update(changes)
            .where(Screen.id == screen_id, Screen.lab == expected)
            .returning(Screen.id)
        )
        if not done:
            raise DomainError(
                "It was sent already." if step == "send" else "The lab's answer is recorded."
            )
        if step != "send":
            await _lab_answered(actor_id, screen, step, reference, now)
        await record_access(
            actor_id=actor_id,
            action="screen_lab_sent" if step == "send" else f"screen_lab_{step}",
            at=now,
            subject_id=screen["resident_user"],
            record=f"screen:{screen_id}",
        )


def _lab_change(
    screen: dict[str, Any], step: str, on: dt.date, reference: str
) -> tuple[dict[Column | str, Any], str]:
    """Steps 1 and 2: the columns a lab step sets, and the lab state it must find."""
    if step == "send":
        if screen["outcome"] not in outcomes.LAB_POSITIVE:
            raise DomainError("Only a positive screen is sent to the lab.")
        return {Screen.lab: Screen.Lab.pending, Screen.lab_sent_on: on}, Screen.Lab.none
    if screen["lab_sent_on"] and on < screen["lab_sent_on"]:
        raise DomainError("That is before it was sent to the lab.", field="on")
    if not reference:
        raise DomainError("Enter the lab's reference.", field="reference")
    changes: dict[Column | str, Any] = {
        Screen.lab: step,
        Screen.lab_resolved_on: on,
        Screen.lab_reference: reference,
    }
    return changes, Screen.Lab.pending


async def _lab_answered(
    actor_id: int, screen: dict[str, Any], step: str, reference: str, now: dt.datetime
) -> None:
    """Step 3: an overturned positive becomes negative (an amendment CM hears of); either
    answer is an alert event."""
    if step == Screen.Lab.overturned:
        await _amend(
            actor_id=actor_id,
            screen=screen,
            changes={"outcome": Outcome.negative},
            reason=f"lab overturned {reference}",
            now=now,
        )
        await emit("screen_recorded", screen["id"], now)
    await record_event("screen", f"screen:{screen['id']}", screen["house"], now)
