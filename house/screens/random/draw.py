"""The random draw, without a database: who may be drawn, how many, and who comes out.

The method ("sha256-shuffle-v1"), written down so that anyone can redraw a stored list by
hand: for each eligible resident id, take the SHA-256 of the text
``"{seed}:{day as YYYY-MM-DD}:{resident id}"`` (UTF-8) as a hexadecimal string; sort the ids
by that string (then by id, which never decides in practice); the first `wanted` ids, in
that order, are the selected residents. The seed is 32 random hexadecimal characters made
when the draw is made and stored with it.

Each ordering of the eligible residents is equally likely for a random seed, so each one is
drawn with the same chance, wanted / eligible. Nothing here depends on Python's `random`
module, whose sequences may change between versions: a stored draw redraws the same
forever.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

ALGORITHM = "sha256-shuffle-v1"
RATE_KINDS = ("count", "share")
WHY_CAP = "weekly cap"
WHY_SCREENED = "screened lately"


def _key(seed: str, day: dt.date, resident_id: int) -> str:
    return hashlib.sha256(f"{seed}:{day.isoformat()}:{resident_id}".encode()).hexdigest()


def draw(day: dt.date, seed: str, eligible: Iterable[int], wanted: int) -> list[int]:
    """The selected resident ids, in draw order (at most `wanted`, at most all eligible)."""
    ordered = sorted(set(eligible), key=lambda rid: (_key(seed, day, rid), rid))
    return ordered[: max(wanted, 0)]


def how_many(kind: str, rate: int, current: int) -> int:
    """How many a day: `rate` itself ("count"), or `rate` % of the current residents rounded
    up ("share"). The draw then takes no more than are eligible."""
    if current <= 0 or rate <= 0:
        return 0
    if kind == "share":
        return math.ceil(current * rate / 100)
    return rate


def week_start(day: dt.date) -> dt.date:
    """The Monday of `day`'s week (the weekly cap counts Monday to Sunday)."""
    return day - dt.timedelta(days=day.weekday())


@dataclass
class Eligibility:
    """Who may be drawn (ids, sorted) and who may not, with why (by id)."""

    eligible: list[int] = field(default_factory=list)
    excluded: dict[int, str] = field(default_factory=dict)


def eligibility(
    residents: Iterable[int],
    *,
    selections_this_week: Mapping[int, int],
    last_screened: Mapping[int, dt.datetime],
    weekly_cap: int,
    exclusion_hours: int,
    now: dt.datetime,
) -> Eligibility:
    """Split the house's current residents into eligible and excluded.

    1. A resident already selected `weekly_cap` times this week is excluded ("weekly cap").
    2. A resident screened within the last `exclusion_hours` before `now` is excluded
       ("screened lately").
    """
    since = now - dt.timedelta(hours=exclusion_hours)
    result = Eligibility()
    for rid in sorted(set(residents)):
        screened = last_screened.get(rid)
        if selections_this_week.get(rid, 0) >= weekly_cap:
            result.excluded[rid] = WHY_CAP
        elif exclusion_hours > 0 and screened is not None and screened > since:
            result.excluded[rid] = WHY_SCREENED
        else:
            result.eligible.append(rid)
    return result
