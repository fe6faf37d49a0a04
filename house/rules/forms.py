"""Parsing the rules editor (numbered rows) and the signature form."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from house.lib.forms import FormResult, int_field, text_field

MAX_ROWS = 60
BLANK_ROWS = 3


def parse_rules(data: Mapping[str, Any]) -> FormResult:
    """Rows `number-N`, `text-N`, `category-N`, `consequence-N`; a row without text is left
    out (that is how a rule is dropped from the next version)."""
    result = FormResult()
    rows = []
    sent = sorted(
        {
            int(index)
            for key in data
            if key.startswith(("number-", "text-"))
            and (index := key.rsplit("-", 1)[1]).isdigit()
            and int(index) < MAX_ROWS
        }
    )
    for i in sent:
        text = text_field(
            result, data, f"text-{i}", label="the rule", max_length=1000, required=False
        )
        category = text_field(
            result, data, f"category-{i}", label="a category", max_length=60, required=False
        )
        consequence = text_field(
            result, data, f"consequence-{i}", label="a consequence", max_length=200, required=False
        )
        if not text:
            result.typed[f"number-{i}"] = str(data.get(f"number-{i}", ""))[:10]
            continue
        number = int_field(
            result,
            data,
            f"number-{i}",
            low=1,
            high=999,
            message="Give the rule a number from 1 to 999.",
        )
        rows.append(
            {"number": number, "text": text, "category": category, "consequence": consequence}
        )
    result.values["rules"] = rows
    result.values["row_count"] = (sent[-1] + 1) if sent else 0
    if not rows and not result.errors:
        result.errors["form"] = "A house needs at least one rule."
    numbers = [r["number"] for r in rows]
    if len(set(numbers)) != len(numbers) and "form" not in result.errors:
        result.errors["form"] = "Two rules have the same number."
    text_field(result, data, "note", label="a note", max_length=200, required=False)
    return result


def parse_signature(data: Mapping[str, Any]) -> FormResult:
    result = FormResult()
    text_field(result, data, "name", label="your full name", max_length=120)
    if data.get("confirm") != "yes":
        result.errors["confirm"] = "Tick the box to say you have read the rules."
    int_field(result, data, "rule_set", low=1, high=2**31 - 1, message="Reload the page.")
    return result
