"""Error pages that look like the app; nothing of the exception reaches the person."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException
from litestar.plugins.htmx import ClientRedirect
from litestar.response import Redirect, Template

from house.web.access import current_user
from house.web.kept import KEEP_FOR, kept_cookie_name
from house.web.pages import nearest_page
from house.web.render import is_htmx
from house.web.sessions import SESSION_PEEK, browser_cookie

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
        return _to_sign_in(request)
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


def _to_sign_in(request: Request[Any, Any, Any]) -> Response[Any]:
    """Sign in first, then back where the person was: the page (a GET's own address, with
    its query: a link from an email lands where it pointed) or, for a form sent while
    signed out, the form's page (house/web/kept.py kept the form if it could)."""
    if is_htmx(request) and request.method == "GET" and request.route_handler.opt.get(SESSION_PEEK):
        # A background poll (the bell): nothing to update, and no leaving the page.
        return Response(content=b"", status_code=204)
    where = str(request.scope.get("house_form_page") or "") or (
        request.url.path + (f"?{request.url.query}" if request.url.query else "")
    )
    target = "/login?next=" + quote(where, safe="/")
    response: Response[Any]
    if is_htmx(request):
        # htmx follows HX-Redirect whatever the status; 401 keeps the refusal honest.
        response = ClientRedirect(target)
        response.status_code = 401
    else:
        response = Redirect(path=target, status_code=303)
    token = request.scope.get("house_kept_token")
    if isinstance(token, str):
        age = int(KEEP_FOR.total_seconds())
        response.cookies.append(browser_cookie(kept_cookie_name(), token, age))
    return response


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
