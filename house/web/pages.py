"""The app's pages: which addresses answer GET, and the nearest one to any address."""

from __future__ import annotations

import re

from litestar import Litestar

PARAMETER = re.compile(r"\{\w+:(\w+)\}")
PARAMETER_PATTERNS = {"int": r"\d+", "path": r".*"}


def _page_patterns(app: Litestar) -> list[re.Pattern[str]]:
    """The addresses that answer GET, as patterns (made once per app, kept in its state)."""
    if "page_patterns" not in app.state:
        patterns = []
        for route in app.routes:
            if "GET" not in route.methods or route.path.startswith("/static"):
                continue
            segments = [
                PARAMETER_PATTERNS.get(m.group(1), r"[^/]+")
                if (m := PARAMETER.fullmatch(segment))
                else re.escape(segment)
                for segment in route.path.split("/")
            ]
            patterns.append(re.compile("/".join(segments) or "/"))
        app.state.page_patterns = patterns
    result: list[re.Pattern[str]] = app.state.page_patterns
    return result


def nearest_page(app: Litestar, path: str) -> str:
    """The closest address above `path` that shows a page: where a reload of a form's
    answer (a POST-only address) should send the person."""
    parts = path.rstrip("/").split("/")
    while len(parts) > 1:
        parts.pop()
        candidate = "/".join(parts) or "/"
        if is_page(app, candidate):
            return candidate
    return "/"


def is_page(app: Litestar, path: str) -> bool:
    """Whether `path` (without its query) is an address that answers GET."""
    return any(p.fullmatch(path) for p in _page_patterns(app))
