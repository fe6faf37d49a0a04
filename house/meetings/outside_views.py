"""Routes for outside recovery meetings; views.py adds ROUTES to the meetings routes."""

from __future__ import annotations

from typing import Any

ROUTES: list[Any] = []
