"""Violations for staff (record, list, correct, resolve), residents (their own, appeal) and
admins (decide appeals)."""

from __future__ import annotations

from functools import partial
from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Template

from house.houses.access import get_house_for_user, get_rw_house_for_user
from house.lib import clock
from house.lib.dates import house_today
from house.lib.datewords import time_words
from house.lib.forms import FormResult
from house.queue import Queue
from house.violations import appeals, services
from house.violations.access import (
    get_appeal_violation_for_user,
    get_rw_appeal_violation_for_user,
    get_rw_violation_for_user,
    get_violation_for_user,
)
from house.violations.forms import (
    AMENDABLE_LABELS,
    parse_amendment,
    parse_appeal,
    parse_decision,
    parse_violation,
)
from house.web.access import admin_only, require_user, resident_only, signed_in, staff_only
from house.web.forms import Versioned, fresh, submit
from house.web.render import page, read_form, redirect

LABELS: dict[str, Any] = {
    "severity_labels": services.SEVERITY_LABELS,
    "decision_labels": services.DECISION_LABELS,
    "amendable_labels": AMENDABLE_LABELS,
    "ladder_options": lambda ladder: [(step, step) for step in ladder],
}


class HouseViolationsController(Controller):
    path = "/houses/{house_id:int}/violations"
    guards = [staff_only]  # noqa: RUF012 - Litestar reads this class attribute

    @get("", name="violations:house")
    async def listing(self, request: Request[Any, Any, Any], house_id: FromPath[int]) -> Template:
        house = await get_house_for_user(require_user(request), house_id)
        return page(
            request,
            "violations/house.html",
            house=house,
            violations=await services.house_violations(house_id),
            **LABELS,
        )

    @get("/new", name="violations:new")
    async def new(self, request: Request[Any, Any, Any], house_id: FromPath[int]) -> Template:
        house = await get_house_for_user(require_user(request), house_id)
        now = clock.now()
        typed = {
            "occurred_on": house_today(now, house["timezone"]).isoformat(),
            "occurred_time": time_words(now, house["timezone"]),
        }
        return await self._form(request, house, fresh(typed))

    async def _form(
        self,
        request: Request[Any, Any, Any],
        house: dict[str, Any],
        form: FormResult,
        status_code: int = 200,
    ) -> Template:
        return page(
            request,
            "violations/new.html",
            status_code=status_code,
            house=house,
            form=form,
            choices=await services.form_choices(house["id"]),
            **LABELS,
        )

    @post("", name="violations:create")
    async def create(self, request: Request[Any, Any, Any], house_id: FromPath[int]) -> Any:
        user = require_user(request)
        house = await get_rw_house_for_user(user, house_id)
        data = await read_form(request)
        form = parse_violation(data, timezone=house["timezone"])

        async def record() -> str:
            violation_id = await services.record_violation(
                actor_id=user.id, house_id=house_id, values=form.values, now=clock.now()
            )
            return f"/violations/{violation_id}"

        async def again(form: FormResult, status: int) -> Template:
            return await self._form(request, house, form, status)

        return await submit(request, form, record, again, flash="Violation recorded.", data=data)


class ViolationController(Controller):
    path = "/violations"

    @get("", guards=[resident_only], name="violations:mine")
    async def mine(self, request: Request[Any, Any, Any]) -> Template:
        user = require_user(request)
        return page(
            request,
            "violations/mine.html",
            violations=await services.my_violations(user.id),
            **LABELS,
        )

    @get("/{violation_id:int}", guards=[signed_in], name="violations:detail")
    async def detail(
        self, request: Request[Any, Any, Any], violation_id: FromPath[int]
    ) -> Template:
        violation = await get_violation_for_user(require_user(request), violation_id)
        return await _detail_page(request, violation)

    @post("/{violation_id:int}/amend", guards=[staff_only], name="violations:amend")
    async def amend(self, request: Request[Any, Any, Any], violation_id: FromPath[int]) -> Any:
        user = require_user(request)
        violation = await get_rw_violation_for_user(user, violation_id)
        form = parse_amendment(await read_form(request))
        record = Versioned(violation, partial(get_violation_for_user, user, violation_id))

        async def correct() -> str:
            await services.amend(
                actor_id=user.id,
                violation_id=violation_id,
                field=form.values["field"],
                value=form.values["value"],
                reason=form.values["reason"],
                version=form.values["version"],
                now=clock.now(),
            )
            return f"/violations/{violation_id}"

        async def again(form: FormResult, status: int) -> Template:
            shown = await record.shown(form)
            return await _detail_page(request, shown, status, amend_form=form)

        return await submit(request, form, correct, again, flash="Corrected.", on_error=record.seen)

    @post("/{violation_id:int}/resolve", guards=[staff_only], name="violations:resolve")
    async def resolve(self, request: Request[Any, Any, Any], violation_id: FromPath[int]) -> Any:
        user = require_user(request)
        await get_rw_violation_for_user(user, violation_id)
        said: list[str] = []

        async def resolve() -> str:
            done = await services.resolve(
                actor_id=user.id, violation_id=violation_id, now=clock.now()
            )
            said.append("Marked resolved." if done else "It was already resolved.")
            return f"/violations/{violation_id}"

        async def again(form: FormResult, status: int) -> Template:
            # Refused (an appeal came in since the page was loaded): the page as it is now.
            fresh = await get_violation_for_user(user, violation_id)
            return await _detail_page(request, fresh, status, resolve_form=form)

        return await submit(request, FormResult(), resolve, again, flash=lambda _: said[0])

    @post("/{violation_id:int}/appeal", guards=[resident_only], name="violations:appeal")
    async def appeal(
        self,
        request: Request[Any, Any, Any],
        violation_id: FromPath[int],
        queue: NamedDependency[Queue],
    ) -> Any:
        user = require_user(request)
        violation = await get_violation_for_user(user, violation_id)
        if violation["appeal"] is not None:  # a double tap, or a second tab
            return redirect(
                request,
                f"/violations/{violation_id}",
                flash="You have already appealed this violation.",
            )
        form = parse_appeal(await read_form(request))

        async def send() -> str:
            await appeals.appeal(
                user_id=user.id,
                violation_id=violation_id,
                statement=form.values["statement"],
                now=clock.now(),
            )
            await queue.enqueue("process_alert_events")  # best effort: the sweep follows
            return f"/violations/{violation_id}"

        async def again(form: FormResult, status: int) -> Template:
            return await _detail_page(request, violation, status, appeal_form=form)

        return await submit(
            request,
            form,
            send,
            again,
            flash="Your appeal was sent to the program's administrator.",
        )


async def _detail_page(
    request: Request[Any, Any, Any],
    violation: dict[str, Any],
    status_code: int = 200,
    *,
    amend_form: FormResult | None = None,
    appeal_form: FormResult | None = None,
    decide_form: FormResult | None = None,
    resolve_form: FormResult | None = None,
) -> Template:
    """The violation's page. The appeal's statement is shown to the resident and to admins;
    a manager sees only a decision, once made, and before it that one is waiting (in place
    of "Mark resolved", which waits for the decision)."""
    user = require_user(request)
    ladder = (await services.form_choices(violation["house"]))["ladder"]
    waiting = None
    if appeals.appeal_pending(violation):
        waiting = services.APPEAL_WAITING if user.is_admin else services.APPEAL_WAITING_FOR_ADMIN
    return page(
        request,
        "violations/detail.html",
        status_code=status_code,
        violation=violation,
        appeal=violation["appeal"],
        show_statement=user.is_admin or user.role == "resident",
        ladder=ladder,
        amend_form=amend_form or FormResult(),
        appeal_form=appeal_form or FormResult(),
        decide_form=decide_form or FormResult(),
        resolve_form=resolve_form or FormResult(),
        appeal_waiting=waiting,
        **LABELS,
    )


class AppealController(Controller):
    """The admins' queue of appeals and their decisions. Managers get a 404 here."""

    path = "/appeals"

    @get("", guards=[admin_only], name="appeals:list")
    async def listing(self, request: Request[Any, Any, Any]) -> Template:
        queue = await appeals.appeal_queue()
        return page(
            request,
            "violations/appeals.html",
            pending=queue["pending"],
            decided=queue["decided"],
            **LABELS,
        )

    @get("/{appeal_id:int}", guards=[staff_only], name="appeals:detail")
    async def detail(self, request: Request[Any, Any, Any], appeal_id: FromPath[int]) -> Template:
        violation = await get_appeal_violation_for_user(require_user(request), appeal_id)
        return await _detail_page(request, violation)

    @post("/{appeal_id:int}/decide", guards=[staff_only], name="appeals:decide")
    async def decide(self, request: Request[Any, Any, Any], appeal_id: FromPath[int]) -> Any:
        user = require_user(request)
        violation = await get_rw_appeal_violation_for_user(user, appeal_id)
        if not appeals.appeal_pending(violation):
            return redirect(
                request,
                f"/violations/{violation['id']}",
                flash="This appeal has already been decided.",
            )
        form = parse_decision(await read_form(request))

        async def decide() -> str:
            await appeals.decide(
                actor_id=user.id,
                appeal_id=appeal_id,
                decision=form.values["decision"],
                reason=form.values["reason"],
                consequence=form.values["consequence"],
                now=clock.now(),
            )
            return f"/violations/{violation['id']}"

        async def again(form: FormResult, status: int) -> Template:
            return await _detail_page(request, violation, status, decide_form=form)

        return await submit(request, form, decide, again, flash="Decided.")


ROUTES: list[Any] = [HouseViolationsController, ViolationController, AppealController]
