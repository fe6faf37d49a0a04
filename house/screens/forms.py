"""Parsing the screen, correction and lab forms (and the field helpers the setup forms use).

Whether ids belong to the house (the resident, the panel, its substances) is the service's
check: it re-reads them."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from house.lib.dates import at_local, parse_date
from house.lib.forms import FormResult, choice_field, long_text_field, text_field, version_field
from house.screens import outcomes
from house.screens.labels import METHOD_LABELS, REASON_LABELS
from house.screens.services import (
    BREATH_MAX_MILLI,
)

TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
BREATH = re.compile(r"^(0?\.\d{1,3}|\d(\.\d{0,3})?)$")
RESULT_FIELD = re.compile(r"^result-(\d{1,12})$")
AMENDABLE_LABELS = {  # the fields of services.AMENDABLE
    "outcome": "Outcome",
    "specimen_id": "Specimen id",
    "observed": "Observed",
    "note": "Note",
}
LAB_STEPS = ("send", "confirmed", "overturned")


def _raw(data: Mapping[str, Any], name: str) -> str:
    raw = data.get(name)
    return raw if isinstance(raw, str) else ""


def id_field(
    result: FormResult, data: Mapping[str, Any], name: str, message: str, *, required: bool = True
) -> int | None:
    raw = _raw(data, name).strip()
    result.typed[name] = raw[:20]
    if not raw and not required:
        result.values[name] = None
        return None
    if not raw.isdigit() or len(raw) > 12:
        result.errors[name] = message
        result.values[name] = None
        return None
    result.values[name] = int(raw)
    return int(raw)


def date_field(
    result: FormResult, data: Mapping[str, Any], name: str, message: str, *, required: bool = True
) -> dt.date | None:
    raw = _raw(data, name)
    result.typed[name] = raw[:20]
    if not raw.strip() and not required:
        result.values[name] = None
        return None
    day = parse_date(raw)
    if day is None:
        result.errors[name] = message
    result.values[name] = day
    return day


def all_values(data: Any, name: str) -> list[str]:
    values = data.getall(name, []) if hasattr(data, "getall") else [data.get(name)]
    return [v for v in values if isinstance(v, str)]


def parse_breath(raw: str) -> int | None:
    """A breath reading like "0.080" as thousandths (80), or None if it is not one."""
    raw = raw.strip()
    if not BREATH.match(raw):
        return None
    whole, _, fraction = raw.partition(".")
    milli = int(whole or "0") * 1000 + int((fraction + "000")[:3])
    return milli if milli <= BREATH_MAX_MILLI else None


def parse_screen(data: Any, *, timezone: str) -> FormResult:
    """Who, when (a date and a time in the house's timezone), how, why, observed, specimen
    id, panel, a result per substance (fields `result-<substance id>`), a breath reading,
    what the specimen was (if not a tested one), a note."""
    result = FormResult()
    id_field(result, data, "resident", "Choose who was screened.")
    day = date_field(result, data, "collected_on", "Enter the date, like 2026-11-24.")
    raw_time = _raw(data, "collected_time")
    result.typed["collected_time"] = raw_time[:10]
    if not TIME.match(raw_time.strip()):
        result.errors["collected_time"] = "Enter the time, like 07:30."
    elif day is not None:
        at = dt.time.fromisoformat(raw_time.strip())
        result.values["collected_at"] = at_local(day, at, timezone)
    specimen = choice_field(
        result,
        data,
        "specimen",
        choices=outcomes.SPECIMEN_CHOICES,
        message="Choose what happened to the specimen.",
    )
    if specimen in outcomes.NO_SPECIMEN and not _raw(data, "method"):
        result.values["method"] = None
        result.typed["method"] = ""
    else:
        choice_field(
            result, data, "method", choices=METHOD_LABELS, message="Choose how it was collected."
        )
    # Left empty, the service decides: random if drawn that day, otherwise routine.
    choice_field(result, data, "reason", choices=["", *REASON_LABELS], message="Choose why.")
    result.values["observed"] = _raw(data, "observed") == "yes"
    result.typed["observed"] = "yes" if result.values["observed"] else ""
    text_field(result, data, "specimen_id", label="the specimen id", max_length=60, required=False)
    id_field(result, data, "panel", "Choose the panel that was used.", required=False)
    results: dict[int, str] = {}
    for key in list(data.keys()):
        match = RESULT_FIELD.match(key) if isinstance(key, str) else None
        if match is None:
            continue
        values = all_values(data, key)
        result.typed[key] = values[0][:20] if values else ""
        if len(values) != 1 or values[0] not in ("negative", "positive"):
            result.errors["results"] = "Choose negative or positive for each substance."
            continue
        results[int(match.group(1))] = values[0]
    result.values["results"] = results
    raw_breath = _raw(data, "breath")
    result.typed["breath"] = raw_breath[:10]
    result.values["breath_milli"] = None
    if raw_breath.strip():
        milli = parse_breath(raw_breath)
        if milli is None:
            result.errors["breath"] = "Enter the reading between 0.000 and 0.500, like 0.020."
        result.values["breath_milli"] = milli
    long_text_field(result, data, "note", label="a note", max_length=1000, required=False)
    return result


def parse_amendment(data: Mapping[str, Any]) -> FormResult:
    result = FormResult()
    field = choice_field(
        result, data, "field", choices=AMENDABLE_LABELS, message="Choose what to correct."
    )
    raw = _raw(data, "value")
    result.typed["value"] = raw[:2000]
    if field == "outcome":
        choice_field(
            result,
            data,
            "value",
            choices=outcomes.LABELS,
            message="Choose an outcome from the list.",
        )
    elif field == "observed":
        choice_field(result, data, "value", choices=("yes", "no"), message="Write yes or no.")
        result.values["value"] = result.values["value"] == "yes"
    elif field == "specimen_id":
        text_field(result, data, "value", label="the specimen id", max_length=60, required=False)
    else:
        long_text_field(result, data, "value", label="the note", max_length=1000, required=False)
    result.typed["value"] = raw[:2000]
    text_field(result, data, "reason", label="why it is corrected", max_length=300)
    version_field(result, data)
    return result


def parse_lab(data: Mapping[str, Any]) -> FormResult:
    result = FormResult()
    choice_field(result, data, "step", choices=LAB_STEPS, message="Choose what happened.")
    date_field(result, data, "on", "Enter the date, like 2026-11-24.")
    text_field(
        result, data, "reference", label="the lab's reference", max_length=60, required=False
    )
    return result
