"""Error pages that look like the app; nothing of the exception reaches the person."""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import quote

from litestar import Litestar, MediaType, Request, Response
from litestar.exceptions import HTTPException
from litestar.plugins.htmx import ClientRedirect
from litestar.response import Redirect, Template

from house.web.access import current_user
from house.web.render import is_htmx

log = logging.getLogger("house.errors")

TITLES = {
    400: "That request did not make sense",
    403: "You cannot open this page",
    404: "Page not found",
    405: "Nothing to show here",
    413: "That was too much to send",
    429: "Too many requests",
    500: "Something went wrong on our side",
}


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
    patterns = _page_patterns(app)
    parts = path.rstrip("/").split("/")
    while len(parts) > 1:
        parts.pop()
        candidate = "/".join(parts) or "/"
        if any(p.fullmatch(candidate) for p in patterns):
            return candidate
    return "/"


def _error_page(
    request: Request[Any, Any, Any], status: int, message: str = "", back_to: str = ""
) -> Template:
    return Template(
        template_name="errors/error.html",
        context={
            "user": current_user(request),
            "flashes": [],
            "status": status,
            "title": TITLES.get(status, "Something went wrong"),
            "message": message,
            "back_to": back_to,
        },
        status_code=status,
        media_type=MediaType.HTML,
    )


def handle_http_error(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    status = exc.status_code
    if status == 401:
        # The query too: a link from an email (a week's summary) lands where it pointed.
        where = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        target = "/login?next=" + quote(where, safe="/")
        if is_htmx(request):
            # htmx follows HX-Redirect whatever the status; 401 keeps the refusal honest.
            response = ClientRedirect(target)
            response.status_code = 401
            return response
        return Redirect(path=target, status_code=303)
    message = ""
    if status == 403:
        message = (
            "Your form expired. Go back, reload the page and try again."
            if "CSRF" in str(exc.detail)
            else str(exc.detail)
        )
    if status == 405 and request.method == "GET":
        # A reload after sending a form, or an address copied from the bar.
        message = "This address only saves a form: it opens like this after a reload."
        return _error_page(request, status, message, nearest_page(request.app, request.url.path))
    return _error_page(request, status, message)


def handle_server_error(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    # The log names the error type and the request id, never the data involved.
    log.error(
        "unhandled %s on %s %s (request %s)",
        type(exc).__name__,
        request.method,
        request.url.path,
        request.scope.get("request_id", ""),
        exc_info=exc,
    )
    return _error_page(request, 500)
