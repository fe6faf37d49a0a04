"""The arithmetic of contingency management, without a database: what the nth consecutive
verified negative earns (vouchers or prize draws), which prize a roll gives, and what a
screen's outcome does to the streak.

The schedules follow the research literature: escalating vouchers (Higgins) reset to the
start by a positive, dilute, refused or missed screen; prize draws (Petry's "fishbowl")
grow by one per consecutive success up to a cap and reset the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from house.screens import outcomes

VOUCHERS = "vouchers"
PRIZES = "prizes"
SCHEDULES = ("", VOUCHERS, PRIZES)
SLIPS = 1000  # the bowl holds this many slips; a roll is 0 .. SLIPS - 1
PRIZES_IN_ORDER = ("good_job", "small", "large", "jumbo")

Effect = Literal["success", "reset"]


def effect_of(outcome: str) -> Effect | None:
    """What a screen's overall outcome does to the streak."""
    if outcome in outcomes.SUCCESS:
        return "success"
    if outcome in outcomes.SETBACK:
        return "reset"
    return None


@dataclass(frozen=True)
class Settings:
    """A house's CM settings (amounts in cents, the bowl in slips per 1,000)."""

    schedule: str = ""
    voucher_start: int = 250
    voucher_step: int = 150
    voucher_max: int = 3000
    bonus_every: int = 3
    bonus: int = 1000
    draws_max: int = 8
    bowl: tuple[int, int, int, int] = (500, 418, 80, 2)
    prize_values: tuple[int, int, int, int] = (0, 100, 2000, 10000)
    meetings_earn: bool = False
    meeting_amount: int = 100

    @property
    def on(self) -> bool:
        return self.schedule in (VOUCHERS, PRIZES)


def settings_of(house: Mapping[str, Any]) -> Settings:
    """Settings from a House row (a dict with the `cm_*` columns)."""
    return Settings(
        schedule=house["cm_schedule"],
        voucher_start=house["cm_voucher_start"],
        voucher_step=house["cm_voucher_step"],
        voucher_max=house["cm_voucher_max"],
        bonus_every=house["cm_bonus_every"],
        bonus=house["cm_bonus"],
        draws_max=house["cm_draws_max"],
        bowl=(
            house["cm_bowl_good_job"],
            house["cm_bowl_small"],
            house["cm_bowl_large"],
            house["cm_bowl_jumbo"],
        ),
        prize_values=(0, house["cm_prize_small"], house["cm_prize_large"], house["cm_prize_jumbo"]),
        meetings_earn=house["cm_meetings_earn"],
        meeting_amount=house["cm_meeting_amount"],
    )


def voucher_cents(n: int, s: Settings) -> int:
    """The voucher for the nth consecutive success (n >= 1): start + (n-1) x step, at most
    the maximum, plus the bonus on every `bonus_every`th success."""
    if n < 1:
        raise ValueError("n counts from 1")
    amount = min(s.voucher_start + (n - 1) * s.voucher_step, s.voucher_max)
    if s.bonus_every > 0 and n % s.bonus_every == 0:
        amount += s.bonus
    return amount


def draws_for(n: int, s: Settings) -> int:
    """Prize draws for the nth consecutive success: n, at most the cap."""
    if n < 1:
        raise ValueError("n counts from 1")
    return min(n, s.draws_max)


def prize_for_roll(roll: int, bowl: tuple[int, int, int, int]) -> str:
    """The prize of slip number `roll` (0 .. 999): the bowl's shares laid end to end, good
    job first (rolls 0 .. 499 with the default bowl), then small, large, jumbo."""
    if not 0 <= roll < SLIPS:
        raise ValueError("a roll is 0 .. 999")
    if sum(bowl) != SLIPS:
        raise ValueError("the bowl must hold 1,000 slips")
    top = 0
    for prize, share in zip(PRIZES_IN_ORDER, bowl, strict=True):
        top += share
        if roll < top:
            return prize
    raise AssertionError("unreachable: the bands cover 0 .. 999")  # pragma: no cover


@dataclass(frozen=True)
class Draw:
    number: int
    roll: int
    prize: str
    value: int


def draw(count: int, s: Settings, roll: Callable[[int], int]) -> list[Draw]:
    """`count` draws from the house's bowl; `roll(1000)` gives 0 .. 999 (the server passes
    `secrets.randbelow`; tests pass a seeded generator)."""
    draws = []
    for number in range(1, count + 1):
        value_roll = roll(SLIPS)
        prize = prize_for_roll(value_roll, s.bowl)
        value = s.prize_values[PRIZES_IN_ORDER.index(prize)]
        draws.append(Draw(number=number, roll=value_roll, prize=prize, value=value))
    return draws


def next_reward(streak: int, s: Settings) -> dict[str, int]:
    """What the next verified negative earns after `streak` consecutive successes:
    {"cents": ...} for vouchers, {"draws": ...} for prizes."""
    if s.schedule == VOUCHERS:
        return {"cents": voucher_cents(streak + 1, s)}
    if s.schedule == PRIZES:
        return {"draws": draws_for(streak + 1, s)}
    return {}


def dollars(cents: int) -> str:
    """Cents as "$12.50" (negative as "-$12.50")."""
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}${whole:,}.{part:02d}"
