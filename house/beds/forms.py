"""Parsing the beds forms: a placement (who, from when), a bed's state, a room or bed label."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from house.beds.tables import Bed
from house.lib.dates import parse_date
from house.lib.forms import FormResult, text_field

STATES = Bed.State


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
    result = FormResult()
    state = data.get("state", "")
    reason = data.get("reason", "")
    result.typed |= {"state": state, "reason": reason}
    if state not in {s.value for s in Bed.State}:
        result.errors["state"] = "Choose a state from the list."
    elif not isinstance(reason, str) or len(reason) > 200:
        result.errors["reason"] = "Use at most 200 characters."
    else:
        result.values |= {"state": str(state), "reason": reason}
    return result


def parse_label(data: Mapping[str, Any], what: str) -> FormResult:
    result = FormResult()
    text_field(result, data, "label", label=f"a {what} label", max_length=40)
    return result
