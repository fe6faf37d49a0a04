"""Random screen selection for staff: the house's past draws and "draw today's list now",
one draw as it came out (and whether it redraws the same), excusing a selected resident,
and the house's settings. Residents never reach any of it (staff only: a 403)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Template

from house.houses.access import get_house_for_user, get_rw_house_for_user
from house.lib import clock
from house.lib.dates import house_today, parse_date
from house.lib.errors import DomainError, NotFound
from house.lib.forms import FormResult
from house.screens.random import queries, services
from house.screens.random.access import get_draw_for_user, get_rw_selection_for_user
from house.screens.random.draw import WHY_CAP, WHY_SCREENED
from house.screens.random.forms import (
    RATE_KIND_LABELS,
    parse_excuse,
    parse_settings,
    settings_typed,
)
from house.screens.settings_form import post_settings
from house.web.access import require_user, staff_only
from house.web.forms import tap
from house.web.render import is_partial, page, read_form, redirect

WHY_LABELS = {
    WHY_CAP: "reached the weekly cap",
    WHY_SCREENED: "screened within the exclusion window",
}


class HouseDrawsController(Controller):
    path = "/houses/{house_id:int}/draws"
    guards = [staff_only]  # noqa: RUF012 - Litestar reads this class attribute

    @get("", name="random:list")
    async def draws(self, request: Request[Any, Any, Any], house_id: FromPath[int]) -> Template:
        house = await get_house_for_user(require_user(request), house_id)
        today = house_today(clock.now(), house["timezone"])
        raw = request.query_params.get("before")
        before = parse_date(raw[:20]) if raw else None
        draws = await queries.draws_of(house_id, before=before)
        return page(
            request,
            "screens/random/list.html",
            house=house,
            today=today,
            draws=draws,
            before=before,
            bad_before=bool(raw) and before is None,
            today_draw=await services.draw_id_on(house_id, today),
            older=draws[-1]["day"] if len(draws) == queries.PAGE_SIZE else None,
            kinds=RATE_KIND_LABELS,
        )

    @post("", name="random:draw")
    async def draw_now(self, request: Request[Any, Any, Any], house_id: FromPath[int]) -> Any:
        user = require_user(request)
        house = await get_rw_house_for_user(user, house_id)
        now = clock.now()
        today = house_today(now, house["timezone"])
        try:
            drawn = await services.draw_for_day(house_id=house_id, day=today, now=now, by=user.id)
        except DomainError as exc:
            return redirect(request, f"/houses/{house_id}/draws", flash=exc.message)
        flash = (
            "Today's list is drawn."
            if drawn.created
            else "Today's list was drawn already: here it is (a day has one list)."
        )
        return redirect(request, f"/draws/{drawn.draw_id}", flash=flash)

    @get("/settings", name="random:settings")
    async def settings(self, request: Request[Any, Any, Any], house_id: FromPath[int]) -> Template:
        house = await get_house_for_user(require_user(request), house_id)
        form = FormResult(typed=settings_typed(house))
        return self._settings_page(request, house, form, 200)

    @post("/settings", name="random:save_settings")
    async def save_settings(self, request: Request[Any, Any, Any], house_id: FromPath[int]) -> Any:
        house = await get_rw_house_for_user(require_user(request), house_id)
        form = parse_settings(await read_form(request))

        async def again(form: FormResult, status: int) -> Template:
            return self._settings_page(request, house, form, status)

        def saved(_: str) -> str:
            state = "on" if form.values["random_enabled"] else "off"
            return f"Settings saved. Random screens are {state}."

        to = f"/houses/{house_id}/draws"
        return await post_settings(
            request, house, form, services.save_settings, again, to=to, flash=saved
        )

    def _settings_page(
        self, request: Request[Any, Any, Any], house: dict[str, Any], form: FormResult, status: int
    ) -> Template:
        return page(
            request,
            "screens/random/settings.html",
            status_code=status,
            house=house,
            form=form,
            kinds=RATE_KIND_LABELS,
        )


class DrawController(Controller):
    path = "/draws/{draw_id:int}"
    guards = [staff_only]  # noqa: RUF012 - Litestar reads this class attribute

    @get("", name="random:draw_detail")
    async def detail(self, request: Request[Any, Any, Any], draw_id: FromPath[int]) -> Template:
        user = require_user(request)
        draw = await get_draw_for_user(user, draw_id)
        house = await get_house_for_user(user, draw["house"])
        return await draw_page(request, house, draw)


async def draw_page(
    request: Request[Any, Any, Any],
    house: dict[str, Any],
    draw: dict[str, Any],
    *,
    failed: dict[str, Any] | None = None,
    status: int = 200,
) -> Template:
    return page(
        request,
        "screens/random/draw.html",
        status_code=status,
        house=house,
        draw=draw,
        today=house_today(clock.now(), house["timezone"]),
        why_labels=WHY_LABELS,
        failed=failed or {},
    )


class SelectionController(Controller):
    """Excusing a selected resident. With htmx the row answers (one partial per row);
    without, post/redirect/get back to the draw."""

    path = "/draw-selections/{selection_id:int}"
    guards = [staff_only]  # noqa: RUF012 - Litestar reads this class attribute

    # web.forms.tap, not submit: with htmx a refused excuse answers the row with 409 (the
    # list changed under the manager), and without htmx it goes back to the draw with a flash.
    @post("/excuse", name="random:excuse")
    async def excuse(self, request: Request[Any, Any, Any], selection_id: FromPath[int]) -> Any:
        user = require_user(request)
        row = await get_rw_selection_for_user(user, selection_id)
        house = await get_house_for_user(user, row["house"])
        form = parse_excuse(await read_form(request))

        async def excuse() -> None:
            try:
                await services.excuse(
                    actor_id=user.id,
                    selection_id=selection_id,
                    reason=form.values["reason"],
                    now=clock.now(),
                )
            except NotFound:
                raise NotFoundException() from None

        back = f"/draws/{row['draw']}"
        status = await tap(request, form, excuse, back=back, conflict=DomainError, flash="Excused.")
        if not isinstance(status, int):
            return status
        draw = await get_draw_for_user(user, row["draw"])
        failed = {"id": selection_id, "errors": form.errors, "typed": form.typed}
        if is_partial(request):
            fresh = next(s for s in draw["selections"] if s["id"] == selection_id)
            return page(
                request,
                "screens/random/partials/selection.html",
                status_code=status,
                s=fresh,
                house=house,
                draw=draw,
                today=house_today(clock.now(), house["timezone"]),
                failed=failed if form.errors else {},
            )
        return await draw_page(request, house, draw, failed=failed, status=status)


ROUTES: list[Any] = [HouseDrawsController, DrawController, SelectionController]
