"""Routes of this concept; app.py registers ROUTES.

Chores for staff: the house's chores (add, change, leave out of new rotations) and the
day's list. The list's one-tap checks and the residents' pages are in assignment_views.py;
the week's rotation (make, regenerate, swap) in week_views.py."""

from __future__ import annotations

from functools import partial
from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Template

from house.chores import assignment_views, services, week_views
from house.chores.access import get_chore_for_user, get_rw_chore_for_user
from house.chores.forms import DAY_NAMES, FREQUENCY_LABELS, WEIGHT_LABELS, parse_chore
from house.houses.access import get_house_for_user, get_rw_house_for_user
from house.lib import clock
from house.lib.forms import FormResult
from house.web.access import require_user, staff_only
from house.web.forms import fresh, submit
from house.web.render import page, read_form, redirect

CHOICES: dict[str, Any] = {
    "frequencies": FREQUENCY_LABELS,
    "day_names": DAY_NAMES,
    "weights": WEIGHT_LABELS,
}


def _chore_typed(chore: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": chore["name"],
        "area": chore["area"],
        "instructions": chore["instructions"],
        "frequency": chore["frequency"],
        "weekdays": [d for d in chore["weekdays"].split(",") if d],
        "weight": str(chore["weight"]),
    }


class HouseChoresController(Controller):
    path = "/houses/{house_id:int}/chores"
    guards = [staff_only]  # noqa: RUF012 - Litestar reads this class attribute

    async def _list(
        self, request: Request[Any, Any, Any], house: dict[str, Any], form: FormResult, status: int
    ) -> Template:
        return page(
            request,
            "chores/list.html",
            status_code=status,
            house=house,
            chores=await services.chores_of(house["id"]),
            form=form,
            **CHOICES,
        )

    @get("", name="chores:list")
    async def chores(self, request: Request[Any, Any, Any], house_id: FromPath[int]) -> Template:
        house = await get_house_for_user(require_user(request), house_id)
        return await self._list(request, house, fresh({"frequency": "daily", "weight": "1"}), 200)

    @post("", name="chores:add")
    async def add(self, request: Request[Any, Any, Any], house_id: FromPath[int]) -> Any:
        user = require_user(request)
        house = await get_rw_house_for_user(user, house_id)
        data = await read_form(request)
        form = parse_chore(data, data.getall("weekdays", []))

        async def add() -> str:
            await services.add_chore(
                actor_id=user.id, house_id=house_id, values=form.values, now=clock.now()
            )
            return f"/houses/{house_id}/chores"

        flash = f"Added “{form.values.get('name')}”."
        again = partial(self._list, request, house)
        return await submit(request, form, add, again, flash=flash, data=data)

    @get("/day", name="chores:day")
    async def day(self, request: Request[Any, Any, Any], house_id: FromPath[int]) -> Template:
        house = await get_house_for_user(require_user(request), house_id)
        return await assignment_views.day_page(request, house, request.query_params.get("day"))

    @get("/{chore_id:int}", name="chores:edit")
    async def edit(
        self, request: Request[Any, Any, Any], house_id: FromPath[int], chore_id: FromPath[int]
    ) -> Template:
        user = require_user(request)
        house = await get_house_for_user(user, house_id)
        chore = await get_chore_for_user(user, house_id, chore_id)
        return await self._edit(request, house, chore, FormResult(typed=_chore_typed(chore)), 200)

    async def _edit(
        self,
        request: Request[Any, Any, Any],
        house: dict[str, Any],
        chore: dict[str, Any],
        form: FormResult,
        status: int,
    ) -> Template:
        return page(
            request,
            "chores/edit.html",
            status_code=status,
            house=house,
            chore=chore,
            form=form,
            **CHOICES,
        )

    @post("/{chore_id:int}", name="chores:update")
    async def update(
        self, request: Request[Any, Any, Any], house_id: FromPath[int], chore_id: FromPath[int]
    ) -> Any:
        user = require_user(request)
        house = await get_house_for_user(user, house_id)
        chore = await get_rw_chore_for_user(user, house_id, chore_id)
        data = await read_form(request)
        form = parse_chore(data, data.getall("weekdays", []))

        async def save() -> str:
            await services.update_chore(
                actor_id=user.id,
                house_id=house_id,
                chore_id=chore_id,
                values=form.values,
                now=clock.now(),
            )
            return f"/houses/{house_id}/chores"

        again = partial(self._edit, request, house, chore)
        return await submit(request, form, save, again, flash="Saved.")

    @post("/{chore_id:int}/deactivate", name="chores:deactivate")
    async def deactivate(
        self, request: Request[Any, Any, Any], house_id: FromPath[int], chore_id: FromPath[int]
    ) -> Any:
        return await self._set_active(request, house_id, chore_id, active=False)

    @post("/{chore_id:int}/activate", name="chores:activate")
    async def activate(
        self, request: Request[Any, Any, Any], house_id: FromPath[int], chore_id: FromPath[int]
    ) -> Any:
        return await self._set_active(request, house_id, chore_id, active=True)

    async def _set_active(
        self, request: Request[Any, Any, Any], house_id: int, chore_id: int, *, active: bool
    ) -> Any:
        user = require_user(request)
        await get_house_for_user(user, house_id)
        chore = await get_rw_chore_for_user(user, house_id, chore_id)
        await services.set_chore_active(
            actor_id=user.id, house_id=house_id, chore_id=chore_id, active=active, now=clock.now()
        )
        state = "back in the rotation" if active else "left out of new rotations"
        return redirect(request, f"/houses/{house_id}/chores", flash=f"“{chore['name']}” {state}.")


ROUTES: list[Any] = [
    HouseChoresController,
    *week_views.ROUTES,
    *assignment_views.ROUTES,
]
