"""Routes of this concept; app.py registers ROUTES."""

from __future__ import annotations

from typing import Any

ROUTES: list[Any] = []
