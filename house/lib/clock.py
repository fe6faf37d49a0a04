"""The one source of "now".

Code reads `now()` once per operation and passes the value down. Tests freeze or move the
clock with `frozen_at` / `advance`, which the web app and worker in the same process see too.
"""

from __future__ import annotations

import datetime as dt

_frozen: dt.datetime | None = None


def now() -> dt.datetime:
    """The current time, timezone-aware UTC."""
    return _frozen if _frozen is not None else dt.datetime.now(dt.UTC)


def freeze(at: dt.datetime | None) -> None:
    """Pin the clock at `at` (aware), or release it with None."""
    global _frozen
    if at is not None and at.tzinfo is None:
        raise ValueError("freeze() needs an aware datetime")
    _frozen = at


def advance(delta: dt.timedelta) -> dt.datetime:
    """Move a frozen clock forward; returns the new time."""
    if _frozen is None:
        raise RuntimeError("advance() needs a frozen clock")
    freeze(_frozen + delta)
    return now()
