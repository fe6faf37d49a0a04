"""Drug screens for staff (screens today, record, detail, correct, lab, a resident's history,
panels, prescriptions), for residents (their own history and screens) and for admins (the
list of substances). Every page that shows results to staff writes its one audit row before
it is rendered; if that write fails, the error page is shown instead."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Template

from house.audit.services import record_access
from house.lib import clock
from house.lib.dates import house_today
from house.lib.errors import DomainError
from house.lib.forms import FormResult
from house.queue import Queue
from house.residents.tables import Resident
from house.screens import services
from house.screens.forms import (
    AMENDABLE_LABELS,
    parse_amendment,
    parse_end,
    parse_lab,
    parse_panel,
    parse_prescription,
    parse_screen,
    parse_substance,
)
from house.screens.random import views as random_views
from house.screens.setup import services as setup
from house.web.access import (
    admin_only,
    get_house_for_user,
    get_panel_for_user,
    get_prescription_for_user,
    get_resident_for_user,
    get_screen_for_user,
    require_user,
    resident_only,
    signed_in,
    staff_only,
    visible_house_ids,
)
from house.web.once import FIELD, new_form_token, once, token_from
from house.web.render import FORM_ERROR_STATUS, page, read_form, redirect, request_id

LABELS: dict[str, Any] = {
    "outcome_labels": services.OUTCOME_LABELS,
    "result_labels": services.RESULT_LABELS,
    "method_labels": services.METHOD_LABELS,
    "reason_labels": services.REASON_LABELS,
    "lab_labels": services.LAB_LABELS,
    "selection_labels": services.SELECTION_LABELS,
    "amendable_labels": AMENDABLE_LABELS,
}
SPECIMEN_OPTIONS = [
    ("", "Tested: the results below"),
    ("dilute", "Dilute"),
    ("invalid", "Invalid (tampered, cold, wrong colour)"),
    ("refused", "Refused"),
    ("missed", "Missed (did not come)"),
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
        rows = await services.screens_today(house, today)
        panels = await setup.house_panels(house_id, active_only=True)
        await services.record_results_viewed(
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
        local = now.astimezone(ZoneInfo(house["timezone"]))
        reason = request.query_params.get("reason") or ""
        typed: dict[str, Any] = {
            "resident": str(_query_id(request, "resident") or ""),
            "collected_on": house_today(now, house["timezone"]).isoformat(),
            "collected_time": local.strftime("%H:%M"),
            "method": "urine_cup",
            "reason": reason if reason in services.REASON_LABELS else "",
            "observed": "yes",
            "specimen": "",
            FIELD: new_form_token(),
        }
        quick = request.query_params.get("quick") == "1"
        if quick:
            typed["reason"] = typed["reason"] or "random"
        return await self._form(
            request,
            house,
            FormResult(typed=typed),
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
        residents = await services.current_residents(house["id"])
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
        house = await get_house_for_user(user, house_id)
        data = await read_form(request)
        form = parse_screen(data, timezone=house["timezone"])
        token = token_from(data)
        form.typed[FIELD] = token or new_form_token()
        back_to_today = data.get("next") == "today"
        if token is None:
            form.errors["form"] = "This form is out of date. Check it and send it again."
        if form.ok and token is not None:

            async def record() -> str:
                screen_id = await services.record_screen(
                    actor_id=user.id, house_id=house_id, values=form.values, now=clock.now()
                )
                if back_to_today:
                    return f"/houses/{house_id}/screens#resident-{form.values['resident']}"
                return f"/screens/{screen_id}"

            try:
                url, new = await once(token, record, clock.now())
            except DomainError as exc:
                form.errors[exc.field or "form"] = exc.message
            else:
                await queue.enqueue("process_alert_events")  # best effort: the sweep follows
                return redirect(request, url, flash="Screen saved." if new else None)
        return await self._form(
            request,
            house,
            form,
            panel_id=form.values.get("panel"),
            status_code=FORM_ERROR_STATUS,
        )

    @get("/panels", name="panels:list")
    async def panels(self, request: Request[Any, Any, Any], house_id: FromPath[int]) -> Template:
        house = await get_house_for_user(require_user(request), house_id)
        return await self._panels(request, house, FormResult(typed={"substances": []}))

    async def _panels(
        self,
        request: Request[Any, Any, Any],
        house: dict[str, Any],
        form: FormResult,
        *,
        panel: dict[str, Any] | None = None,
        status_code: int = 200,
    ) -> Template:
        panels = await setup.house_panels(house["id"])
        current = next((p for p in panels if panel and p["id"] == panel["id"]), None)
        offered = await setup.substances(active_only=True)
        if current:  # a retired substance already on the panel stays offered
            ids = {s["id"] for s in offered}
            offered += [s for s in current["substances"] if s["id"] not in ids]
        return page(
            request,
            "screens/setup/panels.html",
            status_code=status_code,
            house=house,
            panels=panels,
            panel=current,
            offered=[(str(s["id"]), s["name"]) for s in offered],
            form=form,
        )

    async def _save_panel(
        self, request: Request[Any, Any, Any], house_id: int, panel: dict[str, Any] | None
    ) -> Any:
        user = require_user(request)
        house = await get_house_for_user(user, house_id)
        offered = {s["id"] for s in await setup.substances()}
        form = parse_panel(await read_form(request), offered=offered)
        if form.ok:
            try:
                await setup.save_panel(
                    actor_id=user.id,
                    house_id=house_id,
                    panel_id=panel["id"] if panel else None,
                    name=form.values["name"],
                    substance_ids=form.values["substances"],
                    now=clock.now(),
                )
            except DomainError as exc:
                form.errors[exc.field or "form"] = exc.message
            else:
                return redirect(request, f"/houses/{house_id}/panels", flash="Panel saved.")
        return await self._panels(request, house, form, panel=panel, status_code=FORM_ERROR_STATUS)

    @post("/panels", name="panels:create")
    async def create_panel(self, request: Request[Any, Any, Any], house_id: FromPath[int]) -> Any:
        return await self._save_panel(request, house_id, None)

    @get("/panels/{panel_id:int}", name="panels:edit")
    async def edit_panel(
        self, request: Request[Any, Any, Any], house_id: FromPath[int], panel_id: FromPath[int]
    ) -> Template:
        user = require_user(request)
        panel = await get_panel_for_user(user, house_id, panel_id)
        house = await get_house_for_user(user, house_id)
        panels = await setup.house_panels(house_id)
        current = next(p for p in panels if p["id"] == panel_id)
        typed = {"name": panel["name"], "substances": [str(s["id"]) for s in current["substances"]]}
        return await self._panels(request, house, FormResult(typed=typed), panel=panel)

    @post("/panels/{panel_id:int}", name="panels:save")
    async def save_panel(
        self, request: Request[Any, Any, Any], house_id: FromPath[int], panel_id: FromPath[int]
    ) -> Any:
        panel = await get_panel_for_user(require_user(request), house_id, panel_id)
        return await self._save_panel(request, house_id, panel)

    @post("/panels/{panel_id:int}/active", name="panels:active")
    async def panel_active(
        self, request: Request[Any, Any, Any], house_id: FromPath[int], panel_id: FromPath[int]
    ) -> Any:
        user = require_user(request)
        panel = await get_panel_for_user(user, house_id, panel_id)
        await setup.set_panel_active(
            actor_id=user.id,
            house_id=house_id,
            panel_id=panel_id,
            active=not panel["active"],
            now=clock.now(),
        )
        return redirect(
            request,
            f"/houses/{house_id}/panels",
            flash="Panel put back in use." if not panel["active"] else "Panel taken out of use.",
        )


class ScreenController(Controller):
    path = "/screens"

    @get("", guards=[resident_only], name="screens:mine")
    async def mine(self, request: Request[Any, Any, Any]) -> Template:
        user = require_user(request)
        return page(
            request, "screens/mine.html", screens=await services.my_screens(user.id), **LABELS
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
        screen = await get_screen_for_user(user, screen_id)
        form = parse_amendment(await read_form(request))
        if form.ok:
            try:
                await services.amend(
                    actor_id=user.id,
                    screen_id=screen_id,
                    field=form.values["field"],
                    value=form.values["value"],
                    reason=form.values["reason"],
                    now=clock.now(),
                )
            except DomainError as exc:
                form.errors[exc.field or "form"] = exc.message
            else:
                await queue.enqueue("process_alert_events")  # best effort: the sweep follows
                return redirect(request, f"/screens/{screen_id}", flash="Corrected.")
        return await _detail_page(request, screen, amend_form=form)

    @post("/{screen_id:int}/lab", guards=[staff_only], name="screens:lab")
    async def lab(
        self,
        request: Request[Any, Any, Any],
        screen_id: FromPath[int],
        queue: NamedDependency[Queue],
    ) -> Any:
        user = require_user(request)
        screen = await get_screen_for_user(user, screen_id)
        form = parse_lab(await read_form(request))
        if form.ok:
            now = clock.now()
            try:
                await services.lab_step(
                    actor_id=user.id,
                    screen_id=screen_id,
                    step=form.values["step"],
                    on=form.values["on"],
                    reference=form.values["reference"],
                    today=house_today(now, screen["timezone"]),
                    now=now,
                )
            except DomainError as exc:
                form.errors[exc.field or "form"] = exc.message
            else:
                flash = "Sent to the lab." if form.values["step"] == "send" else "Lab result saved."
                if form.values["step"] != "send":
                    await queue.enqueue("process_alert_events")  # best effort
                return redirect(request, f"/screens/{screen_id}", flash=flash)
        return await _detail_page(request, screen, lab_form=form)


async def _detail_page(
    request: Request[Any, Any, Any],
    screen: dict[str, Any],
    *,
    amend_form: FormResult | None = None,
    lab_form: FormResult | None = None,
) -> Template:
    """The screen's page; staff's view of it is audited first (the resident's own is not)."""
    user = require_user(request)
    now = clock.now()
    if user.id != screen["resident_user"]:
        await services.record_results_viewed(
            actor_id=user.id,
            page=f"screen:{screen['id']}",
            screen_ids=[screen["id"]],
            subject_id=screen["resident_user"],
            now=now,
            request_id=request_id(request),
        )
    failed = any(f is not None and not f.ok for f in (amend_form, lab_form))
    today = house_today(now, screen["timezone"]).isoformat()
    return page(
        request,
        "screens/detail.html",
        status_code=FORM_ERROR_STATUS if failed else 200,
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
        resident = await _resident(user, resident_id)
        screens = await services.resident_screens(resident_id, visible_house_ids(user))
        await services.record_results_viewed(
            actor_id=user.id,
            page=f"resident:{resident_id}:screens",
            screen_ids=[s["id"] for s in screens],
            subject_id=resident["user"],
            now=clock.now(),
            request_id=request_id(request),
        )
        return page(request, "screens/resident.html", resident=resident, screens=screens, **LABELS)

    @get("/prescriptions", name="prescriptions:list")
    async def prescriptions(
        self, request: Request[Any, Any, Any], resident_id: FromPath[int]
    ) -> Template:
        user = require_user(request)
        resident = await _resident(user, resident_id)
        return await _prescriptions_page(request, resident, FormResult())

    @post("/prescriptions", name="prescriptions:create")
    async def add_prescription(
        self, request: Request[Any, Any, Any], resident_id: FromPath[int]
    ) -> Any:
        user = require_user(request)
        resident = await _resident(user, resident_id)
        form = parse_prescription(await read_form(request))
        if form.ok:
            try:
                await setup.add_prescription(
                    actor_id=user.id, resident_id=resident_id, values=form.values, now=clock.now()
                )
            except DomainError as exc:
                form.errors[exc.field or "form"] = exc.message
            else:
                return redirect(
                    request, f"/residents/{resident_id}/prescriptions", flash="Prescription added."
                )
        return await _prescriptions_page(request, resident, form, status_code=FORM_ERROR_STATUS)


async def _resident(user: Any, resident_id: int) -> dict[str, Any]:
    await get_resident_for_user(user, resident_id)
    row: dict[str, Any] | None = (
        await Resident.select(Resident.id, Resident.preferred_name, Resident.user)
        .where(Resident.id == resident_id)
        .first()
    )
    if row is None:
        raise NotFoundException()
    return row


async def _prescriptions_page(
    request: Request[Any, Any, Any],
    resident: dict[str, Any],
    form: FormResult,
    *,
    end_form: FormResult | None = None,
    end_id: int | None = None,
    status_code: int = 200,
) -> Template:
    user = require_user(request)
    now = clock.now()
    rows = await setup.prescriptions_of(resident["id"])
    await record_access(
        actor_id=user.id,
        action="prescriptions_viewed",
        at=now,
        subject_id=resident["user"],
        record=f"resident:{resident['id']}:prescriptions",
        request_id=request_id(request),
    )
    today = now.date()
    for row in rows:
        row["current"] = setup.is_current(row, today)
    return page(
        request,
        "screens/setup/prescriptions.html",
        status_code=status_code,
        resident=resident,
        prescriptions=rows,
        substances=[(str(s["id"]), s["name"]) for s in await setup.substances(active_only=True)],
        form=form,
        end_form=end_form or FormResult(),
        end_id=end_id,
    )


class PrescriptionController(Controller):
    path = "/prescriptions"
    guards = [staff_only]  # noqa: RUF012 - Litestar reads this class attribute

    @post("/{prescription_id:int}/end", name="prescriptions:end")
    async def end(self, request: Request[Any, Any, Any], prescription_id: FromPath[int]) -> Any:
        user = require_user(request)
        prescription = await get_prescription_for_user(user, prescription_id)
        resident = await _resident(user, prescription["resident"])
        form = parse_end(await read_form(request))
        if form.ok:
            try:
                await setup.end_prescription(
                    actor_id=user.id,
                    prescription_id=prescription_id,
                    ends_on=form.values["ends_on"],
                    reason=form.values["reason"],
                    now=clock.now(),
                )
            except DomainError as exc:
                form.errors[exc.field or "form"] = exc.message
            else:
                return redirect(
                    request,
                    f"/residents/{resident['id']}/prescriptions",
                    flash="End date saved.",
                )
        return await _prescriptions_page(
            request,
            resident,
            FormResult(),
            end_form=form,
            end_id=prescription_id,
            status_code=FORM_ERROR_STATUS,
        )


class SubstanceController(Controller):
    """The substances screens test for: data an admin keeps (add, rename, retire)."""

    path = "/admin/substances"
    guards = [admin_only]  # noqa: RUF012 - Litestar reads this class attribute

    @get("", name="substances:list")
    async def listing(self, request: Request[Any, Any, Any]) -> Template:
        return await _substances_page(request, FormResult())

    @post("", name="substances:create")
    async def create(self, request: Request[Any, Any, Any]) -> Any:
        user = require_user(request)
        form = parse_substance(await read_form(request))
        if form.ok:
            try:
                await setup.add_substance(
                    actor_id=user.id, name=form.values["name"], now=clock.now()
                )
            except DomainError as exc:
                form.errors[exc.field or "form"] = exc.message
            else:
                return redirect(request, "/admin/substances", flash="Substance added.")
        return await _substances_page(request, form, status_code=FORM_ERROR_STATUS)

    @post("/{substance_id:int}", name="substances:rename")
    async def rename(self, request: Request[Any, Any, Any], substance_id: FromPath[int]) -> Any:
        user = require_user(request)
        await _substance(substance_id)
        form = parse_substance(await read_form(request), with_reason=True)
        if form.ok:
            try:
                await setup.rename_substance(
                    actor_id=user.id,
                    substance_id=substance_id,
                    name=form.values["name"],
                    reason=form.values["reason"],
                    now=clock.now(),
                )
            except DomainError as exc:
                form.errors[exc.field or "form"] = exc.message
            else:
                return redirect(request, "/admin/substances", flash="Renamed.")
        return await _substances_page(
            request,
            FormResult(),
            rename_form=form,
            rename_id=substance_id,
            status_code=FORM_ERROR_STATUS,
        )

    @post("/{substance_id:int}/active", name="substances:active")
    async def active(self, request: Request[Any, Any, Any], substance_id: FromPath[int]) -> Any:
        user = require_user(request)
        substance = await _substance(substance_id)
        await setup.set_substance_active(
            actor_id=user.id,
            substance_id=substance_id,
            active=not substance["active"],
            now=clock.now(),
        )
        return redirect(
            request,
            "/admin/substances",
            flash="Brought back." if not substance["active"] else "Retired.",
        )


async def _substance(substance_id: int) -> dict[str, Any]:
    row = next((s for s in await setup.substances() if s["id"] == substance_id), None)
    if row is None:
        raise NotFoundException()
    return row


async def _substances_page(
    request: Request[Any, Any, Any],
    form: FormResult,
    *,
    rename_form: FormResult | None = None,
    rename_id: int | None = None,
    status_code: int = 200,
) -> Template:
    return page(
        request,
        "screens/setup/substances.html",
        status_code=status_code,
        substances=await setup.substances(),
        form=form,
        rename_form=rename_form or FormResult(),
        rename_id=rename_id,
    )


ROUTES: list[Any] = [
    HouseScreensController,
    ScreenController,
    ResidentScreensController,
    PrescriptionController,
    SubstanceController,
    *random_views.ROUTES,
]
