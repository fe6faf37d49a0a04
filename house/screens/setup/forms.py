"""Parsing the panel, substance and prescription forms. Whether the substances belong to
the list offered is checked here; the service re-reads them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from house.lib.forms import FormResult, id_list_field, text_field
from house.screens.forms import all_values, date_field, id_field


def parse_panel(data: Any, *, offered: Iterable[int]) -> FormResult:
    result = FormResult()
    text_field(result, data, "name", label="a name for the panel", max_length=80)
    id_list_field(
        result,
        all_values(data, "substances"),
        "substances",
        allowed=offered,
        message="Choose substances from the list.",
    )
    if not result.values["substances"] and "substances" not in result.errors:
        result.errors["substances"] = "Choose at least one substance."
    return result


def parse_substance(data: Mapping[str, Any], *, with_reason: bool = False) -> FormResult:
    result = FormResult()
    text_field(result, data, "name", label="the substance's name", max_length=80)
    if with_reason:
        text_field(result, data, "reason", label="why it is renamed", max_length=300)
    return result


def parse_prescription(data: Mapping[str, Any]) -> FormResult:
    result = FormResult()
    id_field(result, data, "substance", "Choose the substance it shows up as.")
    text_field(result, data, "medication", label="the medication", max_length=120)
    text_field(result, data, "prescriber", label="the prescriber", max_length=120, required=False)
    date_field(result, data, "starts_on", "Enter the date it started, like 2026-11-24.")
    date_field(result, data, "ends_on", "Enter the end date, like 2026-12-24.", required=False)
    return result


def parse_end(data: Mapping[str, Any]) -> FormResult:
    result = FormResult()
    date_field(result, data, "ends_on", "Enter the last day, like 2026-12-24.")
    text_field(result, data, "reason", label="why it ends", max_length=300)
    return result
