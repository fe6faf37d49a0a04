"""Parsing the house form; it names its own fields (no mass assignment)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from zoneinfo import available_timezones

from house.houses.tables import House
from house.lib.forms import FormResult, choice_field, int_field, text_field

KIND_LABELS = {House.Kind.men: "Men", House.Kind.women: "Women", House.Kind.coed: "Co-ed"}
NARR_LABELS = {
    "1": "Level I (peer-run)",
    "2": "Level II (monitored)",
    "3": "Level III (supervised)",
    "4": "Level IV (service provider)",
}
TIMEZONES = sorted(z for z in available_timezones() if "/" in z and not z.startswith("Etc/"))
CURFEW = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def parse_house(data: Mapping[str, Any], *, with_version: bool) -> FormResult:
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
        result, data, "timezone", choices=TIMEZONES, message="Choose a timezone from the list."
    )
    curfew = text_field(result, data, "curfew", label="a curfew", max_length=5, required=False)
    if curfew and not CURFEW.match(curfew):
        result.errors["curfew"] = "Enter a time like 22:00, or leave it empty."
    text_field(result, data, "phone", label="a phone", max_length=40, required=False)
    text_field(result, data, "notes", label="notes", max_length=2000, required=False)
    if with_version:
        int_field(result, data, "version", low=1, high=2**31 - 1, message="Reload the page.")
    return result


def parse_label(data: Mapping[str, Any], what: str) -> FormResult:
    result = FormResult()
    text_field(result, data, "label", label=f"a {what} label", max_length=40)
    return result
