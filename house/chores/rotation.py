"""The weekly chore rotation, as a pure function: no database, no clock.

Inputs: the week's days, the chores (weight, frequency, days), the residents with the days
they are in the house, each resident's effort and days present over the last 4 weeks, and
who last held each chore. Output: one assignment per chore occurrence that someone present
can take (and the occurrences nobody could).

How it chooses, occurrence by occurrence (heaviest chores first, each chore's days in order):
1. Only residents present on that day are candidates.
2. The chore's previous holder (last week or the day before) is left out when anyone else is
   present ("nobody gets the same chore twice running when avoidable").
3. The candidate with the fewest chores that day wins (one chore a day each, while there are
   enough people); then the lowest effort per day present (the last 4 weeks plus this week
   so far); then a draw from `random.Random(seed)`.

Inputs are sorted before use and the generator is seeded, so one week, one seed and the same
inputs give the same rotation.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from fractions import Fraction

from house.lib.dates import week_days

DAILY = "daily"
WEEKDAYS = "weekdays"
WEEKLY = "weekly"
HISTORY_WEEKS = 4


@dataclass(frozen=True)
class ChoreSpec:
    id: int
    weight: int
    frequency: str
    # ISO weekdays (1 Monday .. 7 Sunday) for "weekdays" and "weekly".
    weekdays: tuple[int, ...] = ()


@dataclass(frozen=True)
class ResidentSpec:
    id: int
    stay_id: int
    # The days of this week the resident is in the house (a pass, when passes exist, is
    # taken out by `presence_days(..., away=...)`).
    present: frozenset[dt.date]
    # Effort (sum of weights) and days present over the last HISTORY_WEEKS weeks.
    history_effort: int = 0
    history_days: int = 0


@dataclass(frozen=True)
class Slot:
    chore_id: int
    day: dt.date
    weight: int
    resident_id: int
    stay_id: int


@dataclass
class Rotation:
    slots: list[Slot] = field(default_factory=list)
    # (chore id, day) of occurrences nobody present could take.
    unfilled: list[tuple[int, dt.date]] = field(default_factory=list)


def parse_weekdays(raw: str) -> tuple[int, ...]:
    """ "1,3,5" -> (1, 3, 5); anything that is not an ISO weekday is dropped."""
    days = {int(p) for p in raw.split(",") if p.strip().isdigit() and 1 <= int(p) <= 7}
    return tuple(sorted(days))


def occurrence_days(chore: ChoreSpec, week_start: dt.date) -> list[dt.date]:
    """The days of the week a chore happens: every day; the listed days; or once, on the
    first listed day (Monday if none is listed)."""
    days = week_days(week_start)
    if chore.frequency == DAILY:
        return days
    if chore.frequency == WEEKDAYS:
        return [days[d - 1] for d in chore.weekdays]
    first = chore.weekdays[0] if chore.weekdays else 1
    return [days[first - 1]]


def presence_days(
    week_start: dt.date,
    admitted_on: dt.date | None,
    exited_on: dt.date | None,
    away: frozenset[dt.date] = frozenset(),
) -> frozenset[dt.date]:
    """The days of the week a resident is in the house: from the move-in day, up to (not
    including) the exit day, less the days away."""
    if admitted_on is None:
        return frozenset()
    return frozenset(
        d
        for d in week_days(week_start)
        if admitted_on <= d and (exited_on is None or d < exited_on) and d not in away
    )


def derive_seed(house_id: int, week_start: dt.date) -> int:
    """The default seed of a house's week: stable, different per house and week."""
    return (house_id * 1_000_003 + week_start.toordinal() * 7_919) % (2**31 - 1)


def make_rotation(
    *,
    week_start: dt.date,
    chores: list[ChoreSpec],
    residents: list[ResidentSpec],
    last_holder: dict[int, int],
    seed: int,
    from_day: dt.date | None = None,
) -> Rotation:
    """Assign every occurrence of `chores` in the week (from `from_day` on, if given)."""
    rng = random.Random(seed)  # noqa: S311 - tie-breaks, not secrets
    people = sorted(residents, key=lambda r: r.id)
    effort = {r.id: r.history_effort for r in people}
    days_in = {r.id: r.history_days + len(r.present) for r in people}
    per_day: dict[tuple[int, dt.date], int] = {}
    holder = dict(last_holder)
    result = Rotation()
    for chore in sorted(chores, key=lambda c: (-c.weight, c.id)):
        for day in occurrence_days(chore, week_start):
            if from_day is not None and day < from_day:
                continue
            candidates = [r for r in people if day in r.present]
            if not candidates:
                result.unfilled.append((chore.id, day))
                continue
            previous = holder.get(chore.id)
            if len(candidates) > 1:
                candidates = [r for r in candidates if r.id != previous]
            chosen = _fairest(candidates, day, chore.weight, rng, effort, days_in, per_day)
            holder[chore.id] = chosen.id
            result.slots.append(Slot(chore.id, day, chore.weight, chosen.id, chosen.stay_id))
    result.slots.sort(key=lambda s: (s.day, s.chore_id))
    return result


def hand_on(
    *,
    open_slots: list[tuple[int, int, dt.date, int]],
    residents: list[ResidentSpec],
    taken: list[tuple[int, dt.date, int]],
    leaver: int,
    seed: int,
) -> dict[int, ResidentSpec | None]:
    """Give a leaver's open chores `(assignment id, chore id, day, weight)` to the others,
    as `make_rotation` would: a resident present that day, fewest chores that day, then the
    lowest effort per day present (the history weeks plus `taken`, the week's other chores
    as (resident, day, weight)), then a seeded draw. None where nobody else is present."""
    rng = random.Random(seed)  # noqa: S311 - tie-breaks, not secrets
    people = sorted((r for r in residents if r.id != leaver), key=lambda r: r.id)
    effort = {r.id: r.history_effort for r in people}
    days_in = {r.id: r.history_days + len(r.present) for r in people}
    per_day: dict[tuple[int, dt.date], int] = {}
    for resident, day, weight in taken:
        if resident in effort:
            effort[resident] += weight
            per_day[(resident, day)] = per_day.get((resident, day), 0) + 1
    given: dict[int, ResidentSpec | None] = {}
    for assignment, _chore, day, weight in sorted(open_slots, key=lambda s: (s[2], -s[3], s[0])):
        candidates = [r for r in people if day in r.present]
        if not candidates:
            given[assignment] = None
            continue
        chosen = _fairest(candidates, day, weight, rng, effort, days_in, per_day)
        given[assignment] = chosen
    return given


def _fairest(
    candidates: list[ResidentSpec],
    day: dt.date,
    weight: int,
    rng: random.Random,
    effort: dict[int, int],
    days_in: dict[int, int],
    per_day: dict[tuple[int, dt.date], int],
) -> ResidentSpec:
    """The rotation's rule for one chore on `day`: fewest chores that day, then the lowest
    effort per day present, then a seeded draw; the chosen one's tallies take the chore."""
    draws = {r.id: rng.random() for r in candidates}
    chosen = min(
        candidates,
        key=lambda r: (
            per_day.get((r.id, day), 0),
            Fraction(effort[r.id], max(1, days_in[r.id])),
            draws[r.id],
        ),
    )
    effort[chosen.id] += weight
    per_day[(chosen.id, day)] = per_day.get((chosen.id, day), 0) + 1
    return chosen
