"""Residents for staff, with their beds: the list, intake onto a waitlist, a person's page
(their stays and the beds of each), their details and contacts, an account for them, and
ending a stay or correcting a move-in date.

These pages live with the placements because they show where each person sleeps (residents
sits below beds and may not read them); the people and their stays are changed through
house.residents.services. One controller: the list and intake share /residents, a person's
page and their details share /residents/{id}, and Litestar refuses two controllers on one
path (each adds its own OPTIONS handler)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Template

from house.accounts.views import invited_page
from house.beds.placements import services as placements
from house.houses.access import get_house_for_user
from house.houses.services import houses_for
from house.lib import clock
from house.lib.dates import house_today
from house.lib.errors import DomainError, StaleEdit
from house.lib.forms import FormResult
from house.queue import Queue
from house.residents import roster, services
from house.residents.access import (
    get_resident_for_user,
    get_rw_resident_for_user,
    get_rw_stay_for_user,
    get_stay_for_user,
)
from house.residents.forms import (
    DETAIL_FIELDS,
    EXIT_LABELS,
    parse_amend,
    parse_contact,
    parse_details,
    parse_exit,
    parse_intake,
    parse_search,
)
from house.settings import get_settings
from house.web.access import found, require_user, staff_only
from house.web.forms import fresh, submit
from house.web.render import page, read_form, redirect, request_id

SAVED = "Saved; the old values are kept under Corrections."


def _details_typed(person: dict[str, Any] | None) -> dict[str, str]:
    """The details form filled with a person's stored details and version."""
    person = person or {}
    typed = {f: "" if person.get(f) is None else str(person[f]) for f in DETAIL_FIELDS}
    typed["version"] = str(person.get("version", ""))
    return typed


async def _person_page(
    request: Request[Any, Any, Any],
    resident_id: int,
    status_code: int = 200,
    exit_form: FormResult | None = None,
    amend_form: FormResult | None = None,
) -> Template:
    """A person with the stays the user may see, and the beds of each."""
    person = found(await services.person_seen_by(require_user(request), resident_id))
    person["beds"] = await placements.beds_of_stays([s["id"] for s in person["stays"]])
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


def _edit_page(
    request: Request[Any, Any, Any],
    person: dict[str, Any] | None,
    *,
    form: FormResult | None = None,
    contact_form: FormResult | None = None,
    status_code: int = 200,
) -> Template:
    """A person's details form (their stored details unless `form`) and the contact form."""
    return page(
        request,
        "residents/edit.html",
        status_code=status_code,
        person=person,
        form=form or FormResult(typed=_details_typed(person)),
        contact_form=contact_form or FormResult(),
    )


async def _stay_and_today(
    request: Request[Any, Any, Any], stay_id: int
) -> tuple[dict[str, Any], dt.date]:
    """A stay the user may change (404 unless they see it, 403 if they may only read) and
    today's date in its house."""
    user = require_user(request)
    stay = await get_rw_stay_for_user(user, stay_id)
    house = await get_house_for_user(user, stay["house"])
    return stay, house_today(clock.now(), house["timezone"])


class ResidentController(Controller):
    guards = [staff_only]  # noqa: RUF012 - Litestar reads this class attribute

    @get("/residents", name="residents:list")
    async def residents(self, request: Request[Any, Any, Any]) -> Template:
        user = require_user(request)
        search = parse_search(request.query_params, clock.now().date())
        if not search.ok:
            # A bad search shows its message by the field and nobody (not everyone).
            return page(request, "residents/list.html", status_code=422, search=search)
        q, born, number = (search.values[k] for k in ("q", "born", "page"))
        stays = await roster.open_stays(user, q, born)
        beds = {
            row["stay"]: row
            for row in await placements.beds_of_stays(
                [s["id"] for s in stays if s["status"] == "active"], current=True
            )
        }
        for stay in stays:
            stay["bed"] = beds.get(stay["id"])
        past, older = await roster.past_stays(user, q, born, number)
        return page(
            request,
            "residents/list.html",
            search=search,
            active=[s for s in stays if s["status"] == "active"],
            waiting=[s for s in stays if s["status"] == "waitlist"],
            past=past,
            older=older,
            exit_labels=EXIT_LABELS,
        )

    @get("/residents/{resident_id:int}", name="residents:detail")
    async def resident(
        self, request: Request[Any, Any, Any], resident_id: FromPath[int]
    ) -> Template:
        await get_resident_for_user(require_user(request), resident_id)
        return await _person_page(request, resident_id)

    @get("/residents/new", name="residents:new")
    async def new_resident(self, request: Request[Any, Any, Any]) -> Template:
        houses = await houses_for(require_user(request))
        form = fresh({"priority": "3", "house": str(houses[0]["id"]) if len(houses) == 1 else ""})
        return page(request, "residents/intake.html", form=form, houses=houses)

    @post("/residents", name="residents:create")
    async def create_resident(self, request: Request[Any, Any, Any]) -> Any:
        user = require_user(request)
        houses = {h["id"]: h for h in await houses_for(user)}
        data = await read_form(request)
        form = parse_intake(data, list(houses), clock.now().date())

        async def put_on_waitlist() -> str:
            house = houses[form.values["house"]]
            stay_id = await services.intake(
                actor_id=user.id,
                values=form.values,
                today=house_today(clock.now(), house["timezone"]),
                now=clock.now(),
            )
            stay = await get_stay_for_user(user, stay_id)
            return f"/residents/{stay['resident']}"

        async def render(form: FormResult, status: int) -> Template:
            return page(
                request,
                "residents/intake.html",
                status_code=status,
                form=form,
                houses=list(houses.values()),
            )

        def flash(_: str) -> str:
            house = houses[form.values["house"]]
            return f"{form.values['preferred_name']} is on the waitlist of {house['name']}."

        return await submit(request, form, put_on_waitlist, render, flash=flash, data=data)

    @get("/residents/{resident_id:int}/edit", name="residents:edit")
    async def edit(self, request: Request[Any, Any, Any], resident_id: FromPath[int]) -> Template:
        await get_resident_for_user(require_user(request), resident_id)
        return _edit_page(request, found(await services.person(resident_id)))

    @post("/residents/{resident_id:int}", name="residents:update")
    async def update(self, request: Request[Any, Any, Any], resident_id: FromPath[int]) -> Any:
        user = require_user(request)
        await get_rw_resident_for_user(user, resident_id)
        form = parse_details(await read_form(request), clock.now().date())
        changed: list[int] = []
        stale: list[StaleEdit] = []

        async def change() -> str:
            changed.append(
                await services.update_details(
                    actor_id=user.id,
                    resident_id=resident_id,
                    values=form.values,
                    version=form.values["version"],
                    why=form.values["why"],
                    now=clock.now(),
                )
            )
            return f"/residents/{resident_id}"

        async def render(form: FormResult, status: int) -> Template:
            person = await services.person(resident_id)
            if stale:
                # Show the current version, so the next save can go through.
                form.typed["version"] = _details_typed(person)["version"]
            return _edit_page(request, person, form=form, status_code=status)

        return await submit(
            request,
            form,
            change,
            render,
            flash=lambda _: SAVED if changed[0] else None,
            on_error=lambda exc: stale.extend([exc] if isinstance(exc, StaleEdit) else []),
        )

    @post("/residents/{resident_id:int}/contacts", name="residents:add_contact")
    async def add_contact(self, request: Request[Any, Any, Any], resident_id: FromPath[int]) -> Any:
        user = require_user(request)
        await get_rw_resident_for_user(user, resident_id)
        form = parse_contact(await read_form(request))

        async def change() -> str:
            await services.add_contact(
                actor_id=user.id,
                resident_id=resident_id,
                name=form.values["contact_name"],
                relation=form.values["contact_relation"],
                phone=form.values["contact_phone"],
                now=clock.now(),
            )
            return f"/residents/{resident_id}"

        async def render(form: FormResult, status: int) -> Template:
            person = await services.person(resident_id)
            return _edit_page(request, person, contact_form=form, status_code=status)

        return await submit(request, form, change, render, flash="Contact added.")

    @post("/residents/{resident_id:int}/invite", name="residents:invite")
    async def invite(
        self,
        request: Request[Any, Any, Any],
        resident_id: FromPath[int],
        queue: NamedDependency[Queue],
    ) -> Any:
        user = require_user(request)
        await get_rw_resident_for_user(user, resident_id)
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
            return redirect(request, f"/residents/{resident_id}", flash=exc.message, kind="error")
        return await invited_page(request, queue, invitation, now, back=f"/residents/{resident_id}")

    @post("/stays/{stay_id:int}/exit", name="residents:exit")
    async def exit_stay(self, request: Request[Any, Any, Any], stay_id: FromPath[int]) -> Any:
        user = require_user(request)
        stay, today = await _stay_and_today(request, stay_id)
        form = parse_exit(await read_form(request), today)

        async def change() -> str:
            await placements.exit_stay(
                actor_id=user.id,
                stay_id=stay_id,
                on=form.values["on"],
                reason=form.values["reason"],
                note=form.values["note"],
                today=today,
                now=clock.now(),
            )
            return f"/residents/{stay['resident']}"

        async def render(form: FormResult, status: int) -> Template:
            return await _person_page(request, stay["resident"], status, exit_form=form)

        flash = f"{stay['preferred_name']}'s stay has ended; the bed is free."
        return await submit(request, form, change, render, flash=flash)

    @post("/stays/{stay_id:int}/amend", name="residents:amend")
    async def amend(self, request: Request[Any, Any, Any], stay_id: FromPath[int]) -> Any:
        user = require_user(request)
        stay, today = await _stay_and_today(request, stay_id)
        form = parse_amend(await read_form(request))

        async def change() -> str:
            await placements.amend_admission_date(
                actor_id=user.id,
                stay_id=stay_id,
                admitted_on=form.values["admitted_on"],
                reason=form.values["reason"],
                today=today,
                now=clock.now(),
            )
            return f"/residents/{stay['resident']}"

        async def render(form: FormResult, status: int) -> Template:
            return await _person_page(request, stay["resident"], status, amend_form=form)

        return await submit(request, form, change, render, flash="Move-in date corrected.")


ROUTES = [ResidentController]
