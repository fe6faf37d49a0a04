"""The one shape of a settings page's post for a house's columns (random screens here,
contingency management above): parse, save through the concept's save_settings (which
is houses.save_settings: versioned, a double submit stores nothing), answer through
web.forms.submit. A stale form comes back with the version now saved, so a second send
after reading the message goes through."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from litestar import Request, Response

from house.lib import clock
from house.lib.errors import DomainError
from house.lib.forms import FormResult
from house.web.access import require_user
from house.web.forms import Render, submit


class SaveSettings(Protocol):
    def __call__(
        self,
        *,
        actor_id: int,
        house_id: int,
        values: dict[str, Any],
        version: int,
        now: dt.datetime,
    ) -> Awaitable[bool]: ...


async def post_settings(
    request: Request[Any, Any, Any],
    house: dict[str, Any],
    form: FormResult,
    save: SaveSettings,
    render: Render,
    *,
    to: str,
    flash: Callable[[str], str | None],
) -> Response[Any]:
    """Save a parsed settings `form` of `house`, then go `to` with `flash`, or show it again."""
    user = require_user(request)

    async def change() -> str:
        await save(
            actor_id=user.id,
            house_id=house["id"],
            values=form.values,
            version=form.values["version"],
            now=clock.now(),
        )
        return to

    def reread(_: DomainError) -> None:
        form.typed["version"] = str(house["version"])

    return await submit(request, form, change, render, flash=flash, on_error=reread)
