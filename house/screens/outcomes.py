"""What a screen's outcome means, written once: every other part of house (alerts, contingency
management, reports, progress) asks here instead of listing outcomes itself.

Treatment is not use: a positive explained by a disclosed prescription ("expected positive")
counts as a negative wherever success is counted.
"""

from __future__ import annotations

from house.screens.tables import Screen

Outcome = Screen.Outcome

LABELS = {
    Outcome.negative: "Negative",
    Outcome.positive: "Positive",
    Outcome.expected_positive: "Expected positive (prescribed)",
    Outcome.dilute: "Dilute",
    Outcome.invalid: "Invalid",
    Outcome.refused: "Refused",
    Outcome.missed: "Missed (no-show)",
}
# Lower-case words for a sentence or a summary table ("2 negative, 1 refused").
WORDS = {
    Outcome.negative: "negative",
    Outcome.positive: "positive",
    Outcome.expected_positive: "expected positive",
    Outcome.dilute: "dilute",
    Outcome.invalid: "invalid",
    Outcome.refused: "refused",
    Outcome.missed: "missed",
}
# How a success reads where it is earned from (a reward ledger's line).
SUCCESS_WORDS = {
    Outcome.negative: "Negative screen",
    Outcome.expected_positive: "Screen negative but for prescribed medication",
}
# A success (a negative, or positive only for a prescription) earns and extends a streak.
SUCCESS = frozenset({Outcome.negative, Outcome.expected_positive})
# A setback resets a streak and is what a house's relapse policy looks at.
SETBACK = frozenset({Outcome.positive, Outcome.dilute, Outcome.refused, Outcome.missed})
# "invalid" (a spoiled sample, a lab error) is neither.
# What staff are alerted to, and how urgently.
ALERTS = {
    Outcome.positive: ("a positive screen", "critical"),
    Outcome.refused: ("a refused screen", "critical"),
    Outcome.missed: ("a missed screen", "critical"),
    Outcome.dilute: ("a dilute screen", "attention"),
}
# What the manager may say about the specimen instead of reading the results ("": tested).
SPECIMEN_CHOICES = ("", Outcome.dilute, Outcome.invalid, Outcome.refused, Outcome.missed)
# Nothing was collected: no method, no panel, no results.
NO_SPECIMEN = (Outcome.refused, Outcome.missed)
# Positives a lab can confirm or overturn.
LAB_POSITIVE = (Outcome.positive, Outcome.expected_positive)


def derive(results: list[str], specimen: str) -> str:
    """The screen's outcome, from its results unless the specimen was dilute, invalid,
    refused or missed: positive beats expected positive beats negative."""
    if specimen:
        return specimen
    if Outcome.positive in results:
        return Outcome.positive
    if Outcome.expected_positive in results:
        return Outcome.expected_positive
    return Outcome.negative
