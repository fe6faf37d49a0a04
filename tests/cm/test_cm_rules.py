"""The schedules' arithmetic: escalating vouchers with a bonus, draws that grow to a cap, and
a prize bowl whose shares over 100,000 draws match its setting."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from house.cm import rules

DEFAULTS = rules.Settings(schedule=rules.VOUCHERS)


def test_it_escalates_vouchers_to_the_maximum_with_a_bonus_every_third() -> None:
    # 2.50, 4.00, 5.50 + 10 bonus, 7.00, ... capped at 30.00, bonus on 3, 6, 9 ...
    got = [rules.voucher_cents(n, DEFAULTS) for n in range(1, 22)]
    assert got[:4] == [250, 400, 550 + 1000, 700]
    assert got[18:21] == [2950, 3000, 3000 + 1000]  # n=20 reaches the $30 maximum
    assert max(g for i, g in enumerate(got, 1) if i % 3) == 3000
    assert rules.voucher_cents(100, DEFAULTS) == 3000
    assert rules.voucher_cents(99, DEFAULTS) == 4000


def test_it_gives_no_bonus_when_bonus_every_is_zero() -> None:
    settings = rules.Settings(schedule=rules.VOUCHERS, bonus_every=0)
    assert [rules.voucher_cents(n, settings) for n in (1, 3, 6)] == [250, 550, 1000]


def test_it_grows_draws_by_one_up_to_the_cap() -> None:
    settings = rules.Settings(schedule=rules.PRIZES, draws_max=3)
    assert [rules.draws_for(n, settings) for n in range(1, 6)] == [1, 2, 3, 3, 3]
    assert rules.next_reward(0, settings) == {"draws": 1}
    assert rules.next_reward(7, settings) == {"draws": 3}
    assert rules.next_reward(0, DEFAULTS) == {"cents": 250}


def test_it_counts_from_one() -> None:
    with pytest.raises(ValueError, match="from 1"):
        rules.voucher_cents(0, DEFAULTS)
    with pytest.raises(ValueError, match="from 1"):
        rules.draws_for(0, DEFAULTS)


def test_it_maps_rolls_to_the_bowls_bands() -> None:
    bowl = (500, 418, 80, 2)
    assert [rules.prize_for_roll(r, bowl) for r in (0, 499, 500, 917, 918, 997, 998, 999)] == [
        "good_job",
        "good_job",
        "small",
        "small",
        "large",
        "large",
        "jumbo",
        "jumbo",
    ]
    assert rules.prize_for_roll(0, (0, 0, 0, 1000)) == "jumbo"
    with pytest.raises(ValueError, match=r"0 \.\. 999"):
        rules.prize_for_roll(1000, bowl)
    with pytest.raises(ValueError, match="1,000 slips"):
        rules.prize_for_roll(5, (500, 400, 80, 2))


@pytest.mark.parametrize("bowl", [(500, 418, 80, 2), (250, 600, 149, 1), (0, 900, 100, 0)])
def test_it_draws_the_bowls_shares_within_half_a_point_over_100000_draws(
    bowl: tuple[int, int, int, int],
) -> None:
    settings = rules.Settings(schedule=rules.PRIZES, bowl=bowl)
    source = random.Random(20261126)
    draws = rules.draw(100_000, settings, source.randrange)
    shares = Counter(d.prize for d in draws)
    for prize, slips in zip(rules.PRIZES_IN_ORDER, bowl, strict=True):
        observed = 100 * shares[prize] / len(draws)
        assert abs(observed - slips / 10) < 0.5, (prize, observed)
    assert [d.number for d in draws[:3]] == [1, 2, 3]
    values = dict(zip(rules.PRIZES_IN_ORDER, settings.prize_values, strict=True))
    assert all(d.value == values[d.prize] for d in draws)


def test_it_writes_dollars_and_cents() -> None:
    assert rules.dollars(0) == "$0.00"
    assert rules.dollars(1005) == "$10.05"
    assert rules.dollars(-250) == "-$2.50"
    assert rules.dollars(123456) == "$1,234.56"


def test_it_sorts_outcomes_into_success_reset_and_nothing() -> None:
    assert rules.effect_of("negative") == "success"
    assert rules.effect_of("expected_positive") == "success"
    for outcome in ("positive", "dilute", "refused", "missed"):
        assert rules.effect_of(outcome) == "reset"
    assert rules.effect_of("invalid") is None
