"""Parsing the beds forms: a placement (who, from when), a bed's state, a room or bed label."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from house.beds.tables import Bed
from house.lib.dates import parse_date
from house.lib.forms import FormResult, choice_field, text_field, version_field

STATES = Bed.State
LABEL_MAX = 40  # a room's or a bed's name (the columns' length)
BEDS_AT_ONCE = 26  # a room of 26 beds is a dormitory already; more is a typo
BEDS_FIELD_MAX = 200
BEDS_HINT = "One bed, a range like A-D or 1-4, or a list like A, B, D (up to 26 at once)."
# The end of a range: a number ("Bed 12" is "Bed " and 12), or a letter after no other
# letter ("12A" is "12" and A; "A" alone). "Top-left" has no such ends: it is one name.
_NUMBER_END = re.compile(r"^(.*?)([0-9]+)$")
_LETTER_END = re.compile(r"^(.*[^A-Za-z])?([A-Za-z])$")
_DASHES = str.maketrans({"\u2013": "-", "\u2014": "-"})  # an en or em dash reads as "-"
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
    text_field(result, data, "label", label=f"a {what} label", max_length=LABEL_MAX)
    return result


class BadLabels(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def parse_bed_labels(data: Mapping[str, Any]) -> FormResult:
    """`label`: the names of the beds to add to a room, as `bed_labels` reads them; the
    values' `labels` is the list, every one new to the list and at most LABEL_MAX long."""
    result = FormResult()
    raw = text_field(
        result,
        data,
        "label",
        label="a bed name, a range like A-D, or a list like A, B, D",
        max_length=BEDS_FIELD_MAX,
    )
    if result.ok:
        try:
            result.values["labels"] = bed_labels(raw)
        except BadLabels as exc:
            result.errors["label"] = exc.message
    return result


def bed_labels(text: str) -> list[str]:
    """Bed names from one field: names and ranges separated by commas. A range is two ends
    joined by a dash: letters of one case (A-D), numbers (1-4, 01-12 keeps the zeros) or
    either after a shared start (12A-12D, 12A-D, Bed 1-4). Raises BadLabels: a range the
    wrong way round or of mixed kinds, a name listed twice (in any case), one too long,
    more than BEDS_AT_ONCE in all, or none."""
    labels: list[str] = []
    for part in text.translate(_DASHES).split(","):
        if part.strip():
            labels.extend(_expand(part.strip()))
    if not labels:
        raise BadLabels("Enter a bed name, a range like A-D, or a list like A, B, D.")
    if len(labels) > BEDS_AT_ONCE:
        raise BadLabels(_too_many(len(labels)))
    seen: set[str] = set()
    for label in labels:
        if len(label) > LABEL_MAX:
            raise BadLabels(f"“{label}” is longer than {LABEL_MAX} characters: shorten it.")
        if label.casefold() in seen:
            raise BadLabels(f"“{label}” is listed twice.")
        seen.add(label.casefold())
    return labels


def _too_many(n: int) -> str:
    return f"That is {n} beds: add at most {BEDS_AT_ONCE} at once."


def _end(text: str) -> tuple[str, str] | None:
    match = _NUMBER_END.match(text) or _LETTER_END.match(text)
    return (match[1] or "", match[2]) if match else None


def _expand(part: str) -> list[str]:
    """One piece between commas: a name, or the names of a range."""
    if part.count("-") != 1:
        return [part]
    left, right = (side.strip() for side in part.split("-"))
    if not left or not right:
        raise BadLabels(f"“{part}”: write both ends of the range, like A-D.")
    start, end = _end(left), _end(right)
    if start is None or end is None:
        return [part]  # a name with a dash in it
    prefix, first = start
    end_prefix, last = end
    letters = first.isalpha() and last.isalpha()
    if (
        end_prefix not in ("", prefix)
        or (first.isalpha() != last.isalpha())
        or (letters and first.isupper() != last.isupper())
    ):
        raise BadLabels(
            f"“{part}” is not a range: use two letters (A-D) or two numbers (1-4), "
            "after the same start if any (12A-12D)."
        )
    low, high = (ord(first), ord(last)) if letters else (int(first), int(last))
    if high < low:
        raise BadLabels(f"“{part}” runs backwards: write {prefix}{last}-{prefix}{first}.")
    if high - low + 1 > BEDS_AT_ONCE:
        raise BadLabels(_too_many(high - low + 1))
    if letters:
        return [f"{prefix}{chr(code)}" for code in range(low, high + 1)]
    width = len(first) if first.startswith("0") else 1
    return [f"{prefix}{n:0{width}d}" for n in range(low, high + 1)]
