"""The weekly cap holds when draws are simulated day by day over weeks with the service's
eligibility rules (a heavy rate, so the cap is what stops the draw)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter

import pytest

from house.screens.random import draw as algo

START = dt.date(2026, 1, 5)  # a Monday


@pytest.mark.parametrize(("residents", "rate", "cap", "hours"), [(6, 3, 2, 48), (10, 4, 1, 0)])
def test_it_never_selects_anyone_more_than_the_weekly_cap(
    residents: int, rate: int, cap: int, hours: int
) -> None:
    people = list(range(100, 100 + residents))
    history: list[tuple[dt.date, int]] = []
    screened: dict[int, dt.datetime] = {}
    for offset in range(7 * 12):
        day = START + dt.timedelta(days=offset)
        now = dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)
        monday = algo.week_start(day)
        this_week = Counter(rid for d, rid in history if monday <= d <= day)
        who = algo.eligibility(
            people,
            selections_this_week=this_week,
            last_screened=screened,
            weekly_cap=cap,
            exclusion_hours=hours,
            now=now,
        )
        assert sorted(who.eligible + list(who.excluded)) == people
        seed = hashlib.sha256(f"{day}".encode()).hexdigest()[:32]
        selected = algo.draw(day, seed, who.eligible, algo.how_many("count", rate, residents))
        assert set(selected) <= set(who.eligible)
        for rid in selected:
            history.append((day, rid))
            if rid % 3:  # most are screened that day; the others miss it
                screened[rid] = now + dt.timedelta(hours=2)
    weeks = Counter((algo.week_start(d), rid) for d, rid in history)
    assert max(weeks.values()) == cap  # reached, never passed
    # The cap binds: without it the draw would have wanted more.
    assert len(history) < 7 * 12 * rate
