"""Drug screens for staff (screens today, record, detail, correct, lab, a resident's history,
panels, prescriptions), for residents (their own history and screens) and for admins (the
list of substances). Every page that shows results to staff writes its one audit row before
it is rendered; if that write fails, the error page is shown instead."""

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
from house.screens import labels, outcomes, queries, services
from house.screens.access import (
    get_rw_screen_for_user,
    get_screen_for_user,
    get_screened_resident_for_user,
)
from house.screens.forms import AMENDABLE_LABELS, parse_amendment, parse_lab, parse_screen
from house.screens.random import views as random_views
from house.screens.setup import services as setup
from house.screens.setup import views as setup_views
from house.web.access import require_user, resident_only, signed_in, staff_only
from house.web.forms import Versioned, fresh, submit
from house.web.render import page, read_form, request_id

LABELS: dict[str, Any] = {
    "outcome_labels": outcomes.LABELS,
    "result_labels": labels.RESULT_LABELS,
    "method_labels": labels.METHOD_LABELS,
    "reason_labels": labels.REASON_LABELS,
    "lab_labels": labels.LAB_LABELS,
    "selection_labels": labels.SELECTION_LABELS,
    "amendable_labels": AMENDABLE_LABELS,
}
SPECIMEN_OPTIONS = [
    ("", "Tested: the results below"),
    ("dilute", "Dilute"),
    ("invalid", "Invalid (tampered, cold, wrong colour)"),
    ("refused", "Refused"),
    ("missed", "Missed (did not come)"),
]

REASON_OPTIONS = [
    ("", "Random if drawn that day, otherwise routine"),
    *labels.REASON_LABELS.items(),
]


def _query_id(request: Request[Any, Any, Any], name: str) -> int | None:
    raw = request.query_params.get(name) or ""
    return int(raw) if raw.isdigit() and len(raw) <= 12 else None


class HouseScreensController(Controller):
    """Screens today, the screen form and the house's panels."""

    path = "/houses/{house_id:int}"
    guards = [staff_only]  # noqa: RUF012 - Litestar reads this class attribute

    @get("/screens", name="screens:today")
    async def today(self, request: Request[Any, Any, Any], house_id: FromPath[int]) -> Template:
        user = require_user(request)
        house = await get_house_for_user(user, house_id)
        now = clock.now()
        today = house_today(now, house["timezone"])
        rows = await queries.screens_today(house, today)
        panels = await setup.house_panels(house_id, active_only=True)
        await queries.record_results_viewed(
            actor_id=user.id,
            page=f"house:{house_id}:screens_today",
            screen_ids=[s["id"] for r in rows for s in r["screens"]],
            now=now,
            request_id=request_id(request),
        )
        return page(
            request,
            "screens/today.html",
            house=house,
            today=today,
            rows=rows,
            has_panel=bool(panels),
            **LABELS,
        )

    @get("/screens/new", name="screens:new")
    async def new(self, request: Request[Any, Any, Any], house_id: FromPath[int]) -> Template:
        house = await get_house_for_user(require_user(request), house_id)
        now = clock.now()
        today = house_today(now, house["timezone"])
        resident = _query_id(request, "resident")
        reason = request.query_params.get("reason") or ""
        if reason not in labels.REASON_LABELS:
            # Random if drawn today, otherwise routine; with nobody chosen yet, the form's
            # first choice says so and saving decides.
            reason = await queries.default_reason(house_id, resident, today) if resident else ""
        form = fresh(
            {
                "resident": str(resident or ""),
                "collected_on": today.isoformat(),
                "collected_time": time_words(now, house["timezone"]),
                "method": "urine_cup",
                "reason": reason,
                "observed": "yes",
                "specimen": "",
            }
        )
        quick = request.query_params.get("quick") == "1"
        return await self._form(
            request,
            house,
            form,
            panel_id=_query_id(request, "panel"),
            quick=quick,
        )

    async def _form(
        self,
        request: Request[Any, Any, Any],
        house: dict[str, Any],
        form: FormResult,
        *,
        panel_id: int | None = None,
        quick: bool = False,
        status_code: int = 200,
    ) -> Template:
        residents = await queries.current_residents(house["id"])
        panels = await setup.house_panels(house["id"], active_only=True)
        panel = next((p for p in panels if p["id"] == panel_id), panels[0] if panels else None)
        breath_only = panel and all(s["code"] == services.ALCOHOL for s in panel["substances"])
        if breath_only and form.typed.get("method") == "urine_cup":
            form.typed["method"] = "breath"
        chosen = next(
            (r for r in residents if str(r["resident"]) == form.typed.get("resident")), None
        )
        return page(
            request,
            "screens/quick.html" if quick and chosen and panel else "screens/new.html",
            status_code=status_code,
            house=house,
            form=form,
            residents=residents,
            chosen=chosen,
            panels=panels,
            panel=panel,
            specimen_options=SPECIMEN_OPTIONS,
            reason_options=REASON_OPTIONS,
            **LABELS,
        )

    @post("/screens", name="screens:create")
    async def create(
        self,
        request: Request[Any, Any, Any],
        house_id: FromPath[int],
        queue: NamedDependency[Queue],
    ) -> Any:
        user = require_user(request)
        house = await get_rw_house_for_user(user, house_id)
        data = await read_form(request)
        form = parse_screen(data, timezone=house["timezone"])

        async def record() -> str:
            screen_id = await services.record_screen(
                actor_id=user.id, house_id=house_id, values=form.values, now=clock.now()
            )
            await queue.enqueue("process_alert_events")  # best effort: the sweep follows
            if data.get("next") == "today":
                return f"/houses/{house_id}/screens#resident-{form.values['resident']}"
            return f"/screens/{screen_id}"

        async def again(form: FormResult, status: int) -> Template:
            panel_id = form.values.get("panel")
            return await self._form(request, house, form, panel_id=panel_id, status_code=status)

        return await submit(request, form, record, again, flash="Screen saved.", data=data)


class ScreenController(Controller):
    path = "/screens"

    @get("", guards=[resident_only], name="screens:mine")
    async def mine(self, request: Request[Any, Any, Any]) -> Template:
        user = require_user(request)
        return page(
            request, "screens/mine.html", screens=await queries.my_screens(user.id), **LABELS
        )

    @get("/{screen_id:int}", guards=[signed_in], name="screens:detail")
    async def detail(self, request: Request[Any, Any, Any], screen_id: FromPath[int]) -> Template:
        screen = await get_screen_for_user(require_user(request), screen_id)
        return await _detail_page(request, screen)

    @post("/{screen_id:int}/amend", guards=[staff_only], name="screens:amend")
    async def amend(
        self,
        request: Request[Any, Any, Any],
        screen_id: FromPath[int],
        queue: NamedDependency[Queue],
    ) -> Any:
        user = require_user(request)
        screen = await get_rw_screen_for_user(user, screen_id)
        form = parse_amendment(await read_form(request))
        record = Versioned(screen, partial(get_screen_for_user, user, screen_id))

        async def correct() -> str:
            await services.amend(
                actor_id=user.id,
                screen_id=screen_id,
                field=form.values["field"],
                value=form.values["value"],
                reason=form.values["reason"],
                version=form.values["version"],
                now=clock.now(),
            )
            await queue.enqueue("process_alert_events")  # best effort: the sweep follows
            return f"/screens/{screen_id}"

        async def again(form: FormResult, status: int) -> Template:
            return await _detail_page(request, await record.shown(form), status, amend_form=form)

        return await submit(request, form, correct, again, flash="Corrected.", on_error=record.seen)

    @post("/{screen_id:int}/lab", guards=[staff_only], name="screens:lab")
    async def lab(
        self,
        request: Request[Any, Any, Any],
        screen_id: FromPath[int],
        queue: NamedDependency[Queue],
    ) -> Any:
        user = require_user(request)
        screen = await get_rw_screen_for_user(user, screen_id)
        form = parse_lab(await read_form(request))
        sent = form.values.get("step") == "send"

        async def step() -> str:
            now = clock.now()
            await services.lab_step(
                actor_id=user.id,
                screen_id=screen_id,
                step=form.values["step"],
                on=form.values["on"],
                reference=form.values["reference"],
                today=house_today(now, screen["timezone"]),
                now=now,
            )
            if not sent:
                await queue.enqueue("process_alert_events")  # best effort
            return f"/screens/{screen_id}"

        async def again(form: FormResult, status: int) -> Template:
            return await _detail_page(request, screen, status, lab_form=form)

        flash = "Sent to the lab." if sent else "Lab result saved."
        return await submit(request, form, step, again, flash=flash)


async def _detail_page(
    request: Request[Any, Any, Any],
    screen: dict[str, Any],
    status_code: int = 200,
    *,
    amend_form: FormResult | None = None,
    lab_form: FormResult | None = None,
) -> Template:
    """The screen's page; staff's view of it is audited first (the resident's own is not)."""
    user = require_user(request)
    now = clock.now()
    if user.id != screen["resident_user"]:
        await queries.record_results_viewed(
            actor_id=user.id,
            page=f"screen:{screen['id']}",
            screen_ids=[screen["id"]],
            subject_id=screen["resident_user"],
            now=now,
            request_id=request_id(request),
        )
    today = house_today(now, screen["timezone"]).isoformat()
    return page(
        request,
        "screens/detail.html",
        status_code=status_code,
        screen=screen,
        is_staff=user.is_staff,
        amend_form=amend_form or FormResult(),
        lab_form=lab_form or FormResult(typed={"on": today}),
        **LABELS,
    )


class ResidentScreensController(Controller):
    """A resident's screen history and disclosed prescriptions, for staff of their house."""

    path = "/residents/{resident_id:int}"
    guards = [staff_only]  # noqa: RUF012 - Litestar reads this class attribute

    @get("/screens", name="screens:resident")
    async def history(
        self, request: Request[Any, Any, Any], resident_id: FromPath[int]
    ) -> Template:
        user = require_user(request)
        resident = await get_screened_resident_for_user(user, resident_id)
        screens = await queries.resident_screens(resident_id, user)
        await queries.record_results_viewed(
            actor_id=user.id,
            page=f"resident:{resident_id}:screens",
            screen_ids=[s["id"] for s in screens],
            subject_id=resident["user"],
            now=clock.now(),
            request_id=request_id(request),
        )
        return page(request, "screens/resident.html", resident=resident, screens=screens, **LABELS)


ROUTES: list[Any] = [
    HouseScreensController,
    ScreenController,
    ResidentScreensController,
    *setup_views.ROUTES,
    *random_views.ROUTES,
]
