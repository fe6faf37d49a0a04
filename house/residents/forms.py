"""Parsing the residents forms: intake (person + application), exit, amending a move-in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from house.lib.dates import parse_date
from house.lib.forms import FormResult, choice_field, int_field, text_field, version_field
from house.lib.text import is_email, normalise_email
from house.residents.tables import Stay

EXIT_LABELS = {
    Stay.ExitReason.graduated: "Graduated",
    Stay.ExitReason.completed: "Completed the program",
    Stay.ExitReason.higher_care: "Moved to a higher level of care",
    Stay.ExitReason.left_voluntarily: "Left voluntarily",
    Stay.ExitReason.left_without_notice: "Left without notice",
    Stay.ExitReason.discharged_violation: "Discharged for a rule violation",
    Stay.ExitReason.discharged_use: "Discharged after use",
    Stay.ExitReason.other: "Other",
}


def date_field(
    result: FormResult,
    data: Mapping[str, Any],
    name: str,
    *,
    required: bool,
    earliest: dt.date | None = None,
    latest: dt.date | None = None,
    too_early: str = "",
    too_late: str = "",
) -> dt.date | None:
    raw = data.get(name)
    raw = raw if isinstance(raw, str) else ""
    result.typed[name] = raw[:20]
    if not raw.strip():
        if required:
            result.errors[name] = "Enter a date."
        result.values[name] = None
        return None
    value = parse_date(raw)
    if value is None:
        result.errors[name] = "Enter a real date like 2026-11-24."
    elif earliest and value < earliest:
        result.errors[name] = too_early
    elif latest and value > latest:
        result.errors[name] = too_late
    result.values[name] = value
    return value


def parse_intake(data: Mapping[str, Any], house_ids: Iterable[int], today: dt.date) -> FormResult:
    result = FormResult()
    _person_fields(result, data, today)
    text_field(result, data, "contact_name", label="a contact name", max_length=120, required=False)
    text_field(result, data, "contact_relation", label="a relation", max_length=60, required=False)
    text_field(
        result, data, "contact_phone", label="a contact phone", max_length=40, required=False
    )
    if result.values["contact_name"] and not result.values["contact_phone"]:
        result.errors["contact_phone"] = "Give the emergency contact's phone."
    choice_field(
        result,
        data,
        "house",
        choices=[str(h) for h in house_ids],
        message="Choose a house from the list.",
    )
    result.values["house"] = int(result.values["house"]) if "house" not in result.errors else 0
    date_field(
        result,
        data,
        "requested_move_in",
        required=False,
        earliest=today - dt.timedelta(days=30),
        latest=today + dt.timedelta(days=365),
        too_early="A wished move-in is not that far back.",
        too_late="At most a year ahead.",
    )
    int_field(result, data, "priority", low=1, high=5, message="Choose a priority from 1 to 5.")
    text_field(result, data, "notes", label="notes", max_length=2000, required=False)
    return result


# The person's details: what the details form edits and services.update_details stores.
DETAIL_FIELDS = (
    "legal_name",
    "preferred_name",
    "date_of_birth",
    "phone",
    "email",
    "sobriety_date",
    "referral_source",
    "notes",
)


def _person_fields(result: FormResult, data: Mapping[str, Any], today: dt.date) -> None:
    text_field(result, data, "legal_name", label="the legal name", max_length=120)
    text_field(result, data, "preferred_name", label="the name they go by", max_length=60)
    date_field(
        result,
        data,
        "date_of_birth",
        required=False,
        earliest=dt.date(1900, 1, 1),
        latest=today - dt.timedelta(days=365 * 16),
        too_early="Check the year.",
        too_late="A resident is at least 16.",
    )
    text_field(result, data, "phone", label="a phone", max_length=40, required=False)
    email = text_field(result, data, "email", label="an email", max_length=254, required=False)
    if email and "email" not in result.errors and not is_email(normalise_email(email)):
        result.errors["email"] = "Enter an email address like name@example.org, or nothing."
    result.values["email"] = normalise_email(email)
    date_field(
        result,
        data,
        "sobriety_date",
        required=False,
        earliest=dt.date(1900, 1, 1),
        latest=today,
        too_early="Check the year.",
        too_late="A sobriety date is not in the future.",
    )
    text_field(result, data, "referral_source", label="a referral", max_length=120, required=False)


def parse_details(data: Mapping[str, Any], today: dt.date) -> FormResult:
    result = FormResult()
    _person_fields(result, data, today)
    text_field(result, data, "notes", label="notes", max_length=2000, required=False)
    text_field(result, data, "why", label="why", max_length=500, required=False)
    version_field(result, data)
    return result


def parse_contact(data: Mapping[str, Any]) -> FormResult:
    result = FormResult()
    text_field(result, data, "contact_name", label="a contact name", max_length=120)
    text_field(result, data, "contact_relation", label="a relation", max_length=60, required=False)
    text_field(result, data, "contact_phone", label="a phone", max_length=40)
    return result


def parse_exit(data: Mapping[str, Any], today: dt.date) -> FormResult:
    result = FormResult()
    date_field(
        result,
        data,
        "on",
        required=True,
        earliest=today - dt.timedelta(days=365),
        latest=today + dt.timedelta(days=1),
        too_early="At most a year back.",
        too_late="An exit cannot be dated after tomorrow.",
    )
    choice_field(
        result,
        data,
        "reason",
        choices=[r.value for r in Stay.ExitReason],
        message="Choose a reason.",
    )
    text_field(result, data, "note", label="a note", max_length=2000, required=False)
    return result


def parse_amend(data: Mapping[str, Any]) -> FormResult:
    result = FormResult()
    date_field(result, data, "admitted_on", required=True)
    text_field(result, data, "reason", label="why the date is corrected", max_length=500)
    return result


SEARCH_MAX = 100  # longer than any name the intake form takes (120 legal, 60 preferred)
PAST_PAGES = 200  # 50 a page: 10,000 former residents is further back than anyone pages


def parse_search(data: Mapping[str, Any], today: dt.date) -> FormResult:
    """The residents list's search: part of a name (`q`), a date of birth (`born`) and the
    page of the past list (`page`, 1 when absent or not a number in range). Both may be
    empty (everyone)."""
    result = FormResult()
    text_field(result, data, "q", label="a name", max_length=SEARCH_MAX, required=False)
    date_field(
        result,
        data,
        "born",
        required=False,
        earliest=dt.date(1900, 1, 1),
        latest=today,
        too_late="A date of birth cannot be in the future.",
    )
    raw = data.get("page")
    raw = raw if isinstance(raw, str) else ""
    result.values["page"] = int(raw) if raw.isdigit() and 1 <= int(raw) <= PAST_PAGES else 1
    return result
