"""Parsing the "log an outside meeting" form and the reject reason."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from house.lib.dates import at_local, house_today, parse_date
from house.lib.datewords import date_words
from house.lib.forms import FormResult, choice_field, text_field

FELLOWSHIP_CHOICES = ("aa", "na", "ca", "smart", "refuge", "celebrate", "other")
FORMAT_CHOICES = ("in_person", "online")
MAX_DAYS_BACK = 14
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_PHONE = re.compile(r"^[0-9+().\- ]{7,40}$")
PROOF_MESSAGE = (
    "Add proof: the chair's or secretary's name and phone, or a photo of the signed slip."
)


def parse_outside(
    data: Mapping[str, Any],
    *,
    has_photo: bool,
    now: dt.datetime,
    timezone: str,
    admitted_on: dt.date | None,
) -> FormResult:
    """Values: held_at (aware UTC), name, fellowship, format, location, chair_name,
    chair_phone. The photo itself is checked by uploads.clean_photo; `has_photo` says
    whether one came."""
    result = FormResult()
    _held_at(result, data, now=now, timezone=timezone, admitted_on=admitted_on)
    text_field(result, data, "name", label="the meeting's name", max_length=120)
    choice_field(
        result, data, "fellowship", choices=FELLOWSHIP_CHOICES, message="Choose the fellowship."
    )
    form = choice_field(
        result,
        data,
        "format",
        choices=FORMAT_CHOICES,
        message="Choose in person or online.",
    )
    location = text_field(
        result, data, "location", label="where it was", max_length=200, required=False
    )
    if form == "in_person" and not location and "location" not in result.errors:
        result.errors["location"] = "Enter where the meeting was (a place or address)."
    chair = text_field(
        result,
        data,
        "chair_name",
        label="the chair's or secretary's name",
        max_length=120,
        required=False,
    )
    phone = text_field(
        result, data, "chair_phone", label="their phone", max_length=40, required=False
    )
    if phone and "chair_phone" not in result.errors and not _is_phone(phone):
        result.errors["chair_phone"] = "Enter a phone number like 555-201-3344."
    if chair and not phone and "chair_phone" not in result.errors:
        result.errors["chair_phone"] = "Add their phone too, so staff can check."
    if phone and not chair and "chair_name" not in result.errors:
        result.errors["chair_name"] = "Add whose phone this is."
    if not chair and not phone and not has_photo:
        result.errors["proof"] = PROOF_MESSAGE
    return result


def _is_phone(value: str) -> bool:
    return bool(_PHONE.match(value)) and sum(c.isdigit() for c in value) >= 7


def _held_at(
    result: FormResult,
    data: Mapping[str, Any],
    *,
    now: dt.datetime,
    timezone: str,
    admitted_on: dt.date | None,
) -> None:
    raw_day = data.get("held_on")
    raw_day = raw_day if isinstance(raw_day, str) else ""
    raw_time = data.get("held_time")
    raw_time = raw_time.strip() if isinstance(raw_time, str) else ""
    result.typed["held_on"] = raw_day[:20]
    result.typed["held_time"] = raw_time[:20]
    result.values["held_at"] = None
    day = parse_date(raw_day)
    if day is None:
        result.errors["held_on"] = "Enter the date like 2026-11-20."
    if not _TIME.match(raw_time):
        result.errors["held_time"] = "Enter the time it started, like 19:30."
    if day is None or "held_time" in result.errors:
        return
    today = house_today(now, timezone)
    hour, minute = (int(part) for part in raw_time.split(":"))
    held_at = at_local(day, dt.time(hour, minute), timezone)
    if held_at > now:
        field = "held_time" if day == today else "held_on"
        result.errors[field] = "That is in the future. Log a meeting after you have been."
    elif admitted_on is not None and day < admitted_on:
        result.errors["held_on"] = (
            f"That is before you moved in ({date_words(admitted_on)}). "
            "Log meetings from your move-in day on."
        )
    elif (today - day).days > MAX_DAYS_BACK:
        result.errors["held_on"] = (
            f"That is more than {MAX_DAYS_BACK} days ago. "
            "Log meetings within two weeks; ask staff about older ones."
        )
    else:
        result.values["held_at"] = held_at


def parse_reject(data: Mapping[str, Any]) -> FormResult:
    result = FormResult()
    text_field(result, data, "reason", label="a reason for the resident", max_length=300)
    return result
