"""Rendering pages and partials, and reading forms.

One helper decides page or partial: an htmx request that is not boosted gets the partial.
Every page gets the signed-in user, the nav and the flash messages.
"""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import urlsplit

from jinja2 import pass_context
from jinja2.runtime import Context
from litestar import MediaType, Request
from litestar.datastructures import FormMultiDict
from litestar.plugins.htmx import HTMXRequest, HTMXTemplate
from litestar.response import Redirect, Template

from house.accounts.sessions import WebSession
from house.web.access import current_user
from house.web.security import request_id_of

FORM_ERROR_STATUS = 422
CONFLICT_STATUS = 409  # someone changed the record first: it is shown as it is now


def session_of(request: Request[Any, Any, Any]) -> WebSession:
    session = request.scope.get("house_session")
    if not isinstance(session, WebSession):
        # Routes outside the session middleware (none today) get a throwaway session.
        session = WebSession()
        request.scope["house_session"] = session  # type: ignore[typeddict-unknown-key]
    return session


def request_id(request: Request[Any, Any, Any]) -> str:
    return request_id_of(request.scope)


def is_htmx(request: Request[Any, Any, Any]) -> bool:
    """An htmx request (the app's request class is the htmx plugin's)."""
    return isinstance(request, HTMXRequest) and bool(request.htmx)


def is_partial(request: Request[Any, Any, Any]) -> bool:
    return is_htmx(request) and not cast(HTMXRequest, request).htmx.boosted


def page(
    request: Request[Any, Any, Any],
    template: str,
    *,
    partial: str | None = None,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
    re_target: str | None = None,
    re_swap: str | None = None,
    **context: Any,
) -> Template:
    """The full page, or for htmx the `partial` template that the page includes (swapped
    into `re_target` with `re_swap` when it is not the element that asked)."""
    name = partial if partial and is_partial(request) else template
    context.setdefault("user", current_user(request))
    context.setdefault("flashes", session_of(request).pop_flashes())
    # Explicit: a handler annotated `-> Any` would otherwise label the page as JSON.
    return HTMXTemplate(
        template_name=name,
        context=context,
        status_code=status_code,
        media_type=MediaType.HTML,
        headers=headers,
        re_target=re_target,
        re_swap=cast(Any, re_swap),
    )


def redirect(
    request: Request[Any, Any, Any], to: str, flash: str | None = None, *, kind: str = "info"
) -> Redirect:
    """Post/redirect/get, with an optional flash message (of `kind`) for the next page."""
    if flash:
        session_of(request).flash(flash, kind=kind)
    return Redirect(path=to, status_code=303)


async def read_form(request: Request[Any, Any, Any]) -> FormMultiDict:
    form: FormMultiDict = await request.form()
    return form


def address_in_bar(request: Request[Any, Any, Any]) -> str:
    """The address the browser shows (path and query): for htmx, the page that asked."""
    current = request.headers.get("hx-current-url") if is_htmx(request) else None
    parts = urlsplit(current) if current else None
    path, query = (parts.path, parts.query) if parts else (request.url.path, request.url.query)
    return path + (f"?{query}" if query else "")


@pass_context
def form_page_field(context: Context) -> str:
    """The page a form is on, for its `_page` field (templates/_macros/forms.html), so a
    form sent after sign-out can come back to it (house/web/kept.py)."""
    request = context.get("request")
    return address_in_bar(request) if isinstance(request, Request) else ""
