"""Emitting: alert specs, immediate alert events, and listeners of other concepts' changes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from house.events.tables import AlertEvent

Listener = Callable[[int, dt.datetime], Awaitable[None]]
_listeners: dict[str, list[Listener]] = {}


@dataclass(frozen=True)
class AlertSpec:
    """One alert a rule wants raised; `key` (rule, subject, period) makes it unique."""

    key: str
    kind: str
    severity: str
    house_id: int
    resident_id: int | None
    record: str
    summary: str
    to: tuple[str, ...]


async def record_event(kind: str, record: str, house_id: int, now: dt.datetime) -> None:
    """The outbox row of an immediate alert rule; call it inside the change's transaction."""
    await AlertEvent.insert(AlertEvent(kind=kind, record=record, house=house_id, created_at=now))


def listen(name: str, listener: Listener) -> None:
    """Have `listener(record_id, now)` run whenever `name` is emitted (once per listener)."""
    listeners = _listeners.setdefault(name, [])
    if listener not in listeners:
        listeners.append(listener)


async def emit(name: str, record_id: int, now: dt.datetime) -> None:
    """Run the listeners of `name` in the caller's transaction (a failure rolls it all back).

    A name nobody listens to is a wiring mistake (house.registry.install() not called in
    this process), not something to skip quietly: it raises."""
    listeners = _listeners.get(name)
    if not listeners:
        raise RuntimeError(f"Nothing listens to {name!r}: call house.registry.install() first")
    for listener in listeners:
        await listener(record_id, now)
