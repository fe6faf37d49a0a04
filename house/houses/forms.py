"""Parsing the house form; it names its own fields (no mass assignment)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from house.houses.tables import DEFAULT_LADDER, House
from house.lib import zones
from house.lib.dates import DAY_NAMES
from house.lib.forms import FormResult, choice_field, int_field, text_field, version_field
from house.lib.text import lines_of

KIND_LABELS = {House.Kind.men: "Men", House.Kind.women: "Women", House.Kind.coed: "Co-ed"}
NARR_LABELS = {
    "1": "Level I (peer-run)",
    "2": "Level II (monitored)",
    "3": "Level III (supervised)",
    "4": "Level IV (service provider)",
}
CURFEW = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
# What the house form offers to choose from (every page that shows the form passes these).
CHOICES: dict[str, Any] = {
    "kind_labels": KIND_LABELS,
    "narr_labels": NARR_LABELS,
    "weekdays": DAY_NAMES,
    "hour_options": [(str(h), f"{h:02d}:00") for h in range(24)],
}
# A new house's form starts from these (and the operator's DEFAULT_TIMEZONE).
NEW_HOUSE = {
    "kind": "coed",
    "narr_level": "2",
    "curfew": "22:00",
    "consequence_ladder": DEFAULT_LADDER,
    "chore_rotation_day": "7",
    "chore_rotation_hour": "18",
    "meeting_day": "7",
    "meeting_time": "19:00",
    "outside_meetings_required": "3",
    "alert_random_cutoff": "20:00",
    "alert_chores_missed": "2",
    "alert_meetings_weekday": "5",
    "alert_bed_free_days": "3",
    "alert_escalate_minutes": "60",
}
LADDER_STEPS = 12
LADDER_STEP_LENGTH = 80


def new_house_typed(default_timezone: str) -> dict[str, str]:
    """A new house's form: NEW_HOUSE in the operator's DEFAULT_TIMEZONE (as listed)."""
    return NEW_HOUSE | {"timezone": zones.canonical(default_timezone) or "America/New_York"}


def timezone_choices(timezone: str, saved: str = "") -> dict[str, Any]:
    """The timezone list of the house form, `timezone`'s region first; `saved` is the
    house's stored name, kept on the list when it is not a canonical one (house.lib.zones)."""
    return {"timezone_groups": zones.grouped(timezone, keep=saved)}


def typed_from(house: dict[str, Any], fields: tuple[str, ...]) -> dict[str, str]:
    """The house form filled with a stored house's `fields` and its version (a timezone
    saved as an alias shows as the zone it stands for: "US/Eastern" as America/New_York)."""
    typed = {k: str(house[k]) for k in (*fields, "version")}
    if "timezone" in typed:
        typed["timezone"] = zones.canonical(typed["timezone"]) or typed["timezone"]
    typed["require_signed_rules"] = "yes" if house["require_signed_rules"] else ""
    return typed


def parse_house(
    data: Mapping[str, Any], *, with_version: bool, saved_timezone: str = ""
) -> FormResult:
    """The house form; `saved_timezone` (the house's stored one) may be sent back unchanged
    even when it is not on the list."""
    result = FormResult()
    text_field(result, data, "name", label="a name", max_length=120)
    text_field(result, data, "address", label="an address", max_length=300)
    choice_field(
        result,
        data,
        "kind",
        choices=[k.value for k in House.Kind],
        message="Choose who the house is for.",
    )
    int_field(result, data, "narr_level", low=1, high=4, message="Choose a NARR level.")
    choice_field(
        result,
        data,
        "timezone",
        choices=zones.choosable(saved_timezone),
        message="Choose a timezone from the list.",
    )
    curfew = text_field(result, data, "curfew", label="a curfew", max_length=5, required=False)
    if curfew and not CURFEW.match(curfew):
        result.errors["curfew"] = "Enter a time like 22:00, or leave it empty."
    text_field(result, data, "phone", label="a phone", max_length=40, required=False)
    text_field(result, data, "notes", label="notes", max_length=2000, required=False)
    _parse_house_life(result, data)
    if with_version:
        version_field(result, data)
    return result


def _parse_house_life(result: FormResult, data: Mapping[str, Any]) -> None:
    """The house-life settings: signing before admission, the consequence ladder, when the
    chore rotation is made, the weekly house meeting, outside meetings a week."""
    signed = data.get("require_signed_rules") == "yes"
    result.typed["require_signed_rules"] = "yes" if signed else ""
    result.values["require_signed_rules"] = signed
    raw = data.get("consequence_ladder")
    raw = raw if isinstance(raw, str) else ""
    result.typed["consequence_ladder"] = raw[:4000]
    steps = lines_of(raw)
    if not steps:
        result.errors["consequence_ladder"] = "Write at least one consequence, one per line."
    elif len(steps) > LADDER_STEPS:
        result.errors["consequence_ladder"] = f"Use at most {LADDER_STEPS} steps."
    elif any(len(step) > LADDER_STEP_LENGTH for step in steps):
        result.errors["consequence_ladder"] = (
            f"Keep each step to {LADDER_STEP_LENGTH} characters or fewer."
        )
    elif len({step.casefold() for step in steps}) != len(steps):
        result.errors["consequence_ladder"] = "A step is listed twice."
    elif any("<" in step or ">" in step for step in steps):
        result.errors["consequence_ladder"] = "Use words only (no < or >)."
    result.values["consequence_ladder"] = "\n".join(steps)
    int_field(
        result, data, "chore_rotation_day", low=1, high=7, message="Choose a day of the week."
    )
    int_field(
        result, data, "chore_rotation_hour", low=0, high=23, message="Choose an hour, 0 to 23."
    )
    int_field(result, data, "meeting_day", low=1, high=7, message="Choose a day of the week.")
    meeting_time = text_field(result, data, "meeting_time", label="the meeting time", max_length=5)
    if meeting_time and not CURFEW.match(meeting_time):
        result.errors["meeting_time"] = "Enter a time like 19:00."
    int_field(
        result,
        data,
        "outside_meetings_required",
        low=0,
        high=14,
        message="Enter a number from 0 to 14.",
    )
    _parse_alert_settings(result, data)


def _parse_alert_settings(result: FormResult, data: Mapping[str, Any]) -> None:
    """When the house's alerts fire (each concept's rules are in house/<concept>/alerts.py)."""
    cutoff = text_field(
        result, data, "alert_random_cutoff", label="the screening cut-off time", max_length=5
    )
    if cutoff and not CURFEW.match(cutoff):
        result.errors["alert_random_cutoff"] = "Enter a time like 20:00."
    int_field(result, data, "alert_chores_missed", low=0, high=21, message="Enter 0 (off) to 21.")
    int_field(
        result, data, "alert_meetings_weekday", low=1, high=7, message="Choose a day of the week."
    )
    int_field(result, data, "alert_bed_free_days", low=0, high=90, message="Enter 0 (off) to 90.")
    int_field(
        result,
        data,
        "alert_escalate_minutes",
        low=5,
        high=1440,
        message="Enter 5 to 1440 minutes.",
    )
