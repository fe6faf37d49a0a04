"""Routes of this concept; app.py registers ROUTES."""

from __future__ import annotations

from typing import Any

from house.screens import random_views

ROUTES: list[Any] = [*random_views.ROUTES]
