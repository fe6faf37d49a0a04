"""Houses: the across-houses overview, and the admin's set-up of houses, rooms and beds."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from house.beds import services as beds
from house.beds.tables import Room
from house.houses import services
from house.houses.access import get_house_for_user
from house.houses.forms import (
    KIND_LABELS,
    NARR_LABELS,
    TIMEZONES,
    WEEKDAYS,
    parse_house,
    parse_label,
)
from house.houses.tables import DEFAULT_LADDER
from house.lib import clock
from house.lib.errors import DomainError, StaleEdit
from house.lib.forms import FormResult
from house.web.access import admin_only, require_user, staff_only, visible_house_ids
from house.web.render import FORM_ERROR_STATUS, page, read_form, redirect

CHOICES: dict[str, Any] = {
    "kind_labels": KIND_LABELS,
    "narr_labels": NARR_LABELS,
    "timezones": TIMEZONES,
    "weekdays": WEEKDAYS,
    "hour_options": [(str(h), f"{h:02d}:00") for h in range(24)],
}


def _typed(house: dict[str, Any]) -> dict[str, str]:
    typed = {k: str(house[k]) for k in (*services.FIELDS, "version")}
    typed["require_signed_rules"] = "yes" if house["require_signed_rules"] else ""
    return typed


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
        form=form or FormResult(typed=_typed(house)),
        house=house,
        rooms=data["rooms"],
        room_form=room_form or FormResult(),
        bed_form=bed_form,
        bed_room=bed_room,
        **CHOICES,
    )


class HouseController(Controller):
    path = "/houses"

    @get("", guards=[staff_only], name="houses:list")
    async def houses(
        self, request: Request[Any, Any, Any], kind: FromQuery[str | None] = None
    ) -> Template:
        user = require_user(request)
        allowed = visible_house_ids(user)
        chosen = kind if kind in KIND_LABELS else None
        houses = await services.overview(None if allowed is None else sorted(allowed), chosen)
        totals = {
            key: sum(h[key] for h in houses)
            for key in ("capacity", "occupied", "reserved", "out_of_service", "waiting")
        }
        totals["free"] = sum(len(h["free_beds"]) for h in houses)
        return page(
            request,
            "houses/list.html",
            houses=houses,
            totals=totals,
            kind=chosen,
            kind_labels=KIND_LABELS,
        )

    @get("/new", guards=[admin_only], name="houses:new")
    async def new_house(self, request: Request[Any, Any, Any]) -> Template:
        form = FormResult(
            typed={
                "kind": "coed",
                "narr_level": "2",
                "timezone": "America/New_York",
                "curfew": "22:00",
                "consequence_ladder": DEFAULT_LADDER,
                "chore_rotation_day": "7",
                "chore_rotation_hour": "18",
                "meeting_day": "7",
                "meeting_time": "19:00",
                "outside_meetings_required": "3",
                "alert_random_cutoff": "20:00",
                "alert_chores_missed": "2",
                "alert_meetings_weekday": "5",
                "alert_bed_free_days": "3",
                "alert_escalate_minutes": "60",
            }
        )
        return page(request, "houses/form.html", form=form, house=None, **CHOICES)

    @post("", guards=[admin_only], name="houses:create")
    async def create_house(self, request: Request[Any, Any, Any]) -> Any:
        user = require_user(request)
        form = parse_house(await read_form(request), with_version=False)
        if form.ok:
            try:
                house_id = await services.create_house(
                    actor_id=user.id, values=form.values, now=clock.now()
                )
            except DomainError as exc:
                form.errors[exc.field or "form"] = exc.message
            else:
                return redirect(
                    request, f"/houses/{house_id}/edit", flash="House created. Add its rooms."
                )
        return page(
            request,
            "houses/form.html",
            status_code=FORM_ERROR_STATUS,
            form=form,
            house=None,
            **CHOICES,
        )

    @get("/{house_id:int}/edit", guards=[admin_only], name="houses:edit")
    async def edit_house(
        self, request: Request[Any, Any, Any], house_id: FromPath[int]
    ) -> Template:
        house = await get_house_for_user(require_user(request), house_id)
        return await _setup_page(request, house)

    @post("/{house_id:int}", guards=[admin_only], name="houses:update")
    async def update_house(self, request: Request[Any, Any, Any], house_id: FromPath[int]) -> Any:
        user = require_user(request)
        house = await get_house_for_user(user, house_id)
        form = parse_house(await read_form(request), with_version=True)
        if form.ok:
            try:
                await services.update_house(
                    actor_id=user.id,
                    house_id=house_id,
                    values=form.values,
                    version=form.values["version"],
                    now=clock.now(),
                )
            except StaleEdit as exc:
                form.errors["form"] = exc.message
                house = await get_house_for_user(user, house_id)
                form.typed["version"] = str(house["version"])
            except DomainError as exc:
                form.errors[exc.field or "form"] = exc.message
            else:
                return redirect(request, f"/houses/{house_id}/edit", flash="Saved.")
        return await _setup_page(request, house, status_code=FORM_ERROR_STATUS, form=form)

    @post("/{house_id:int}/rooms", guards=[admin_only], name="houses:add_room")
    async def add_room(self, request: Request[Any, Any, Any], house_id: FromPath[int]) -> Any:
        user = require_user(request)
        house = await get_house_for_user(user, house_id)
        form = parse_label(await read_form(request), "room")
        if form.ok:
            try:
                await beds.add_room(
                    actor_id=user.id,
                    house_id=house_id,
                    label=form.values["label"],
                    now=clock.now(),
                )
            except DomainError as exc:
                form.errors[exc.field or "form"] = exc.message
            else:
                return redirect(request, f"/houses/{house_id}/edit", flash="Room added.")
        return await _setup_page(request, house, status_code=FORM_ERROR_STATUS, room_form=form)


class RoomController(Controller):
    @post("/rooms/{room_id:int}/beds", guards=[admin_only], name="houses:add_bed")
    async def add_bed(self, request: Request[Any, Any, Any], room_id: FromPath[int]) -> Any:
        user = require_user(request)
        room = await Room.select(Room.id, Room.house).where(Room.id == room_id).first()
        if room is None:
            raise NotFoundException()
        house = await get_house_for_user(user, room["house"])
        form = parse_label(await read_form(request), "bed")
        if form.ok:
            try:
                await beds.add_bed(
                    actor_id=user.id,
                    room_id=room_id,
                    label=form.values["label"],
                    now=clock.now(),
                )
            except DomainError as exc:
                form.errors[exc.field or "form"] = exc.message
            else:
                return redirect(request, f"/houses/{house['id']}/edit", flash="Bed added.")
        return await _setup_page(
            request, house, status_code=FORM_ERROR_STATUS, bed_form=form, bed_room=room_id
        )
