"""Routes of this concept; app.py registers ROUTES."""

from __future__ import annotations

from typing import Any

from house.meetings import outside_views

ROUTES: list[Any] = [*outside_views.ROUTES]
