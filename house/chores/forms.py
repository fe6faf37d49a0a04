"""Parsing the chore form, the send-back and excuse notes, the week and the swap."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from house.chores.tables import Chore
from house.lib.dates import DAY_NAMES as DAY_NAMES  # the chore pages read it from here
from house.lib.dates import parse_date
from house.lib.forms import FormResult, choice_field, int_field, text_field
from house.lib.text import clean_text

FREQUENCY_LABELS = {
    Chore.Frequency.daily: "Every day",
    Chore.Frequency.weekdays: "On some days of the week",
    Chore.Frequency.weekly: "Once a week",
}
WEIGHT_LABELS = {
    "1": "1 · light (10 min)",
    "2": "2",
    "3": "3 · medium",
    "4": "4",
    "5": "5 · heavy (an hour or more)",
}
MAX_INSTRUCTIONS = 1000
MAX_NOTE = 300


def parse_chore(data: Mapping[str, Any], weekdays: list[str]) -> FormResult:
    """`weekdays` is the multi-value field read with getall()."""
    result = FormResult()
    text_field(result, data, "name", label="a name", max_length=80)
    text_field(result, data, "area", label="an area", max_length=80, required=False)
    raw = data.get("instructions")
    raw = raw if isinstance(raw, str) else ""
    result.typed["instructions"] = raw[: MAX_INSTRUCTIONS * 2]
    instructions = clean_text(raw)
    if len(instructions) > MAX_INSTRUCTIONS:
        result.errors["instructions"] = (
            f"Use at most {MAX_INSTRUCTIONS} characters (you typed {len(instructions)})."
        )
    result.values["instructions"] = instructions
    frequency = choice_field(
        result,
        data,
        "frequency",
        choices=[f.value for f in Chore.Frequency],
        message="Choose how often.",
    )
    result.typed["weekdays"] = weekdays[:7]
    days = []
    for raw_day in weekdays:
        if raw_day not in DAY_NAMES:
            result.errors["weekdays"] = "Choose days from the list."
            break
        days.append(int(raw_day))
    days = sorted(set(days))
    if frequency == Chore.Frequency.weekdays and not days and "weekdays" not in result.errors:
        result.errors["weekdays"] = "Choose the days this chore is done."
    if frequency == Chore.Frequency.weekly and len(days) > 1:
        result.errors["weekdays"] = "A weekly chore has one day: choose one (or none: Monday)."
    result.values["weekdays"] = (
        "" if frequency == Chore.Frequency.daily else ",".join(str(d) for d in days)
    )
    int_field(result, data, "weight", low=1, high=5, message="Choose an effort from 1 to 5.")
    return result


def parse_note(data: Mapping[str, Any], name: str, label: str) -> FormResult:
    result = FormResult()
    text_field(result, data, name, label=label, max_length=MAX_NOTE)
    return result


def parse_week(data: Mapping[str, Any]) -> FormResult:
    result = FormResult()
    raw = data.get("week")
    raw = raw if isinstance(raw, str) else ""
    result.typed["week"] = raw[:20]
    week = parse_date(raw)
    if week is None:
        result.errors["week"] = "Reload the page: the week is missing."
    result.values["week"] = week
    result.values["regenerate"] = data.get("regenerate") == "yes"
    return result


def parse_swap(data: Mapping[str, Any]) -> FormResult:
    result = FormResult()
    result.values.update(parse_week(data).values)
    message = "Choose a chore from the list."
    int_field(result, data, "first", low=1, high=2**31 - 1, message=message)
    int_field(result, data, "second", low=1, high=2**31 - 1, message=message)
    if result.ok and result.values["first"] == result.values["second"]:
        result.errors["second"] = "Choose two different chores."
    return result


def parse_correction(data: Mapping[str, Any]) -> FormResult:
    result = FormResult()
    choice_field(
        result,
        data,
        "status",
        choices=("verified", "missed", "excused"),
        message="Choose what it should be instead.",
    )
    text_field(result, data, "reason", label="why it is corrected", max_length=MAX_NOTE)
    return result
