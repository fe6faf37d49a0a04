"""Parsing the inbox filters, the resolve note and the preferences form."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from house.lib import zones
from house.lib.forms import FormResult, choice_field, int_field, long_text_field

MODE_LABELS = {"immediate": "Immediately", "digest": "In the daily digest", "off": "Off"}
NOTE_MAX = 500
_HH_MM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def parse_filters(
    data: Mapping[str, Any], *, houses: Iterable[int], kinds: Iterable[str]
) -> tuple[int | None, str | None, list[str]]:
    """The inbox filters (house id, kind) from GET params; unknown values are ignored with a
    message, never an error page."""
    messages = []
    house_id: int | None = None
    kind: str | None = None
    raw_house = data.get("house") or ""
    raw_kind = data.get("kind") or ""
    if raw_house:
        if isinstance(raw_house, str) and raw_house.isdigit() and int(raw_house) in set(houses):
            house_id = int(raw_house)
        else:
            messages.append("That house is not in your inbox: showing every house.")
    if raw_kind:
        if isinstance(raw_kind, str) and raw_kind in set(kinds):
            kind = raw_kind
        else:
            messages.append("That kind of alert is unknown: showing every kind.")
    return house_id, kind, messages


def parse_resolve(data: Mapping[str, Any]) -> FormResult:
    result = FormResult()
    long_text_field(result, data, "note", label="a note on what was done", max_length=NOTE_MAX)
    return result


def _time_field(result: FormResult, data: Mapping[str, Any], name: str) -> str:
    raw = data.get(name)
    raw = raw.strip() if isinstance(raw, str) else ""
    result.typed[name] = raw[:20]
    if raw and not _HH_MM.match(raw):
        result.errors[name] = "Use a time like 22:00 (24-hour), or leave it empty."
    result.values[name] = raw
    return raw


def parse_preferences(
    data: Mapping[str, Any], *, kinds: Iterable[str], critical: frozenset[str]
) -> FormResult:
    """`mode-<kind>` for each kind the person can receive, `digest_hour` (0-23),
    `quiet_from`/`quiet_to` (HH:MM, both or neither), `timezone` (empty: the house's)."""
    result = FormResult()
    modes = {}
    for kind in kinds:
        name = f"mode-{kind}"
        mode = choice_field(
            result, data, name, choices=MODE_LABELS, message="Choose one of the three."
        )
        if mode == "off" and kind in critical:
            result.errors[name] = "Managers cannot turn this off: choose immediately or digest."
        modes[kind] = mode
    result.values["modes"] = modes
    int_field(result, data, "digest_hour", low=0, high=23, message="Choose an hour from 0 to 23.")
    quiet_from = _time_field(result, data, "quiet_from")
    quiet_to = _time_field(result, data, "quiet_to")
    if "quiet_from" not in result.errors and "quiet_to" not in result.errors:
        if bool(quiet_from) != bool(quiet_to):
            missing = "quiet_to" if quiet_from else "quiet_from"
            result.errors[missing] = "Give both times of the quiet hours, or neither."
        elif quiet_from and quiet_from == quiet_to:
            result.errors["quiet_to"] = "The quiet hours must end at another time."
    raw_zone = data.get("timezone")
    if isinstance(raw_zone, str) and raw_zone == "":
        result.typed["timezone"] = ""
        result.values["timezone"] = ""
    else:
        choice_field(
            result,
            data,
            "timezone",
            choices=zones.canonical_names(),
            message="Choose a timezone from the list.",
        )
    return result
