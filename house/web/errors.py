"""Error pages that look like the app; nothing of the exception reaches the person."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException
from litestar.response import Redirect, Template

from house.web.access import current_user

log = logging.getLogger("house.errors")

TITLES = {
    400: "That request did not make sense",
    403: "You cannot open this page",
    404: "Page not found",
    405: "That is not how this page works",
    413: "That was too much to send",
    429: "Too many requests",
    500: "Something went wrong on our side",
}


def _error_page(request: Request[Any, Any, Any], status: int, message: str = "") -> Template:
    return Template(
        template_name="errors/error.html",
        context={
            "user": current_user(request),
            "flashes": [],
            "status": status,
            "title": TITLES.get(status, "Something went wrong"),
            "message": message,
        },
        status_code=status,
        media_type=MediaType.HTML,
    )


def handle_http_error(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    status = exc.status_code
    if status == 401:
        target = "/login?next=" + quote(request.url.path, safe="/")
        if request.headers.get("hx-request"):
            return Response(content="", status_code=401, headers={"HX-Redirect": target})
        return Redirect(path=target, status_code=303)
    message = ""
    if status == 403:
        message = (
            "Your form expired. Go back, reload the page and try again."
            if "CSRF" in str(exc.detail)
            else str(exc.detail)
        )
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
