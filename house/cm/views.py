"""Contingency management for staff (the house's residents, a resident's ledger with the
redeem form, the house's CM settings) and for residents (their own ledger).

A ledger reveals screen outcomes: every staff view of one writes an audit row first; the
resident's view of their own does not.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Template

from house.cm import ledger, rules, services
from house.cm.access import get_ledger_stay_for_user, get_rw_ledger_stay_for_user
from house.cm.forms import (
    BOWL_FIELDS,
    SCHEDULE_LABELS,
    parse_redeem,
    parse_settings,
    typed_settings,
)
from house.houses.access import get_house_for_user, get_rw_house_for_user
from house.lib import clock
from house.lib.forms import FormResult
from house.screens.settings_form import post_settings
from house.web.access import require_user, resident_only, staff_only
from house.web.forms import fresh, submit
from house.web.render import page, read_form, request_id

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
            residents=await ledger.house_overview(house_id) if settings.on else [],
            **LABELS,
        )

    @get("/settings", name="cm:settings")
    async def settings(self, request: Request[Any, Any, Any], house_id: FromPath[int]) -> Template:
        house = await get_house_for_user(require_user(request), house_id)
        return _settings_page(request, house, FormResult(typed=typed_settings(house)))

    @post("/settings", name="cm:save_settings")
    async def save_settings(self, request: Request[Any, Any, Any], house_id: FromPath[int]) -> Any:
        house = await get_rw_house_for_user(require_user(request), house_id)
        form = parse_settings(await read_form(request))

        async def again(form: FormResult, status: int) -> Template:
            return _settings_page(request, house, form, status)

        def saved(_: str) -> str:
            schedule = form.values["schedule"]
            return f"Saved: {SCHEDULE_LABELS[schedule].lower() if schedule else 'CM is off'}."

        to = f"/houses/{house_id}/cm"
        return await post_settings(
            request, house, form, services.save_settings, again, to=to, flash=saved
        )


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
        stay = await get_ledger_stay_for_user(require_user(request), resident_id)
        return await _ledger_page(request, stay, fresh())

    @post("/redeem", name="cm:redeem")
    async def redeem(self, request: Request[Any, Any, Any], resident_id: FromPath[int]) -> Any:
        user = require_user(request)
        stay = await get_rw_ledger_stay_for_user(user, resident_id)
        data = await read_form(request)
        form = parse_redeem(data)

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

        async def again(form: FormResult, status: int) -> Template:
            return await _ledger_page(request, stay, form, status)

        def redeemed(_: str) -> str:
            return f"Redeemed {rules.dollars(form.values['value'])}: {form.values['what']}."

        return await submit(request, form, change, again, flash=redeemed, data=data)


async def _ledger_page(
    request: Request[Any, Any, Any], stay: dict[str, Any], form: FormResult, status: int = 200
) -> Template:
    user = require_user(request)
    await services.record_ledger_view(
        actor_id=user.id, stay=stay, now=clock.now(), request_id=request_id(request)
    )
    return page(
        request,
        "cm/ledger.html",
        status_code=status,
        stay=stay,
        ledger=await ledger.ledger(stay["resident"], stay["house"], rules.settings_of(stay)),
        form=form,
        **LABELS,
    )


class MyCmController(Controller):
    guards = [resident_only]  # noqa: RUF012 - Litestar reads this class attribute

    @get("/cm", name="cm:mine")
    async def mine(self, request: Request[Any, Any, Any]) -> Template:
        stay = await ledger.my_stay(require_user(request).id)
        entries = None
        if stay is not None:
            entries = await ledger.ledger(stay["resident"], stay["house"], rules.settings_of(stay))
        return page(request, "cm/mine.html", stay=stay, ledger=entries, **LABELS)


ROUTES: list[Any] = [HouseCmController, LedgerController, MyCmController]
