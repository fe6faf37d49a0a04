"""arq jobs of this part; house/worker.py registers FUNCTIONS and CRONS."""

from __future__ import annotations

from typing import Any

from arq.worker import Function

FUNCTIONS: list[Function] = []


def crons() -> list[Any]:
    """Fresh cron entries (arq keeps each one's next run time on the object)."""
    return []
