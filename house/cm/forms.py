"""Parsing the CM settings form and the redemption form. Money is typed in dollars and
cents ("12", "12.5", "$12.50") and stored in cents; the prize bowl is typed in percent with
one decimal ("41.8") and stored in slips per 1,000."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from house.cm import rules
from house.lib.forms import FormResult, choice_field, int_field, text_field, version_field

MONEY = re.compile(r"^\$?\s*(\d{1,7})(?:\.(\d{1,2}))?$")
PERCENT = re.compile(r"^(\d{1,3})(?:\.(\d))?$")
MAX_SETTING_CENTS = 100_000  # $1,000: no single CM reward in the literature comes near it
MAX_REDEEM_CENTS = 10_000_000
BOWL_FIELDS = ("bowl_good_job", "bowl_small", "bowl_large", "bowl_jumbo")
SCHEDULE_LABELS = {"": "Off", rules.VOUCHERS: "Vouchers", rules.PRIZES: "Prize draws"}


def parse_cents(raw: str) -> int | None:
    """Dollars and cents as typed -> cents, or None if it is not an amount."""
    match = MONEY.match(raw.strip().replace(",", ""))
    if match is None:
        return None
    whole, part = match.groups()
    return int(whole) * 100 + int((part or "0").ljust(2, "0"))


def money_field(
    result: FormResult,
    data: Mapping[str, Any],
    name: str,
    *,
    low: int,
    high: int,
    message: str,
) -> int:
    raw = data.get(name)
    raw = raw if isinstance(raw, str) else ""
    result.typed[name] = raw[:20]
    cents = parse_cents(raw) if len(raw) <= 20 else None
    if cents is None or not low <= cents <= high:
        result.errors[name] = message
        result.values[name] = low
        return low
    result.values[name] = cents
    return cents


def percent_field(result: FormResult, data: Mapping[str, Any], name: str) -> int:
    """A share of the bowl, 0 to 100 with one decimal -> slips per 1,000."""
    raw = data.get(name)
    raw = raw if isinstance(raw, str) else ""
    result.typed[name] = raw[:20]
    match = PERCENT.match(raw.strip().rstrip("%").strip())
    slips = int(match.group(1)) * 10 + int(match.group(2) or 0) if match else None
    if slips is None or slips > rules.SLIPS:
        result.errors[name] = "Enter a percentage from 0 to 100, with at most one decimal."
        result.values[name] = 0
        return 0
    result.values[name] = slips
    return slips


def parse_settings(data: Mapping[str, Any]) -> FormResult:
    result = FormResult()
    schedule = choice_field(
        result, data, "schedule", choices=SCHEDULE_LABELS, message="Choose off, vouchers or prizes."
    )
    dollars_message = "Enter an amount in dollars and cents, from $0.00 to $1,000.00."
    above_zero = "Enter an amount in dollars and cents, from $0.01 to $1,000.00."
    start = money_field(
        result, data, "voucher_start", low=1, high=MAX_SETTING_CENTS, message=above_zero
    )
    money_field(
        result, data, "voucher_step", low=0, high=MAX_SETTING_CENTS, message=dollars_message
    )
    top = money_field(
        result, data, "voucher_max", low=1, high=MAX_SETTING_CENTS, message=above_zero
    )
    if "voucher_start" not in result.errors and "voucher_max" not in result.errors and top < start:
        result.errors["voucher_max"] = "The maximum cannot be below the first voucher."
    int_field(
        result,
        data,
        "bonus_every",
        low=0,
        high=52,
        message="Enter a whole number from 0 (no bonus) to 52.",
    )
    money_field(result, data, "bonus", low=0, high=MAX_SETTING_CENTS, message=dollars_message)
    int_field(
        result, data, "draws_max", low=1, high=50, message="Enter a whole number from 1 to 50."
    )
    slips = [percent_field(result, data, name) for name in BOWL_FIELDS]
    if not any(name in result.errors for name in BOWL_FIELDS) and sum(slips) != rules.SLIPS:
        result.errors["bowl"] = (
            f"The bowl's shares add up to {sum(slips) / 10:.1f} %; they must add up to 100.0 %."
        )
    for name in ("prize_small", "prize_large", "prize_jumbo"):
        money_field(result, data, name, low=0, high=MAX_SETTING_CENTS, message=dollars_message)
    earn = data.get("meetings_earn")
    result.typed["meetings_earn"] = "yes" if earn == "yes" else ""
    result.values["meetings_earn"] = earn == "yes"
    money_field(
        result, data, "meeting_amount", low=0, high=MAX_SETTING_CENTS, message=dollars_message
    )
    version_field(result, data)
    result.values["schedule"] = schedule
    return result


def typed_settings(house: Mapping[str, Any]) -> dict[str, str]:
    """The settings form filled in from a House row."""

    def money(cents: int) -> str:
        return f"{cents // 100}.{cents % 100:02d}"

    def percent(slips: int) -> str:
        return f"{slips // 10}.{slips % 10}"

    typed = {
        "schedule": house["cm_schedule"],
        "bonus_every": str(house["cm_bonus_every"]),
        "draws_max": str(house["cm_draws_max"]),
        "meetings_earn": "yes" if house["cm_meetings_earn"] else "",
        "version": str(house["version"]),
    }
    for name in (
        "voucher_start",
        "voucher_step",
        "voucher_max",
        "bonus",
        "prize_small",
        "prize_large",
        "prize_jumbo",
        "meeting_amount",
    ):
        typed[name] = money(house[f"cm_{name}"])
    for name in BOWL_FIELDS:
        typed[name] = percent(house[f"cm_{name}"])
    return typed


def parse_redeem(data: Mapping[str, Any]) -> FormResult:
    """What the resident chose (text) and its value (more than $0, at most the balance:
    the service checks that against the ledger)."""
    result = FormResult()
    text_field(result, data, "what", label="what they chose", max_length=120)
    money_field(
        result,
        data,
        "value",
        low=1,
        high=MAX_REDEEM_CENTS,
        message="Enter the value in dollars and cents, more than $0.00.",
    )
    return result
