"""Demo data (called by house/demo.py inside its one transaction)."""

from __future__ import annotations

import datetime as dt


async def load(house_ids: list[int], users: dict[str, int], now: dt.datetime) -> None:
    """`users` maps the demo emails (house/demo.py PEOPLE) to user ids."""
