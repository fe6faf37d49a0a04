"""Contingency management for staff (the house's residents, a resident's ledger with the
redeem form, the house's CM settings) and for residents (their own ledger).

A ledger reveals screen outcomes: every staff view of one writes an audit row first; the
resident's view of their own does not.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Template

from house.cm import rules, services
from house.cm.forms import (
    BOWL_FIELDS,
    SCHEDULE_LABELS,
    parse_redeem,
    parse_settings,
    typed_settings,
)
from house.houses.access import get_house_for_user
from house.lib import clock
from house.lib.errors import DomainError
from house.lib.forms import FormResult
from house.web.access import require_user, resident_only, staff_only, visible_house_ids
from house.web.once import FIELD, new_form_token, once, token_from
from house.web.render import FORM_ERROR_STATUS, page, read_form, redirect, request_id

LABELS: dict[str, Any] = {
    "dollars": rules.dollars,
    "prize_labels": services.PRIZE_LABELS,
    "schedule_labels": SCHEDULE_LABELS,
}


class HouseCmController(Controller):
    path = "/houses/{house_id:int}/cm"
    guards = [staff_only]  # noqa: RUF012 - Litestar reads this class attribute

    @get("", name="cm:house")
    async def house(self, request: Request[Any, Any, Any], house_id: FromPath[int]) -> Template:
        house = await get_house_for_user(require_user(request), house_id)
        settings = rules.settings_of(house)
        return page(
            request,
            "cm/house.html",
            house=house,
            settings=settings,
            next_first=rules.next_reward(0, settings),
            residents=await services.house_overview(house_id) if settings.on else [],
            **LABELS,
        )

    @get("/settings", name="cm:settings")
    async def settings(self, request: Request[Any, Any, Any], house_id: FromPath[int]) -> Template:
        house = await get_house_for_user(require_user(request), house_id)
        return _settings_page(request, house, FormResult(typed=typed_settings(house)))

    @post("/settings", name="cm:save_settings")
    async def save_settings(self, request: Request[Any, Any, Any], house_id: FromPath[int]) -> Any:
        user = require_user(request)
        house = await get_house_for_user(user, house_id)
        form = parse_settings(await read_form(request))
        if form.ok:
            try:
                await services.save_settings(
                    actor_id=user.id,
                    house_id=house_id,
                    values=form.values,
                    version=form.values["version"],
                    now=clock.now(),
                )
            except DomainError as exc:
                form.errors[exc.field or "form"] = exc.message
                form.typed["version"] = str(house["version"])
            else:
                schedule = form.values["schedule"]
                flash = f"Saved: {SCHEDULE_LABELS[schedule].lower()}." if schedule else None
                return redirect(
                    request, f"/houses/{house_id}/cm", flash=flash or "Saved: CM is off."
                )
        return _settings_page(request, house, form, FORM_ERROR_STATUS)


def _settings_page(
    request: Request[Any, Any, Any], house: dict[str, Any], form: FormResult, status: int = 200
) -> Template:
    return page(
        request,
        "cm/settings.html",
        status_code=status,
        house=house,
        form=form,
        bowl_fields=BOWL_FIELDS,
        **LABELS,
    )


class LedgerController(Controller):
    path = "/residents/{resident_id:int}/cm"
    guards = [staff_only]  # noqa: RUF012 - Litestar reads this class attribute

    @get("", name="cm:ledger")
    async def ledger(self, request: Request[Any, Any, Any], resident_id: FromPath[int]) -> Template:
        stay = await _stay_for(request, resident_id)
        return await _ledger_page(request, stay, FormResult(typed={FIELD: new_form_token()}))

    @post("/redeem", name="cm:redeem")
    async def redeem(self, request: Request[Any, Any, Any], resident_id: FromPath[int]) -> Any:
        user = require_user(request)
        stay = await _stay_for(request, resident_id)
        data = await read_form(request)
        form = parse_redeem(data)
        token = token_from(data)
        form.typed[FIELD] = token or new_form_token()
        if token is None:
            form.errors["form"] = "This form is out of date. Check it and send it again."
        if form.ok and token is not None:

            async def change() -> str:
                await services.redeem(
                    actor_id=user.id,
                    resident_id=resident_id,
                    house_id=stay["house"],
                    stay_id=stay["id"],
                    what=form.values["what"],
                    cents=form.values["value"],
                    now=clock.now(),
                    request_id=request_id(request),
                )
                return f"/residents/{resident_id}/cm"

            try:
                url, new = await once(token, change, clock.now())
            except DomainError as exc:
                form.errors[exc.field or "form"] = exc.message
            else:
                flash = f"Redeemed {rules.dollars(form.values['value'])}: {form.values['what']}."
                return redirect(request, url, flash=flash if new else None)
        return await _ledger_page(request, stay, form, FORM_ERROR_STATUS)


async def _stay_for(request: Request[Any, Any, Any], resident_id: int) -> dict[str, Any]:
    """The resident's stay in a house the user works in (the ledger's house), or 404."""
    stay = await services.stay_for_ledger(resident_id, visible_house_ids(require_user(request)))
    if stay is None:
        raise NotFoundException()
    return stay


async def _ledger_page(
    request: Request[Any, Any, Any], stay: dict[str, Any], form: FormResult, status: int = 200
) -> Template:
    user = require_user(request)
    await services.record_ledger_view(
        actor_id=user.id, stay=stay, now=clock.now(), request_id=request_id(request)
    )
    ledger = await services.ledger(stay["resident"], stay["house"], rules.settings_of(stay))
    return page(
        request,
        "cm/ledger.html",
        status_code=status,
        stay=stay,
        ledger=ledger,
        form=form,
        **LABELS,
    )


class MyCmController(Controller):
    guards = [resident_only]  # noqa: RUF012 - Litestar reads this class attribute

    @get("/cm", name="cm:mine")
    async def mine(self, request: Request[Any, Any, Any]) -> Template:
        stay = await services.my_stay(require_user(request).id)
        ledger = None
        if stay is not None:
            ledger = await services.ledger(stay["resident"], stay["house"], rules.settings_of(stay))
        return page(request, "cm/mine.html", stay=stay, ledger=ledger, **LABELS)


ROUTES: list[Any] = [HouseCmController, LedgerController, MyCmController]
