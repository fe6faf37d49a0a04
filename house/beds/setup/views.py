"""Houses and their rooms and beds: the overview of beds across houses (staff), and the
admin's set-up (a new house; a house's page with its details form, its rooms and beds,
adding a room or a bed). Every form here shows its page again on an error."""

from __future__ import annotations

from functools import partial
from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from house.beds import services as beds
from house.beds.access import get_rw_room_for_user
from house.beds.forms import parse_label
from house.houses import services as houses
from house.houses.access import get_house_for_user, get_rw_house_for_user
from house.houses.forms import (
    CHOICES,
    KIND_LABELS,
    new_house_typed,
    parse_house,
    timezone_choices,
    typed_from,
)
from house.lib import clock
from house.lib.forms import FormResult
from house.settings import get_settings
from house.web.access import admin_only, require_user, staff_only
from house.web.forms import Versioned, submit
from house.web.render import page, read_form


async def _setup_page(
    request: Request[Any, Any, Any],
    house: dict[str, Any],
    *,
    status_code: int = 200,
    form: FormResult | None = None,
    room_form: FormResult | None = None,
    bed_form: FormResult | None = None,
    bed_room: int | None = None,
) -> Template:
    """The house's set-up page: its details form and its rooms and beds."""
    data = await beds.board(house["id"])
    return page(
        request,
        "houses/form.html",
        status_code=status_code,
        form=form or FormResult(typed=typed_from(house, houses.FIELDS)),
        house=house,
        rooms=data["rooms"],
        room_form=room_form or FormResult(),
        bed_form=bed_form,
        bed_room=bed_room,
        **CHOICES,
        **timezone_choices(house["timezone"], saved=house["timezone"]),
    )


async def _new_page(
    request: Request[Any, Any, Any], form: FormResult, status_code: int = 200
) -> Template:
    """The form for a new house (its rooms come after, on its set-up page)."""
    return page(
        request,
        "houses/form.html",
        status_code=status_code,
        form=form,
        house=None,
        **CHOICES,
        **timezone_choices(get_settings().default_timezone),
    )


class HouseController(Controller):
    path = "/houses"

    @get("", guards=[staff_only], name="houses:list")
    async def houses(
        self, request: Request[Any, Any, Any], kind: FromQuery[str | None] = None
    ) -> Template:
        """Beds by state across the houses the user works in (of one kind if chosen)."""
        chosen = kind if kind in KIND_LABELS else None
        houses = await beds.overview(require_user(request), chosen)
        return page(
            request,
            "houses/list.html",
            houses=houses,
            totals=beds.overview_totals(houses),
            kind=chosen,
            kind_labels=KIND_LABELS,
        )

    @get("/new", guards=[admin_only], name="houses:new")
    async def new_house(self, request: Request[Any, Any, Any]) -> Template:
        typed = new_house_typed(get_settings().default_timezone)
        return await _new_page(request, FormResult(typed=typed))

    @post("", guards=[admin_only], name="houses:create")
    async def create_house(self, request: Request[Any, Any, Any]) -> Any:
        user = require_user(request)
        form = parse_house(await read_form(request), with_version=False)

        async def change() -> str:
            house_id = await houses.create_house(
                actor_id=user.id, values=form.values, now=clock.now()
            )
            return f"/houses/{house_id}/edit"

        again = partial(_new_page, request)
        return await submit(request, form, change, again, flash="House created. Add its rooms.")

    @get("/{house_id:int}/edit", guards=[admin_only], name="houses:edit")
    async def edit_house(
        self, request: Request[Any, Any, Any], house_id: FromPath[int]
    ) -> Template:
        house = await get_house_for_user(require_user(request), house_id)
        return await _setup_page(request, house)

    @post("/{house_id:int}", guards=[admin_only], name="houses:update")
    async def update_house(self, request: Request[Any, Any, Any], house_id: FromPath[int]) -> Any:
        user = require_user(request)
        house = await get_rw_house_for_user(user, house_id)
        form = parse_house(
            await read_form(request), with_version=True, saved_timezone=house["timezone"]
        )
        record = Versioned(house, partial(get_house_for_user, user, house_id))

        async def change() -> str:
            await houses.update_house(
                actor_id=user.id,
                house_id=house_id,
                values=form.values,
                version=form.values["version"],
                now=clock.now(),
            )
            return f"/houses/{house_id}/edit"

        async def render(form: FormResult, status: int) -> Template:
            return await _setup_page(
                request, await record.shown(form), status_code=status, form=form
            )

        return await submit(request, form, change, render, flash="Saved.", on_error=record.seen)

    @post("/{house_id:int}/rooms", guards=[admin_only], name="houses:add_room")
    async def add_room(self, request: Request[Any, Any, Any], house_id: FromPath[int]) -> Any:
        user = require_user(request)
        house = await get_rw_house_for_user(user, house_id)
        form = parse_label(await read_form(request), "room")

        async def change() -> str:
            await beds.add_room(
                actor_id=user.id, house_id=house_id, label=form.values["label"], now=clock.now()
            )
            return f"/houses/{house_id}/edit"

        async def render(form: FormResult, status: int) -> Template:
            return await _setup_page(request, house, status_code=status, room_form=form)

        return await submit(request, form, change, render, flash="Room added.")


class RoomController(Controller):
    @post("/rooms/{room_id:int}/beds", guards=[admin_only], name="houses:add_bed")
    async def add_bed(self, request: Request[Any, Any, Any], room_id: FromPath[int]) -> Any:
        user = require_user(request)
        room = await get_rw_room_for_user(user, room_id)
        house = await get_house_for_user(user, room["house"])
        form = parse_label(await read_form(request), "bed")

        async def change() -> str:
            await beds.add_bed(
                actor_id=user.id, room_id=room_id, label=form.values["label"], now=clock.now()
            )
            return f"/houses/{house['id']}/edit"

        async def render(form: FormResult, status: int) -> Template:
            return await _setup_page(
                request, house, status_code=status, bed_form=form, bed_room=room_id
            )

        return await submit(request, form, change, render, flash="Bed added.")


ROUTES = [HouseController, RoomController]
