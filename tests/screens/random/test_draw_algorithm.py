"""The draw itself, without a database: fair over 10,000 seeds, the same seed the same list,
a method anyone can redo by hand, and how many a day."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter

import pytest

from house.screens.random import draw as algo

DAY = dt.date(2026, 11, 25)
DRAWS = 10_000


def _seeds(count: int) -> list[str]:
    """Fixed, well-spread 32-hex-character seeds (as secrets.token_hex(16) makes them)."""
    return [hashlib.sha256(f"test seed {i}".encode()).hexdigest()[:32] for i in range(count)]


@pytest.mark.parametrize(("n", "k"), [(6, 2), (8, 3), (9, 4), (3, 1)])
def test_it_draws_each_eligible_resident_equally_often_over_10000_draws(n: int, k: int) -> None:
    eligible = [11 * i + 3 for i in range(n)]
    drawn: Counter[int] = Counter()
    firsts: Counter[int] = Counter()
    for seed in _seeds(DRAWS):
        selected = algo.draw(DAY, seed, eligible, k)
        assert len(selected) == k
        assert len(set(selected)) == k
        assert set(selected) <= set(eligible)
        drawn.update(selected)
        firsts[selected[0]] += 1
    expected = DRAWS * k / n
    for rid in eligible:
        assert abs(drawn[rid] - expected) <= 0.05 * expected, (rid, drawn[rid], expected)
        # The draw order is fair too: each is first as often.
        assert abs(firsts[rid] - DRAWS / n) <= 0.1 * DRAWS / n, (rid, firsts[rid])


def test_it_redraws_the_same_list_from_the_same_seed_and_another_from_another() -> None:
    eligible = list(range(1, 21))
    seed = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
    first = algo.draw(DAY, seed, eligible, 5)
    assert algo.draw(DAY, seed, eligible, 5) == first
    # The order the ids come in does not matter: the stored list is sorted anyway.
    assert algo.draw(DAY, seed, list(reversed(eligible)), 5) == first
    lists = {tuple(algo.draw(DAY, s, eligible, 5)) for s in _seeds(50)}
    assert len(lists) > 45


def test_it_follows_the_written_method_step_by_step() -> None:
    seed = "00112233445566778899aabbccddeeff"
    eligible = [4, 8, 15, 16, 23, 42]

    def key(rid: int) -> str:
        return hashlib.sha256(f"{seed}:2026-11-25:{rid}".encode()).hexdigest()

    by_hand = sorted(eligible, key=key)[:3]
    assert algo.draw(DAY, seed, eligible, 3) == by_hand
    # Another day, another list from the same seed.
    assert algo.draw(DAY + dt.timedelta(days=1), seed, eligible, 6) != algo.draw(
        DAY, seed, eligible, 6
    )


def test_it_never_draws_more_than_are_eligible_or_fewer_than_none() -> None:
    assert algo.draw(DAY, "ab" * 16, [1, 2], 5) == sorted(
        [1, 2], key=lambda r: hashlib.sha256(f"{'ab' * 16}:2026-11-25:{r}".encode()).hexdigest()
    )
    assert algo.draw(DAY, "ab" * 16, [], 3) == []
    assert algo.draw(DAY, "ab" * 16, [1, 2, 3], 0) == []
    assert algo.draw(DAY, "ab" * 16, [1, 2, 3], -1) == []


@pytest.mark.parametrize(
    ("kind", "rate", "current", "wanted"),
    [
        ("count", 2, 10, 2),
        ("count", 0, 10, 0),
        ("count", 12, 3, 12),  # the draw then takes the 3
        ("share", 15, 10, 2),  # 1.5 rounded up
        ("share", 10, 10, 1),
        ("share", 100, 7, 7),
        ("share", 1, 1, 1),
        ("share", 50, 0, 0),
    ],
)
def test_it_counts_how_many_a_day(kind: str, rate: int, current: int, wanted: int) -> None:
    assert algo.how_many(kind, rate, current) == wanted


def test_it_leaves_out_the_capped_and_the_lately_screened_with_why() -> None:
    now = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)
    result = algo.eligibility(
        [5, 3, 1, 2, 4],
        selections_this_week={1: 2, 2: 1},
        last_screened={3: now - dt.timedelta(hours=47), 4: now - dt.timedelta(hours=49)},
        weekly_cap=2,
        exclusion_hours=48,
        now=now,
    )
    assert result.eligible == [2, 4, 5]
    assert result.excluded == {1: algo.WHY_CAP, 3: algo.WHY_SCREENED}
    no_window = algo.eligibility(
        [3],
        selections_this_week={},
        last_screened={3: now},
        weekly_cap=2,
        exclusion_hours=0,
        now=now,
    )
    assert no_window.eligible == [3]
    nobody = algo.eligibility(
        [1, 2], selections_this_week={}, last_screened={}, weekly_cap=0, exclusion_hours=0, now=now
    )
    assert (nobody.eligible, nobody.excluded) == ([], {1: algo.WHY_CAP, 2: algo.WHY_CAP})


def test_it_starts_weeks_on_monday() -> None:
    assert algo.week_start(dt.date(2026, 11, 23)) == dt.date(2026, 11, 23)
    assert algo.week_start(dt.date(2026, 11, 29)) == dt.date(2026, 11, 23)
    assert algo.week_start(dt.date(2026, 11, 30)) == dt.date(2026, 11, 30)
