"""The idle warning's two questions: how long is left, and "stay signed in".

A page with a form warns WARN_BEFORE the idle limit (static/session.js). It asks the server
first, because another tab may have kept the session going: `GET /session` reads the
session without touching it. "Stay signed in" is `POST /session/stay` (with CSRF), which
touches it like any request a person makes. A post to it after sign-out is never kept as a
form (house/web/kept.py).
"""

from __future__ import annotations

import math
from typing import Any

from litestar import Controller, Request, get, post

from house.accounts.sessions import idle_timeout
from house.lib import clock
from house.web.access import signed_in
from house.web.kept import NOT_KEPT
from house.web.render import session_of
from house.web.sessions import SESSION_PEEK

WARN_BEFORE_SECONDS = 120


def idle_limits() -> dict[str, int]:
    """The idle limit and when to warn before it, in seconds (for the page's warning)."""
    idle = int(idle_timeout().total_seconds())
    return {"idle": idle, "warn": min(WARN_BEFORE_SECONDS, idle // 2)}


def _left(request: Request[Any, Any, Any]) -> dict[str, int]:
    ends_at = session_of(request).ends_at
    seconds = (ends_at - clock.now()).total_seconds() if ends_at else 0
    return {"remaining": max(0, math.floor(seconds))}


class SessionController(Controller):
    path = "/session"
    guards = [signed_in]  # noqa: RUF012 - Litestar reads this class attribute

    @get("", name="accounts:session", opt={SESSION_PEEK: True})
    async def state(self, request: Request[Any, Any, Any]) -> dict[str, int]:
        return _left(request)

    @post("/stay", name="accounts:stay", opt={NOT_KEPT: True}, status_code=200)
    async def stay(self, request: Request[Any, Any, Any]) -> dict[str, int]:
        return _left(request)
