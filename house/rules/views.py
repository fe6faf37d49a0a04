"""House rules for staff (read, publish a new version, copy from another house, who signed)
and for residents (read the current version and sign it)."""

from __future__ import annotations

from functools import partial
from typing import Any

from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Template

from house.houses.access import get_house_for_user, get_rw_house_for_user
from house.lib import clock
from house.lib.errors import DomainError
from house.lib.forms import FormResult
from house.rules import services
from house.rules.forms import BLANK_ROWS, parse_rules, parse_signature
from house.web.access import admin_only, require_user, resident_only, staff_only
from house.web.forms import submit
from house.web.render import page, read_form, redirect


def _editor_typed(version: dict[str, Any] | None) -> tuple[dict[str, str], int]:
    rules = version["rules"] if version else []
    typed: dict[str, str] = {}
    for i, rule in enumerate(rules):
        typed |= {
            f"number-{i}": str(rule["number"]),
            f"text-{i}": rule["text"],
            f"category-{i}": rule["category"],
            f"consequence-{i}": rule["consequence"],
        }
    next_number = (rules[-1]["number"] + 1) if rules else 1
    for j in range(BLANK_ROWS):
        typed[f"number-{len(rules) + j}"] = str(next_number + j)
    return typed, len(rules) + BLANK_ROWS


def _editor_page(
    request: Request[Any, Any, Any],
    house: dict[str, Any],
    version: dict[str, Any] | None,
    form: FormResult,
    rows: int,
    status_code: int = 200,
) -> Template:
    """The editor of a new version, beside the current `version`."""
    return page(
        request,
        "rules/edit.html",
        status_code=status_code,
        house=house,
        version=version,
        form=form,
        rows=rows,
    )


async def _mine_page(
    request: Request[Any, Any, Any], form: FormResult, status_code: int = 200
) -> Template:
    """A resident's house rules, with the form to sign the current version."""
    mine = await services.my_rules(require_user(request).id)
    return page(request, "rules/mine.html", status_code=status_code, mine=mine, form=form)


class HouseRulesController(Controller):
    path = "/houses/{house_id:int}/rules"

    @get("", guards=[staff_only], name="rules:house")
    async def rules(self, request: Request[Any, Any, Any], house_id: FromPath[int]) -> Template:
        house = await get_house_for_user(require_user(request), house_id)
        version = await services.current_version(house_id)
        versions = await services.versions(house_id)
        status = await services.signing_status(house_id, version["id"] if version else None)
        others = await services.other_houses(house_id)
        return page(
            request,
            "rules/house.html",
            house=house,
            version=version,
            versions=versions,
            status=status,
            unsigned=[s for s in status if s["signed_at"] is None],
            others=others,
        )

    @get("/edit", guards=[staff_only], name="rules:edit")
    async def edit(self, request: Request[Any, Any, Any], house_id: FromPath[int]) -> Template:
        house = await get_house_for_user(require_user(request), house_id)
        version = await services.current_version(house_id)
        typed, rows = _editor_typed(version)
        return _editor_page(request, house, version, FormResult(typed=typed), rows)

    @post("", guards=[staff_only], name="rules:publish")
    async def publish(self, request: Request[Any, Any, Any], house_id: FromPath[int]) -> Any:
        user = require_user(request)
        house = await get_rw_house_for_user(user, house_id)
        form = parse_rules(await read_form(request))
        published: list[int] = []

        async def change() -> str:
            published.append(
                await services.publish(
                    actor_id=user.id,
                    house_id=house_id,
                    rules=form.values["rules"],
                    note=form.values["note"],
                    now=clock.now(),
                )
            )
            return f"/houses/{house_id}/rules"

        async def render(form: FormResult, status: int) -> Template:
            version = await services.current_version(house_id)
            rows = max(form.values.get("row_count", 0), 1)
            return _editor_page(request, house, version, form, rows, status)

        def flash(_: str) -> str:
            return f"Version {published[0]} published. Every resident signs it again."

        return await submit(request, form, change, render, flash=flash)

    @post("/copy", guards=[admin_only], name="rules:copy")
    async def copy(self, request: Request[Any, Any, Any], house_id: FromPath[int]) -> Any:
        user = require_user(request)
        await get_rw_house_for_user(user, house_id)
        source = (await read_form(request)).get("source", "")
        if not isinstance(source, str) or not source.isdigit() or len(source) > 12:
            raise NotFoundException()
        await get_house_for_user(user, int(source))
        try:
            version = await services.copy_rules(
                actor_id=user.id, from_house=int(source), to_house=house_id, now=clock.now()
            )
        except DomainError as exc:
            return redirect(request, f"/houses/{house_id}/rules", flash=exc.message)
        return redirect(request, f"/houses/{house_id}/rules", flash=f"Copied as version {version}.")


class MyRulesController(Controller):
    guards = [resident_only]  # noqa: RUF012 - Litestar reads this class attribute

    @get("/rules", name="rules:mine")
    async def mine(self, request: Request[Any, Any, Any]) -> Template:
        return await _mine_page(request, FormResult())

    @post("/rules/sign", name="rules:sign")
    async def sign(self, request: Request[Any, Any, Any]) -> Any:
        user = require_user(request)
        form = parse_signature(await read_form(request))

        async def change() -> str:
            await services.sign(
                user_id=user.id,
                rule_set_id=form.values["rule_set"],
                name_typed=form.values["name"],
                now=clock.now(),
            )
            return "/"

        again = partial(_mine_page, request)
        thanks = "Thank you. You have signed the house rules."
        return await submit(request, form, change, again, flash=thanks)
