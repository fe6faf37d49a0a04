"""What every concept's alert rules share: the rule record the engine runs, the audiences a
spec names, and a resident's name in a summary.

A concept's `alerts.py` holds its rules and their wording; house.registry lists them all in
ALERT_RULES and hands that list to the alert engine, which imports no concept.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from house.events.services import AlertSpec

# Who a spec goes to (the engine turns them into people).
MANAGERS = ("managers",)
ADMINS = ("admins",)
MANAGERS_AND_RESIDENT = ("managers", "resident")
RESIDENT = ("resident",)  # the resident alone: nobody else is told

Houses = dict[int, dict[str, Any]]
"""Every house by id: its timezone, outside_meetings_required and alert_* settings."""
SweepRule = Callable[[dt.datetime, Houses], Awaitable[list[AlertSpec]]]
EventRule = Callable[[list[int]], Awaitable[list[AlertSpec]]]


@dataclass(frozen=True)
class AlertRule:
    """One rule. With `event` empty it runs in every sweep as `sweep(now, houses)`; with
    `event` set ("screen") it runs on the claimed events of that kind as
    `on_events(record ids)`. Each runs a fixed number of queries, whatever the data."""

    name: str
    sweep: SweepRule | None = None
    event: str = ""
    on_events: EventRule | None = None


def name_of(row: dict[str, Any], prefix: str = "resident") -> str:
    return str(row.get(f"{prefix}_name") or "A resident")


def quoted(text: str, limit: int = 110) -> str:
    """What staff wrote, quoted in a summary, cut (with an ellipsis) to leave room for the
    rest: the record the alert links to shows it whole."""
    text = " ".join(text.split())
    return f"“{text if len(text) <= limit else text[: limit - 1].rstrip() + '…'}”"


def alert_spec(
    kind: str,
    row: Mapping[str, Any],
    record: str,
    summary: str,
    to: tuple[str, ...],
    *,
    about: str = "",
    severity: str = "attention",
) -> AlertSpec:
    """The spec of rule `kind` for the row's `house` and `resident` (None for none), about
    `record` ("screen:17"). Its key is `kind:about`, `about` defaulting to the record;
    keys never change (a new key would raise an old alert again)."""
    return AlertSpec(
        key=f"{kind}:{about or record}",
        kind=kind,
        severity=severity,
        house_id=int(row["house"]),
        resident_id=None if row.get("resident") is None else int(row["resident"]),
        record=record,
        summary=summary,
        to=to,
    )
