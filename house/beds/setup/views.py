"""Houses and their rooms and beds: the overview of beds across houses (staff), and the
admin's set-up (a new house; a house's page with its details form, its rooms and beds,
adding a room or beds). Every form here shows its page again on an error.

Adding a room or beds answers htmx with the "Rooms and beds" section alone (swapped in
place, its note inside it); without script it is post/redirect/get back to the section's
anchor, the note shown there too (a flash of its own kind)."""

from __future__ import annotations

from functools import partial
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from house.beds import services as beds
from house.beds.access import get_rw_room_for_user
from house.beds.forms import BEDS_HINT, parse_bed_labels, parse_label
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
from house.lib.text import natural_key
from house.settings import get_settings
from house.web.access import admin_only, require_user, staff_only
from house.web.forms import Versioned, submit
from house.web.once import new_form_token
from house.web.render import is_partial, page, read_form, session_of

ROOMS = "houses/partials/rooms.html"
ROOMS_NOTE = "rooms"  # the kind of flash shown in the rooms section, not at the top


async def _setup_page(
    request: Request[Any, Any, Any],
    house: dict[str, Any],
    *,
    status_code: int = 200,
    form: FormResult | None = None,
    room_form: FormResult | None = None,
    bed_form: FormResult | None = None,
    bed_room: int | None = None,
    focus: str | None = None,
) -> Template:
    """The house's set-up page: its details form and its rooms and beds (for htmx the rooms
    and beds alone). `focus` is the id of the field to focus (a new room's beds, a field
    with an error)."""
    data = await beds.board(house["id"])
    for room in data["rooms"]:
        room["beds"].sort(key=lambda bed: natural_key(bed["label"]))
    flashes = session_of(request).pop_flashes()
    return page(
        request,
        "houses/form.html",
        partial=ROOMS,
        status_code=status_code,
        form=form or FormResult(typed=typed_from(house, houses.FIELDS)),
        house=house,
        rooms=data["rooms"],
        bed_count=len(data["beds"]),
        room_form=room_form or FormResult(),
        bed_form=bed_form,
        bed_room=bed_room,
        beds_hint=BEDS_HINT,
        focus=focus,
        new_token=new_form_token,
        flashes=[f for f in flashes if f["kind"] != ROOMS_NOTE],
        room_notes=[f["message"] for f in flashes if f["kind"] == ROOMS_NOTE],
        **CHOICES,
        **timezone_choices(house["timezone"], saved=house["timezone"]),
    )


async def _in_place(
    request: Request[Any, Any, Any],
    house: dict[str, Any],
    answer: Response[Any],
    focus: str | None = None,
) -> Response[Any]:
    """A room or beds added, answered for htmx with the section as it is now (the note the
    redirect would have shown is in it) instead of the redirect."""
    if is_partial(request) and isinstance(answer, Redirect):
        return await _setup_page(request, house, focus=focus)
    return answer


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
        data = await read_form(request)
        form = parse_label(data, "room")
        made: list[int] = []

        async def change() -> str:
            made.append(
                await beds.add_room(
                    actor_id=user.id, house_id=house_id, label=form.values["label"], now=clock.now()
                )
            )
            return f"/houses/{house_id}/edit#rooms"

        async def render(form: FormResult, status: int) -> Template:
            return await _setup_page(
                request, house, status_code=status, room_form=form, focus="f-room"
            )

        added = f"Room added: {form.values['label']}. Now add its beds."
        answer = await submit(
            request, form, change, render, flash=added, flash_kind=ROOMS_NOTE, data=data
        )
        # Next comes the new room's beds: their field takes the focus.
        return await _in_place(request, house, answer, f"f-bed-{made[0]}" if made else None)


class RoomController(Controller):
    @post("/rooms/{room_id:int}/beds", guards=[admin_only], name="houses:add_bed")
    async def add_beds(self, request: Request[Any, Any, Any], room_id: FromPath[int]) -> Any:
        user = require_user(request)
        room = await get_rw_room_for_user(user, room_id)
        house = await get_house_for_user(user, room["house"])
        data = await read_form(request)
        form = parse_bed_labels(data)

        async def change() -> str:
            await beds.add_beds(
                actor_id=user.id, room_id=room_id, labels=form.values["labels"], now=clock.now()
            )
            return f"/houses/{house['id']}/edit#rooms"

        async def render(form: FormResult, status: int) -> Template:
            return await _setup_page(
                request,
                house,
                status_code=status,
                bed_form=form,
                bed_room=room_id,
                focus=f"f-bed-{room_id}",
            )

        labels = form.values.get("labels", [])
        added = f"{room['label']}: {_beds_added(labels)}."
        answer = await submit(
            request, form, change, render, flash=added, flash_kind=ROOMS_NOTE, data=data
        )
        return await _in_place(request, house, answer)


def _beds_added(labels: list[str]) -> str:
    return f"bed {labels[0]} added" if len(labels) == 1 else f"beds {', '.join(labels)} added"


ROUTES = [HouseController, RoomController]
