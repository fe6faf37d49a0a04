"""The one way a form post is answered: parse, one change, then redirect or the form again.

A handler parses the fields (a concept's forms.py gives a FormResult), then hands this
module the change to make. Everything after that is the same for every form in house:

1. A form that carries a one-time token (`once=True`) without one is out of date: it comes
   back with a message at the top. A repeat of a token that already ran (a double tap) goes
   to the page the first one led to, and nothing is changed twice.
2. A form with errors is not sent to the change at all.
3. The change runs (one service call, returning the URL to show next). A DomainError it
   raises becomes the message next to its field (or at the top of the form).
4. Success: post/redirect/get with a flash. Anything else: the form again, status 422, with
   what the person typed.

Two helpers go with it: `Versioned` (a form that carries its record's version) and `tap` (a
one-tap check on a row of a list, which htmx answers with the row).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from litestar import Request, Response

from house.lib import clock
from house.lib.errors import DomainError, StaleEdit
from house.lib.forms import FormResult
from house.web.once import FIELD, new_form_token, once, token_from
from house.web.render import CONFLICT_STATUS, FORM_ERROR_STATUS, is_partial, redirect

OUT_OF_DATE = "This form is out of date. Check it and send it again."

Change = Callable[[], Awaitable[str]]
Render = Callable[[FormResult, int], Awaitable[Response[Any]]]


def fresh(typed: dict[str, Any] | None = None) -> FormResult:
    """A blank form for a GET: what to show, and a new one-time token."""
    return FormResult(typed={**(typed or {}), FIELD: new_form_token()})


async def submit(
    request: Request[Any, Any, Any],
    form: FormResult,
    change: Change,
    render: Render,
    *,
    flash: str | Callable[[str], str | None] | None = None,
    flash_kind: str = "info",
    data: Mapping[str, Any] | None = None,
    on_error: Callable[[DomainError], None] | None = None,
) -> Response[Any]:
    """Run `change` for a parsed `form` and answer (see the module's steps).

    Pass the raw `data` for a form with a one-time token. `flash` may be a function of the
    URL the change returned (for a message that names what was made); `flash_kind` lets a
    page show it somewhere other than the top. `on_error` sees a refused change before the
    form is shown again (to refresh a version, say)."""
    token: str | None = None
    if data is not None:
        token = token_from(data)
        form.typed[FIELD] = token or new_form_token()
        if token is None:
            form.errors.setdefault("form", OUT_OF_DATE)
    if form.ok:
        try:
            if token is not None:
                url, new = await once(token, change, clock.now())
            else:
                url, new = await change(), True
        except DomainError as exc:
            form.errors[exc.field or "form"] = exc.message
            if on_error is not None:
                on_error(exc)
        else:
            message = flash(url) if callable(flash) else flash
            return redirect(request, url, flash=message if new else None, kind=flash_kind)
    return await render(form, FORM_ERROR_STATUS)


class Versioned:
    """A record whose form carries the version its page showed (a correction, an edit).

    Hand `seen` to `submit` as `on_error`, and show the form again with `await
    shown(form)`: after a stale edit that is the record as it is now, and the form takes its
    version, so the next send goes through; after any other refusal, the record as it was.
    """

    def __init__(
        self, record: dict[str, Any], load: Callable[[], Awaitable[dict[str, Any]]]
    ) -> None:
        self.record = record
        self._load = load
        self._stale = False

    def seen(self, exc: DomainError) -> None:
        self._stale = self._stale or isinstance(exc, StaleEdit)

    async def shown(self, form: FormResult) -> dict[str, Any]:
        if self._stale:
            self.record = await self._load()
            form.typed["version"] = str(self.record["version"])
        return self.record


async def tap(
    request: Request[Any, Any, Any],
    form: FormResult,
    change: Callable[[], Awaitable[Any]],
    *,
    back: str,
    conflict: type[DomainError],
    flash: str | None = None,
) -> Response[Any] | int:
    """One tap on a row of a list (check a chore, excuse a selection), answered by the row.

    Without htmx: post/redirect/get to the list at `back` (a `conflict` flashed there), or,
    for a form with errors, the status to show the list with them. With htmx: the status to
    answer the row with: 200 done, 409 for a `conflict` (someone changed it first: its
    message at the top of the row), 422 for any other refusal (its message by its field).
    """
    if not form.ok:
        return FORM_ERROR_STATUS
    try:
        await change()
    except conflict as exc:
        if not is_partial(request):
            return redirect(request, back, flash=exc.message)
        form.errors["form"] = exc.message
        return CONFLICT_STATUS
    except DomainError as exc:
        form.errors[exc.field or "form"] = exc.message
        return FORM_ERROR_STATUS
    return redirect(request, back, flash=flash) if not is_partial(request) else 200
