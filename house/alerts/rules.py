"""Running the alert rules the concepts wrote (house/<concept>/alerts.py, listed in
house.registry.ALERT_RULES and handed over by `use`): the engine imports no concept.

No rule queries per resident: the number of queries of a sweep does not grow with the data.
House-local times (cut-offs, weeks, days) are worked out in Python from each house's
timezone, so one query serves every house.

Immediate rules (`screen`, `appeal`) run from AlertEvent rows (`from_events`); the others
run in the sweep (`time_based`). Thresholds are house settings (`House.alert_*`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from house.events.alerts import AlertRule
from house.events.services import AlertSpec
from house.houses import alerts as houses

_rules: list[AlertRule] = []


def use(rules: Iterable[AlertRule]) -> None:
    """The rules every sweep and every event runs (house.registry.install calls this)."""
    _rules[:] = list(rules)


def _installed() -> list[AlertRule]:
    if not _rules:
        raise RuntimeError("No alert rules: call house.registry.install() first")
    return _rules


async def from_events(events: list[tuple[str, str]]) -> list[AlertSpec]:
    """The specs of claimed events (kind, record "kind:id"): one query per kind, not per
    event."""
    rules = {rule.event: rule for rule in _installed() if rule.event}
    ids: dict[str, list[int]] = {kind: [] for kind in rules}
    for kind, record in events:
        prefix, _, raw_id = record.partition(":")
        if kind in ids and prefix == kind and raw_id.isdigit():
            ids[kind].append(int(raw_id))
    specs: list[AlertSpec] = []
    for kind, record_ids in ids.items():
        run = rules[kind].on_events
        if record_ids and run is not None:
            specs += await run(record_ids)
    return specs


async def time_based(now: dt.datetime) -> list[AlertSpec]:
    """Every sweep rule, in a fixed number of queries."""
    by_house = await houses.settings()
    if not by_house:
        return []
    specs: list[AlertSpec] = []
    for rule in _installed():
        if rule.sweep is not None:
            specs += await rule.sweep(now, by_house)
    return specs
