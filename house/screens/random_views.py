"""Routes for random selection; screens/views.py adds ROUTES to the screens routes."""

from __future__ import annotations

from typing import Any

ROUTES: list[Any] = []
