"""Parsing the house-meeting forms: an ad hoc meeting, opening a weekly one, the roll call."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from house.lib.dates import parse_date
from house.lib.forms import FormResult, long_text_field, text_field, version_field

STATUSES = ("present", "late", "excused", "absent")
MAX_MINUTES = 10_000
MAX_REASON = 300
MAX_ROWS = 200


def parse_time(raw: str) -> dt.time | None:
    """A 24-hour "HH:MM" from a form, or None."""
    raw = raw.strip()
    if len(raw) != 5 or raw[2] != ":" or not (raw[:2] + raw[3:]).isdigit():
        return None
    hour, minute = int(raw[:2]), int(raw[3:])
    return dt.time(hour, minute) if hour < 24 and minute < 60 else None


def parse_ad_hoc(data: Mapping[str, Any]) -> FormResult:
    """`title`, `date` (YYYY-MM-DD), `time` (HH:MM). The year-range check is the service's
    (it needs the house's today)."""
    result = FormResult()
    text_field(result, data, "title", label="a title", max_length=120)
    for name, parse, message in (
        ("date", parse_date, "Enter the date as YYYY-MM-DD."),
        ("time", parse_time, "Enter the time as HH:MM, 24-hour (for example 19:30)."),
    ):
        raw = data.get(name)
        raw = raw if isinstance(raw, str) else ""
        result.typed[name] = raw[:20]
        value = parse(raw)
        if value is None:
            result.errors[name] = message
        result.values[name] = value
    return result


def parse_weekly(data: Mapping[str, Any]) -> FormResult:
    """`starts_at`: the ISO UTC start of a weekly slot that the page offered."""
    result = FormResult()
    raw = data.get("starts_at")
    raw = raw if isinstance(raw, str) else ""
    try:
        value = dt.datetime.fromisoformat(raw) if len(raw) <= 40 else None
    except ValueError:
        value = None
    if value is None or value.tzinfo is None:
        result.errors["form"] = "That meeting is not on this house's weekly schedule. Reload."
    result.values["starts_at"] = value
    return result


def parse_roll(data: Mapping[str, Any]) -> FormResult:
    """`status-<resident id>` (one of STATUSES) for each resident, `reason-<resident id>`
    for a corrected row, `minutes`, and the `version` the page showed. Whether the ids are
    the meeting's roll is the service's check (it needs the database)."""
    result = FormResult()
    statuses: dict[int, str] = {}
    reasons: dict[int, str] = {}
    for key in list(data.keys())[: MAX_ROWS * 3]:
        prefix, _, index = key.partition("-")
        if prefix not in ("status", "reason"):
            continue
        if not index.isdigit() or len(index) > 12:
            result.errors["form"] = "This form has a row that is not on the roll. Reload."
            continue
        raw = data.get(key)
        raw = raw if isinstance(raw, str) else ""
        if prefix == "status":
            result.typed[key] = raw[:20]
            if raw not in STATUSES:
                result.errors[key] = "Choose present, late, excused or absent."
            else:
                statuses[int(index)] = raw
        else:
            reason = text_field(
                result, data, key, label="a reason", max_length=MAX_REASON, required=False
            )
            if reason:
                reasons[int(index)] = reason
    minutes = long_text_field(
        result, data, "minutes", label="minutes", max_length=MAX_MINUTES, required=False
    )
    version_field(result, data)
    result.values |= {"statuses": statuses, "reasons": reasons, "minutes": minutes}
    return result
