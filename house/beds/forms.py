"""Parsing the beds forms: a placement (who, from when), a bed's state, a room or bed label."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from house.beds.tables import Bed
from house.lib.dates import parse_date
from house.lib.forms import FormResult, choice_field, text_field, version_field

STATE_MESSAGE = "Choose a state from the list."


def parse_place(data: Mapping[str, Any], today: dt.date) -> FormResult:
    """`stay` (an id from the bed's lists) and `on` (a date; empty means today)."""
    result = FormResult()
    raw_stay = data.get("stay", "")
    result.typed["stay"] = raw_stay
    if not isinstance(raw_stay, str) or not raw_stay.isdigit() or len(raw_stay) > 12:
        result.errors["stay"] = "Choose a person from the list."
    else:
        result.values["stay"] = int(raw_stay)
    raw_on = data.get("on") or today.isoformat()
    result.typed["on"] = raw_on
    on = parse_date(raw_on) if isinstance(raw_on, str) else None
    if on is None:
        result.errors["on"] = "Enter a date like 2026-11-24."
    result.values["on"] = on
    return result


def parse_state(data: Mapping[str, Any]) -> FormResult:
    """`state` (available, reserved, out of service), `reason` (a reserved bed's note or why
    it is out of service; the service says when one is needed) and the bed's `version`."""
    result = FormResult()
    choice_field(result, data, "state", choices=[s.value for s in Bed.State], message=STATE_MESSAGE)
    text_field(result, data, "reason", label="a reason", max_length=200, required=False)
    version_field(result, data)
    return result


def parse_label(data: Mapping[str, Any], what: str) -> FormResult:
    result = FormResult()
    text_field(result, data, "label", label=f"a {what} label", max_length=40)
    return result
