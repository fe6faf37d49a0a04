"""What screens test for: a house's panels (staff), a resident's disclosed prescriptions
(staff of their house; every view is audited) and the program's substances (admins)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Template

from house.houses.access import get_house_for_user, get_rw_house_for_user
from house.lib import clock
from house.lib.dates import house_today
from house.lib.forms import FormResult
from house.screens.access import (
    get_rw_screened_resident_for_user,
    get_screened_resident_for_user,
)
from house.screens.setup import services
from house.screens.setup.access import (
    get_panel_for_user,
    get_rw_panel_for_user,
    get_rw_prescription_for_user,
    get_substance,
)
from house.screens.setup.forms import parse_end, parse_panel, parse_prescription, parse_substance
from house.web.access import admin_only, require_user, staff_only
from house.web.forms import fresh, submit
from house.web.render import page, read_form, redirect, request_id


class PanelController(Controller):
    """A house's panels: the sets of substances a screen tests for."""

    path = "/houses/{house_id:int}/panels"
    guards = [staff_only]  # noqa: RUF012 - Litestar reads this class attribute

    @get("", name="panels:list")
    async def panels(self, request: Request[Any, Any, Any], house_id: FromPath[int]) -> Template:
        house = await get_house_for_user(require_user(request), house_id)
        return await _panels_page(request, house, FormResult(typed={"substances": []}))

    @post("", name="panels:create")
    async def create_panel(self, request: Request[Any, Any, Any], house_id: FromPath[int]) -> Any:
        return await _save_panel(request, house_id, None)

    @get("/{panel_id:int}", name="panels:edit")
    async def edit_panel(
        self, request: Request[Any, Any, Any], house_id: FromPath[int], panel_id: FromPath[int]
    ) -> Template:
        user = require_user(request)
        panel = await get_panel_for_user(user, house_id, panel_id)
        house = await get_house_for_user(user, house_id)
        current = next(p for p in await services.house_panels(house_id) if p["id"] == panel_id)
        typed = {"name": panel["name"], "substances": [str(s["id"]) for s in current["substances"]]}
        return await _panels_page(request, house, FormResult(typed=typed), panel=panel)

    @post("/{panel_id:int}", name="panels:save")
    async def save_panel(
        self, request: Request[Any, Any, Any], house_id: FromPath[int], panel_id: FromPath[int]
    ) -> Any:
        panel = await get_rw_panel_for_user(require_user(request), house_id, panel_id)
        return await _save_panel(request, house_id, panel)

    @post("/{panel_id:int}/active", name="panels:active")
    async def panel_active(
        self, request: Request[Any, Any, Any], house_id: FromPath[int], panel_id: FromPath[int]
    ) -> Any:
        user = require_user(request)
        panel = await get_rw_panel_for_user(user, house_id, panel_id)
        await services.set_panel_active(
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


async def _save_panel(
    request: Request[Any, Any, Any], house_id: int, panel: dict[str, Any] | None
) -> Any:
    user = require_user(request)
    house = await get_rw_house_for_user(user, house_id)
    offered = {s["id"] for s in await services.substances()}
    form = parse_panel(await read_form(request), offered=offered)

    async def save() -> str:
        await services.save_panel(
            actor_id=user.id,
            house_id=house_id,
            panel_id=panel["id"] if panel else None,
            name=form.values["name"],
            substance_ids=form.values["substances"],
            now=clock.now(),
        )
        return f"/houses/{house_id}/panels"

    async def again(form: FormResult, status: int) -> Template:
        return await _panels_page(request, house, form, panel=panel, status_code=status)

    return await submit(request, form, save, again, flash="Panel saved.")


async def _panels_page(
    request: Request[Any, Any, Any],
    house: dict[str, Any],
    form: FormResult,
    *,
    panel: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Template:
    panels = await services.house_panels(house["id"])
    current = next((p for p in panels if panel and p["id"] == panel["id"]), None)
    offered = await services.substances(active_only=True)
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


class ResidentPrescriptionsController(Controller):
    """A resident's disclosed prescriptions, for staff of their house."""

    path = "/residents/{resident_id:int}/prescriptions"
    guards = [staff_only]  # noqa: RUF012 - Litestar reads this class attribute

    @get("", name="prescriptions:list")
    async def prescriptions(
        self, request: Request[Any, Any, Any], resident_id: FromPath[int]
    ) -> Template:
        resident = await get_screened_resident_for_user(require_user(request), resident_id)
        return await _prescriptions_page(request, resident, fresh())

    @post("", name="prescriptions:create")
    async def add_prescription(
        self, request: Request[Any, Any, Any], resident_id: FromPath[int]
    ) -> Any:
        user = require_user(request)
        resident = await get_rw_screened_resident_for_user(user, resident_id)
        data = await read_form(request)
        form = parse_prescription(data)

        async def add() -> str:
            await services.add_prescription(
                actor_id=user.id, resident_id=resident_id, values=form.values, now=clock.now()
            )
            return f"/residents/{resident_id}/prescriptions"

        async def again(form: FormResult, status: int) -> Template:
            return await _prescriptions_page(request, resident, form, status_code=status)

        return await submit(request, form, add, again, flash="Prescription added.", data=data)


class PrescriptionController(Controller):
    path = "/prescriptions"
    guards = [staff_only]  # noqa: RUF012 - Litestar reads this class attribute

    @post("/{prescription_id:int}/end", name="prescriptions:end")
    async def end(self, request: Request[Any, Any, Any], prescription_id: FromPath[int]) -> Any:
        user = require_user(request)
        prescription = await get_rw_prescription_for_user(user, prescription_id)
        resident = await get_screened_resident_for_user(user, prescription["resident"])
        form = parse_end(await read_form(request))

        async def end() -> str:
            await services.end_prescription(
                actor_id=user.id,
                prescription_id=prescription_id,
                ends_on=form.values["ends_on"],
                reason=form.values["reason"],
                now=clock.now(),
            )
            return f"/residents/{resident['id']}/prescriptions"

        async def again(form: FormResult, status: int) -> Template:
            return await _prescriptions_page(
                request,
                resident,
                FormResult(),
                end_form=form,
                end_id=prescription_id,
                status_code=status,
            )

        return await submit(request, form, end, again, flash="End date saved.")


async def _prescriptions_page(
    request: Request[Any, Any, Any],
    resident: dict[str, Any],
    form: FormResult,
    *,
    end_form: FormResult | None = None,
    end_id: int | None = None,
    status_code: int = 200,
) -> Template:
    """The prescriptions page; its view is written to the audit log first."""
    user = require_user(request)
    now = clock.now()
    if "starts_on" not in form.typed:  # a fresh form: it started today, in house time
        form.typed["starts_on"] = house_today(now, resident["timezone"]).isoformat()
    rows = await services.viewed_prescriptions(
        actor_id=user.id, resident=resident, now=now, request_id=request_id(request)
    )
    return page(
        request,
        "screens/setup/prescriptions.html",
        status_code=status_code,
        resident=resident,
        prescriptions=rows,
        substances=[(str(s["id"]), s["name"]) for s in await services.substances(active_only=True)],
        form=form,
        end_form=end_form or FormResult(),
        end_id=end_id,
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

        async def add() -> str:
            await services.add_substance(
                actor_id=user.id, name=form.values["name"], now=clock.now()
            )
            return "/admin/substances"

        async def again(form: FormResult, status: int) -> Template:
            return await _substances_page(request, form, status_code=status)

        return await submit(request, form, add, again, flash="Substance added.")

    @post("/{substance_id:int}", name="substances:rename")
    async def rename(self, request: Request[Any, Any, Any], substance_id: FromPath[int]) -> Any:
        user = require_user(request)
        await get_substance(substance_id)
        form = parse_substance(await read_form(request), with_reason=True)

        async def rename() -> str:
            await services.rename_substance(
                actor_id=user.id,
                substance_id=substance_id,
                name=form.values["name"],
                reason=form.values["reason"],
                now=clock.now(),
            )
            return "/admin/substances"

        async def again(form: FormResult, status: int) -> Template:
            return await _substances_page(
                request, FormResult(), rename_form=form, rename_id=substance_id, status_code=status
            )

        return await submit(request, form, rename, again, flash="Renamed.")

    @post("/{substance_id:int}/active", name="substances:active")
    async def active(self, request: Request[Any, Any, Any], substance_id: FromPath[int]) -> Any:
        user = require_user(request)
        substance = await get_substance(substance_id)
        await services.set_substance_active(
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
        substances=await services.substances(),
        form=form,
        rename_form=rename_form or FormResult(),
        rename_id=rename_id,
    )


ROUTES: list[Any] = [
    PanelController,
    ResidentPrescriptionsController,
    PrescriptionController,
    SubstanceController,
]
