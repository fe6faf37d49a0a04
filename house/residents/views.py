"""Residents for staff: the list, intake onto a waitlist, a person's page, exit, amendments."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from house.accounts.views import invited_page
from house.beds.tables import BedAssignment
from house.houses.access import get_house_for_user
from house.houses.tables import House
from house.lib import clock
from house.lib.dates import house_today
from house.lib.errors import DomainError, StaleEdit
from house.lib.forms import FormResult
from house.queue import Queue
from house.residents import services
from house.residents.access import get_resident_for_user, get_stay_for_user
from house.residents.forms import (
    DETAIL_FIELDS,
    EXIT_LABELS,
    parse_amend,
    parse_contact,
    parse_details,
    parse_exit,
    parse_intake,
)
from house.residents.tables import Stay
from house.settings import get_settings
from house.web.access import require_user, staff_only, visible_house_ids
from house.web.once import FIELD, new_form_token, once, token_from
from house.web.render import (
    FORM_ERROR_STATUS,
    page,
    read_form,
    redirect,
    request_id,
    session_of,
)

OPEN = [Stay.Status.waitlist, Stay.Status.active]


async def _houses_for(user: Any) -> list[dict[str, Any]]:
    allowed = visible_house_ids(user)
    query = House.select(House.id, House.name, House.timezone).order_by(House.name)
    if allowed is not None:
        query = query.where(House.id.is_in(sorted(allowed) or [-1]))
    houses: list[dict[str, Any]] = await query
    return houses


class ResidentController(Controller):
    guards = [staff_only]  # noqa: RUF012 - Litestar reads this class attribute

    @get("/residents", name="residents:list")
    async def residents(self, request: Request[Any, Any, Any]) -> Template:
        user = require_user(request)
        allowed = visible_house_ids(user)
        query = Stay.select(
            Stay.id,
            Stay.status,
            Stay.resident,
            Stay.priority,
            Stay.applied_on,
            Stay.admitted_on,
            Stay.house.name.as_alias("house_name"),
            Stay.resident.preferred_name.as_alias("name"),
            Stay.resident.legal_name.as_alias("legal_name"),
        ).where(Stay.status.is_in(OPEN))
        if allowed is not None:
            query = query.where(Stay.house.is_in(sorted(allowed) or [-1]))
        stays = await query.order_by(Stay.resident.preferred_name)
        beds = {
            row["stay"]: row
            for row in await BedAssignment.select(
                BedAssignment.stay,
                BedAssignment.bed.label.as_alias("bed"),
                BedAssignment.bed.room.label.as_alias("room"),  # type: ignore[union-attr]
            ).where(
                BedAssignment.stay.is_in([s["id"] for s in stays] or [-1]),
                BedAssignment.end_on.is_null(),
            )
        }
        for stay in stays:
            stay["bed"] = beds.get(stay["id"])
        return page(
            request,
            "residents/list.html",
            active=[s for s in stays if s["status"] == Stay.Status.active],
            waiting=[s for s in stays if s["status"] == Stay.Status.waitlist],
        )

    @get("/residents/new", name="residents:new")
    async def new_resident(self, request: Request[Any, Any, Any]) -> Template:
        houses = await _houses_for(require_user(request))
        typed = {
            "priority": "3",
            "house": str(houses[0]["id"]) if len(houses) == 1 else "",
            FIELD: new_form_token(),
        }
        return page(request, "residents/intake.html", form=FormResult(typed=typed), houses=houses)

    @post("/residents", name="residents:create")
    async def create_resident(self, request: Request[Any, Any, Any]) -> Any:
        user = require_user(request)
        houses = await _houses_for(user)
        today = clock.now().date()
        data = await read_form(request)
        form = parse_intake(data, [h["id"] for h in houses], today)
        token = token_from(data)
        form.typed[FIELD] = token or new_form_token()
        if token is None:
            form.errors["form"] = "This form is out of date. Check it and send it again."
        if form.ok and token is not None:
            house = next(h for h in houses if h["id"] == form.values["house"])

            async def put_on_waitlist() -> str:
                stay_id = await services.intake(
                    actor_id=user.id,
                    values=form.values,
                    today=house_today(clock.now(), house["timezone"]),
                    now=clock.now(),
                )
                stay = await get_stay_for_user(user, stay_id)
                return f"/residents/{stay['resident']}"

            try:
                url, new = await once(token, put_on_waitlist, clock.now())
            except DomainError as exc:
                form.errors[exc.field or "form"] = exc.message
            else:
                name = form.values["preferred_name"]
                flash = f"{name} is on the waitlist of {house['name']}." if new else None
                return redirect(request, url, flash=flash)
        return page(
            request,
            "residents/intake.html",
            status_code=FORM_ERROR_STATUS,
            form=form,
            houses=houses,
        )

    @get("/residents/{resident_id:int}", name="residents:detail")
    async def resident(
        self, request: Request[Any, Any, Any], resident_id: FromPath[int]
    ) -> Template:
        user = require_user(request)
        await get_resident_for_user(user, resident_id)
        return await self._person_page(request, resident_id)

    async def _person_page(
        self,
        request: Request[Any, Any, Any],
        resident_id: int,
        status_code: int = 200,
        exit_form: FormResult | None = None,
        amend_form: FormResult | None = None,
    ) -> Template:
        person = await services.person(resident_id)
        if person is None:
            raise NotFoundException()
        allowed = visible_house_ids(require_user(request))
        person["stays"] = [s for s in person["stays"] if allowed is None or s["house"] in allowed]
        today = clock.now().date()
        return page(
            request,
            "residents/detail.html",
            status_code=status_code,
            person=person,
            exit_labels=EXIT_LABELS,
            exit_form=exit_form or FormResult(typed={"on": today.isoformat()}),
            amend_form=amend_form or FormResult(),
        )

    @get("/residents/{resident_id:int}/edit", name="residents:edit")
    async def edit(self, request: Request[Any, Any, Any], resident_id: FromPath[int]) -> Template:
        await get_resident_for_user(require_user(request), resident_id)
        person = await services.person(resident_id)
        if person is None:
            raise NotFoundException()
        typed = {f: "" if person[f] is None else str(person[f]) for f in DETAIL_FIELDS}
        typed["version"] = str(person["version"])
        return page(
            request,
            "residents/edit.html",
            person=person,
            form=FormResult(typed=typed),
            contact_form=FormResult(),
        )

    @post("/residents/{resident_id:int}", name="residents:update")
    async def update(self, request: Request[Any, Any, Any], resident_id: FromPath[int]) -> Any:
        user = require_user(request)
        await get_resident_for_user(user, resident_id)
        form = parse_details(await read_form(request), clock.now().date())
        if form.ok:
            try:
                changed = await services.update_details(
                    actor_id=user.id,
                    resident_id=resident_id,
                    values=form.values,
                    version=form.values["version"],
                    why=form.values["why"],
                    now=clock.now(),
                )
            except StaleEdit as exc:
                form.errors["form"] = exc.message
                fresh = await services.person(resident_id)
                form.typed["version"] = str((fresh or {}).get("version", ""))
            except DomainError as exc:
                form.errors[exc.field or "form"] = exc.message
            else:
                flash = "Saved; the old values are kept under Corrections." if changed else None
                return redirect(request, f"/residents/{resident_id}", flash=flash)
        return page(
            request,
            "residents/edit.html",
            status_code=FORM_ERROR_STATUS,
            person=await services.person(resident_id),
            form=form,
            contact_form=FormResult(),
        )

    @post("/residents/{resident_id:int}/contacts", name="residents:add_contact")
    async def add_contact(self, request: Request[Any, Any, Any], resident_id: FromPath[int]) -> Any:
        user = require_user(request)
        await get_resident_for_user(user, resident_id)
        form = parse_contact(await read_form(request))
        if form.ok:
            await services.add_contact(
                actor_id=user.id,
                resident_id=resident_id,
                name=form.values["contact_name"],
                relation=form.values["contact_relation"],
                phone=form.values["contact_phone"],
                now=clock.now(),
            )
            return redirect(request, f"/residents/{resident_id}", flash="Contact added.")
        person = await services.person(resident_id)
        typed = {
            f: "" if person is None or person[f] is None else str(person[f]) for f in DETAIL_FIELDS
        }
        typed["version"] = str((person or {}).get("version", ""))
        return page(
            request,
            "residents/edit.html",
            status_code=FORM_ERROR_STATUS,
            person=person,
            form=FormResult(typed=typed),
            contact_form=form,
        )

    @post("/residents/{resident_id:int}/invite", name="residents:invite")
    async def invite(
        self,
        request: Request[Any, Any, Any],
        resident_id: FromPath[int],
        queue: NamedDependency[Queue],
    ) -> Any:
        user = require_user(request)
        await get_resident_for_user(user, resident_id)
        now = clock.now()
        try:
            invitation = await services.invite_resident(
                actor_id=user.id,
                resident_id=resident_id,
                base_url=get_settings().base_url,
                now=now,
                request_id=request_id(request),
            )
        except DomainError as exc:
            session_of(request).flash(exc.message, kind="error")
            return Redirect(path=f"/residents/{resident_id}", status_code=303)
        return await invited_page(request, queue, invitation, now, back=f"/residents/{resident_id}")

    @post("/stays/{stay_id:int}/exit", name="residents:exit")
    async def exit_stay(self, request: Request[Any, Any, Any], stay_id: FromPath[int]) -> Any:
        user = require_user(request)
        stay = await get_stay_for_user(user, stay_id)
        house = await get_house_for_user(user, stay["house"])
        today = house_today(clock.now(), house["timezone"])
        form = parse_exit(await read_form(request), today)
        if form.ok:
            try:
                await services.exit_stay(
                    actor_id=user.id,
                    stay_id=stay_id,
                    on=form.values["on"],
                    reason=form.values["reason"],
                    note=form.values["note"],
                    today=today,
                    now=clock.now(),
                )
            except DomainError as exc:
                form.errors[exc.field or "form"] = exc.message
            else:
                return redirect(
                    request,
                    f"/residents/{stay['resident']}",
                    flash=f"{stay['preferred_name']}'s stay has ended; the bed is free.",
                )
        return await self._person_page(request, stay["resident"], FORM_ERROR_STATUS, exit_form=form)

    @post("/stays/{stay_id:int}/amend", name="residents:amend")
    async def amend(self, request: Request[Any, Any, Any], stay_id: FromPath[int]) -> Any:
        user = require_user(request)
        stay = await get_stay_for_user(user, stay_id)
        house = await get_house_for_user(user, stay["house"])
        form = parse_amend(await read_form(request))
        if form.ok:
            try:
                await services.amend_admission_date(
                    actor_id=user.id,
                    stay_id=stay_id,
                    admitted_on=form.values["admitted_on"],
                    reason=form.values["reason"],
                    today=house_today(clock.now(), house["timezone"]),
                    now=clock.now(),
                )
            except DomainError as exc:
                form.errors[exc.field or "form"] = exc.message
            else:
                return redirect(
                    request, f"/residents/{stay['resident']}", flash="Move-in date corrected."
                )
        return await self._person_page(
            request, stay["resident"], FORM_ERROR_STATUS, amend_form=form
        )
