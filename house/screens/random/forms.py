"""Parsing the random-screen settings and the excuse form."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from house.lib.forms import FormResult, choice_field, int_field, text_field, version_field

TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
RATE_KIND_LABELS = {"count": "A number of residents", "share": "A share of current residents"}
RATE_LIMITS = {"count": (0, 50), "share": (1, 100)}


def parse_settings(data: Mapping[str, Any]) -> FormResult:
    """Fields `random_enabled` ("yes" or absent), `random_rate_kind`, `random_rate`,
    `random_draw_time` ("HH:MM"), `random_weekly_cap`, `random_exclusion_hours`, `version`."""
    result = FormResult()
    enabled = data.get("random_enabled") == "yes"
    result.typed["random_enabled"] = "yes" if enabled else ""
    result.values["random_enabled"] = enabled
    kind = choice_field(
        result,
        data,
        "random_rate_kind",
        choices=RATE_KIND_LABELS,
        message="Choose a number or a share.",
    )
    low, high = RATE_LIMITS.get(kind, RATE_LIMITS["count"])
    message = (
        f"Enter a percentage from {low} to {high}."
        if kind == "share"
        else f"Enter a number from {low} to {high}."
    )
    int_field(result, data, "random_rate", low=low, high=high, message=message)
    draw_time = text_field(
        result, data, "random_draw_time", label="the time of the draw", max_length=5
    )
    if draw_time and "random_draw_time" not in result.errors and not TIME.match(draw_time):
        result.errors["random_draw_time"] = "Enter a time like 06:00."
    int_field(
        result,
        data,
        "random_weekly_cap",
        low=0,
        high=7,
        message="Enter a number from 0 to 7.",
    )
    int_field(
        result,
        data,
        "random_exclusion_hours",
        low=0,
        high=168,
        message="Enter a number of hours from 0 to 168.",
    )
    version_field(result, data)
    return result


def settings_typed(house: Mapping[str, Any]) -> dict[str, str]:
    """The form as the house's stored settings fill it."""
    return {
        "random_enabled": "yes" if house["random_enabled"] else "",
        "random_rate_kind": str(house["random_rate_kind"]),
        "random_rate": str(house["random_rate"]),
        "random_draw_time": str(house["random_draw_time"]),
        "random_weekly_cap": str(house["random_weekly_cap"]),
        "random_exclusion_hours": str(house["random_exclusion_hours"]),
        "version": str(house["version"]),
    }


def parse_excuse(data: Mapping[str, Any]) -> FormResult:
    result = FormResult()
    text_field(result, data, "reason", label="a reason", max_length=300)
    return result
