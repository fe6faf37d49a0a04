"""The screens' alert rules and their wording: a screen's result (what it means comes from
house.screens.outcomes), a lab's answer, and a random selection left unscreened."""

from __future__ import annotations

import datetime as dt
from typing import Any

from house.events.alerts import MANAGERS, AlertRule, Houses, alert_spec, name_of
from house.events.services import AlertSpec
from house.lib.dates import at_local, house_today
from house.screens import outcomes
from house.screens.tables import DrawSelection, Screen

LAB_WORDS = {
    Screen.Lab.confirmed: ("the lab confirmed a positive", "critical"),
    Screen.Lab.overturned: ("the lab overturned a positive", "attention"),
}


def _parse_hhmm(raw: str, default: dt.time) -> dt.time:
    try:
        return dt.time.fromisoformat(raw)
    except ValueError:
        return default


def _screen_spec(kind: str, row: dict[str, Any], words: str, severity: str) -> AlertSpec:
    summary = f"{name_of(row)}: {words}"
    return alert_spec(kind, row, f"screen:{row['id']}", summary, MANAGERS, severity=severity)


async def screens(screen_ids: list[int]) -> list[AlertSpec]:
    """`screen_result` for a positive (not expected), dilute, refused or missed screen;
    `lab_result` once the lab confirmed or overturned it. One query."""
    rows = await Screen.select(
        Screen.id,
        Screen.house,
        Screen.resident,
        Screen.outcome,
        Screen.lab,
        Screen.resident.preferred_name.as_alias("resident_name"),
    ).where(Screen.id.is_in(screen_ids))
    specs = []
    for row in rows:
        original = row["outcome"]
        if row["lab"] == Screen.Lab.overturned:
            original = Screen.Outcome.positive  # the amendment made it negative
        if original in outcomes.ALERTS:
            words, severity = outcomes.ALERTS[original]
            specs.append(_screen_spec("screen_result", row, words, severity))
        if row["lab"] in LAB_WORDS:
            words, severity = LAB_WORDS[row["lab"]]
            specs.append(_screen_spec("lab_result", row, words, severity))
    return specs


async def random_not_screened(now: dt.datetime, by_house: Houses) -> list[AlertSpec]:
    """A random selection still "selected" after the house's cut-off (local time) on its
    day. One query."""
    latest = max(house_today(now, h["timezone"]) for h in by_house.values())
    rows = await DrawSelection.select(
        DrawSelection.id,
        DrawSelection.house,
        DrawSelection.resident,
        DrawSelection.day,
        DrawSelection.resident.preferred_name.as_alias("resident_name"),
    ).where(DrawSelection.status == DrawSelection.Status.selected, DrawSelection.day <= latest)
    specs = []
    for row in rows:
        house = by_house[row["house"]]
        cutoff = _parse_hhmm(house["alert_random_cutoff"], dt.time(20))
        if now < at_local(row["day"], cutoff, house["timezone"]):
            continue
        summary = f"{name_of(row)}: selected for a random screen and not screened"
        specs.append(
            alert_spec(
                "random_not_screened",
                row,
                f"draw_selection:{row['id']}",
                summary,
                MANAGERS,
                about=f"selection:{row['id']}",
                severity="critical",
            )
        )
    return specs


RULES = [
    AlertRule("screen_result", event="screen", on_events=screens),
    AlertRule("random_not_screened", sweep=random_not_screened),
]
