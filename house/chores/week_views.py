"""The week's chore rotation for staff: the grid, making (or regenerating) it, and swapping
two assignments; views.py adds ROUTES to the chores routes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Template

from house.accounts.sessions import CurrentUser
from house.chores import assignments, services, weeks
from house.chores.forms import DAY_NAMES, parse_swap, parse_week
from house.houses.access import get_house_for_user, get_rw_house_for_user
from house.lib import clock
from house.lib.dates import house_today, parse_date, week_start
from house.lib.errors import DomainError, NotFound
from house.lib.forms import FormResult
from house.web.access import require_user, staff_only
from house.web.forms import submit
from house.web.render import page, read_form


def day_arg(raw: str | None, today: dt.date) -> tuple[dt.date, str]:
    """A `?day=` / `?week=` value, or today with a note saying why."""
    if not raw:
        return today, ""
    value = parse_date(raw[:20])
    if value is None:
        return today, "That is not a date: showing today."
    return value, ""


def unnamed_to(form: FormResult, field: str) -> Callable[[DomainError], None]:
    """An `on_error` for `submit`: a refusal that names no field goes next to `field`."""

    def move(exc: DomainError) -> None:
        if exc.field is None:
            form.errors[field] = form.errors.pop("form")

    return move


async def _house_now(
    request: Request[Any, Any, Any], house_id: int
) -> tuple[CurrentUser, dict[str, Any], dt.datetime, dt.date]:
    """Who asks, the house to change (404 unless theirs, 403 if they may only read), now,
    and today in the house."""
    user = require_user(request)
    house = await get_rw_house_for_user(user, house_id)
    now = clock.now()
    return user, house, now, house_today(now, house["timezone"])


class WeekController(Controller):
    path = "/houses/{house_id:int}/chores"
    guards = [staff_only]  # noqa: RUF012 - Litestar reads this class attribute

    @get("/week", name="chores:week")
    async def week(self, request: Request[Any, Any, Any], house_id: FromPath[int]) -> Template:
        house = await get_house_for_user(require_user(request), house_id)
        today = house_today(clock.now(), house["timezone"])
        chosen, note = day_arg(request.query_params.get("week"), today)
        return await week_page(request, house, week_start(chosen), today, note=note)

    @post("/week", name="chores:make")
    async def make(self, request: Request[Any, Any, Any], house_id: FromPath[int]) -> Any:
        user, house, now, today = await _house_now(request, house_id)
        form = parse_week(await read_form(request))
        made: list[weeks.Made] = []

        async def make() -> str:
            week = week_start(form.values["week"])
            made.append(
                await weeks.generate_rotation(
                    house_id=house_id,
                    week_start=week,
                    today=today,
                    now=now,
                    actor_id=user.id,
                    regenerate=form.values["regenerate"],
                )
            )
            return f"/houses/{house_id}/chores/week?week={week}"

        async def again(form: FormResult, status: int) -> Template:
            week = week_start(form.values["week"] or today)
            return await week_page(request, house, week, today, form=form, status=status)

        return await submit(
            request,
            form,
            make,
            again,
            flash=lambda _: _made(made[0]),
            on_error=unnamed_to(form, "week"),
        )

    @post("/swap", name="chores:swap")
    async def swap(self, request: Request[Any, Any, Any], house_id: FromPath[int]) -> Any:
        user, house, now, today = await _house_now(request, house_id)
        form = parse_swap(await read_form(request))

        async def swap() -> str:
            try:
                await assignments.swap(
                    actor_id=user.id,
                    house_id=house_id,
                    first=form.values["first"],
                    second=form.values["second"],
                    today=today,
                    now=now,
                )
            except NotFound:
                raise NotFoundException() from None
            return f"/houses/{house_id}/chores/week?week={week_start(form.values['week'] or today)}"

        async def again(form: FormResult, status: int) -> Template:
            week = week_start(form.values.get("week") or today)
            return await week_page(request, house, week, today, swap_form=form, status=status)

        return await submit(
            request, form, swap, again, flash="Swapped.", on_error=unnamed_to(form, "second")
        )


def _made(made: weeks.Made) -> str:
    if not made.created and not made.assignments:
        return "This week's rotation was already made."
    text = f"Rotation made: {made.assignments} chores given out."
    if made.unfilled:
        text += f" {len(made.unfilled)} had nobody in the house that day."
    return text


async def week_page(
    request: Request[Any, Any, Any],
    house: dict[str, Any],
    week: dt.date,
    today: dt.date,
    *,
    note: str = "",
    form: FormResult | None = None,
    swap_form: FormResult | None = None,
    status: int = 200,
) -> Template:
    grid = await services.week_grid(house["id"], week)
    swappable = [r for r in grid["rows"] if r["status"] == "pending" and r["day"] >= today]
    return page(
        request,
        "chores/week.html",
        status_code=status,
        house=house,
        week=week,
        today=today,
        note=note,
        week_over=services.week_end(week) < today,
        form=form or FormResult(),
        swap_form=swap_form or FormResult(),
        swappable=swappable,
        prev_week=week - dt.timedelta(weeks=1),
        next_week=week + dt.timedelta(weeks=1),
        day_names=DAY_NAMES,
        **grid,
    )


ROUTES: list[Any] = [WeekController]
