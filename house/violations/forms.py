"""Parsing the violation, correction, appeal and decision forms."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from house.lib.dates import at_local, parse_date
from house.lib.forms import FormResult, choice_field, long_text_field, text_field, version_field
from house.violations.tables import Appeal, Violation

TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
AMENDABLE_LABELS = {
    "severity": "Severity",
    "consequence": "Consequence",
    "description": "What happened",
    "location": "Where",
}


def _id(result: FormResult, data: Mapping[str, Any], name: str, message: str) -> int | None:
    raw = data.get(name)
    raw = raw if isinstance(raw, str) else ""
    result.typed[name] = raw[:20]
    if not raw.isdigit() or len(raw) > 12:
        result.errors[name] = message
        return None
    result.values[name] = int(raw)
    return int(raw)


def parse_violation(data: Mapping[str, Any], *, timezone: str) -> FormResult:
    """Who, which rule, when (a date and a time in the house's timezone), where, what
    happened, severity, consequence. Whether the ids belong to the house is the service's
    check (it re-reads them)."""
    result = FormResult()
    _id(result, data, "stay", "Choose who it was.")
    _id(result, data, "rule", "Choose the rule that was broken.")
    raw_day = data.get("occurred_on")
    raw_day = raw_day if isinstance(raw_day, str) else ""
    result.typed["occurred_on"] = raw_day[:20]
    day = parse_date(raw_day)
    raw_time = data.get("occurred_time")
    raw_time = raw_time if isinstance(raw_time, str) else ""
    result.typed["occurred_time"] = raw_time[:10]
    if day is None:
        result.errors["occurred_on"] = "Enter the date it happened, like 2026-11-24."
    if not TIME.match(raw_time.strip()):
        result.errors["occurred_time"] = "Enter the time, like 21:30."
    if day is not None and "occurred_time" not in result.errors:
        result.values["occurred_on"] = day
        result.values["occurred_at"] = at_local(
            day, dt.time.fromisoformat(raw_time.strip()), timezone
        )
    text_field(result, data, "location", label="where", max_length=120, required=False)
    long_text_field(result, data, "description", label="what happened", max_length=2000)
    choice_field(
        result,
        data,
        "severity",
        choices=[s.value for s in Violation.Severity],
        message="Choose how serious it was.",
    )
    text_field(result, data, "consequence", label="a consequence", max_length=80)
    if "consequence" in result.errors:
        result.errors["consequence"] = "Choose a consequence from the house's list."
    return result


def parse_amendment(data: Mapping[str, Any]) -> FormResult:
    result = FormResult()
    choice_field(result, data, "field", choices=AMENDABLE_LABELS, message="Choose what to correct.")
    long_text_field(result, data, "value", label="the corrected value", max_length=2000)
    text_field(result, data, "reason", label="why it is corrected", max_length=300)
    version_field(result, data)
    return result


def parse_appeal(data: Mapping[str, Any]) -> FormResult:
    result = FormResult()
    long_text_field(result, data, "statement", label="your statement", max_length=4000)
    if 0 < len(result.values["statement"]) < 20 and "statement" not in result.errors:
        result.errors["statement"] = "Say a little more (at least 20 characters)."
    return result


def parse_decision(data: Mapping[str, Any]) -> FormResult:
    result = FormResult()
    choice_field(
        result,
        data,
        "decision",
        choices=[d.value for d in Appeal.Decision if d != Appeal.Decision.pending],
        message="Choose upheld, changed or withdrawn.",
    )
    long_text_field(result, data, "reason", label="the reason for the decision", max_length=2000)
    consequence = text_field(
        result, data, "consequence", label="the new consequence", max_length=80, required=False
    )
    if result.values.get("decision") == Appeal.Decision.changed and not consequence:
        result.errors["consequence"] = "Choose the new consequence."
    return result
