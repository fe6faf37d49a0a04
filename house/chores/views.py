"""Chores for staff (the house's chores, the day's list ticked with one tap, the week's
rotation with make, regenerate and swap) and for residents (their week, "Done", the chart)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Template

from house.accounts.sessions import CurrentUser
from house.chores import services, weeks
from house.chores.forms import (
    DAY_NAMES,
    FREQUENCY_LABELS,
    WEIGHT_LABELS,
    parse_chore,
    parse_correction,
    parse_note,
    parse_swap,
    parse_week,
)
from house.chores.rotation import week_start_of
from house.houses.access import get_house_for_user
from house.lib import clock
from house.lib.dates import house_today, parse_date
from house.lib.errors import DomainError, NotFound
from house.lib.forms import FormResult
from house.web.access import require_user, resident_only, staff_only, visible_house_ids
from house.web.once import FIELD, new_form_token, once, token_from
from house.web.render import FORM_ERROR_STATUS, is_partial, page, read_form, redirect

CONFLICT_STATUS = 409
CHOICES: dict[str, Any] = {
    "frequencies": FREQUENCY_LABELS,
    "day_names": DAY_NAMES,
    "weights": WEIGHT_LABELS,
}


def _day_arg(raw: str | None, today: dt.date) -> tuple[dt.date, str]:
    """A `?day=` / `?week=` value, or today with a note saying why."""
    if not raw:
        return today, ""
    value = parse_date(raw[:20])
    if value is None:
        return today, "That is not a date: showing today."
    return value, ""


def _chore_typed(chore: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": chore["name"],
        "area": chore["area"],
        "instructions": chore["instructions"],
        "frequency": chore["frequency"],
        "weekdays": [d for d in chore["weekdays"].split(",") if d],
        "weight": str(chore["weight"]),
    }


class HouseChoresController(Controller):
    path = "/houses/{house_id:int}/chores"
    guards = [staff_only]  # noqa: RUF012 - Litestar reads this class attribute

    async def _list(
        self, request: Request[Any, Any, Any], house: dict[str, Any], form: FormResult, status: int
    ) -> Template:
        return page(
            request,
            "chores/list.html",
            status_code=status,
            house=house,
            chores=await services.chores_of(house["id"]),
            form=form,
            **CHOICES,
        )

    @get("", name="chores:list")
    async def chores(self, request: Request[Any, Any, Any], house_id: FromPath[int]) -> Template:
        house = await get_house_for_user(require_user(request), house_id)
        form = FormResult(typed={"frequency": "daily", "weight": "1", FIELD: new_form_token()})
        return await self._list(request, house, form, 200)

    @post("", name="chores:add")
    async def add(self, request: Request[Any, Any, Any], house_id: FromPath[int]) -> Any:
        user = require_user(request)
        house = await get_house_for_user(user, house_id)
        data = await read_form(request)
        form = parse_chore(data, data.getall("weekdays", []))
        token = token_from(data)
        form.typed[FIELD] = token or new_form_token()
        if token is None:
            form.errors["form"] = "This form is out of date. Check it and send it again."
        if form.ok and token is not None:
            now = clock.now()

            async def change() -> str:
                await services.add_chore(
                    actor_id=user.id, house_id=house_id, values=form.values, now=now
                )
                return f"/houses/{house_id}/chores"

            url, new = await once(token, change, now)
            flash = f"Added “{form.values['name']}”." if new else None
            return redirect(request, url, flash=flash)
        return await self._list(request, house, form, FORM_ERROR_STATUS)

    @get("/{chore_id:int}", name="chores:edit")
    async def edit(
        self, request: Request[Any, Any, Any], house_id: FromPath[int], chore_id: FromPath[int]
    ) -> Template:
        house = await get_house_for_user(require_user(request), house_id)
        chore = await _chore(house_id, chore_id)
        return page(
            request,
            "chores/edit.html",
            house=house,
            chore=chore,
            form=FormResult(typed=_chore_typed(chore)),
            **CHOICES,
        )

    @post("/{chore_id:int}", name="chores:update")
    async def update(
        self, request: Request[Any, Any, Any], house_id: FromPath[int], chore_id: FromPath[int]
    ) -> Any:
        user = require_user(request)
        house = await get_house_for_user(user, house_id)
        chore = await _chore(house_id, chore_id)
        data = await read_form(request)
        form = parse_chore(data, data.getall("weekdays", []))
        if form.ok:
            await services.update_chore(
                actor_id=user.id,
                house_id=house_id,
                chore_id=chore_id,
                values=form.values,
                now=clock.now(),
            )
            return redirect(request, f"/houses/{house_id}/chores", flash="Saved.")
        return page(
            request,
            "chores/edit.html",
            status_code=FORM_ERROR_STATUS,
            house=house,
            chore=chore,
            form=form,
            **CHOICES,
        )

    @post("/{chore_id:int}/deactivate", name="chores:deactivate")
    async def deactivate(
        self, request: Request[Any, Any, Any], house_id: FromPath[int], chore_id: FromPath[int]
    ) -> Any:
        return await self._set_active(request, house_id, chore_id, active=False)

    @post("/{chore_id:int}/activate", name="chores:activate")
    async def activate(
        self, request: Request[Any, Any, Any], house_id: FromPath[int], chore_id: FromPath[int]
    ) -> Any:
        return await self._set_active(request, house_id, chore_id, active=True)

    async def _set_active(
        self, request: Request[Any, Any, Any], house_id: int, chore_id: int, *, active: bool
    ) -> Any:
        user = require_user(request)
        await get_house_for_user(user, house_id)
        chore = await _chore(house_id, chore_id)
        await services.set_chore_active(
            actor_id=user.id, house_id=house_id, chore_id=chore_id, active=active, now=clock.now()
        )
        state = "back in the rotation" if active else "left out of new rotations"
        return redirect(request, f"/houses/{house_id}/chores", flash=f"“{chore['name']}” {state}.")

    @get("/day", name="chores:day")
    async def day(self, request: Request[Any, Any, Any], house_id: FromPath[int]) -> Template:
        house = await get_house_for_user(require_user(request), house_id)
        return await day_page(request, house, request.query_params.get("day"))

    @get("/week", name="chores:week")
    async def week(self, request: Request[Any, Any, Any], house_id: FromPath[int]) -> Template:
        house = await get_house_for_user(require_user(request), house_id)
        today = house_today(clock.now(), house["timezone"])
        chosen, note = _day_arg(request.query_params.get("week"), today)
        return await week_page(request, house, week_start_of(chosen), today, note=note)

    @post("/week", name="chores:make")
    async def make(self, request: Request[Any, Any, Any], house_id: FromPath[int]) -> Any:
        user = require_user(request)
        house = await get_house_for_user(user, house_id)
        now = clock.now()
        today = house_today(now, house["timezone"])
        form = parse_week(await read_form(request))
        if form.ok:
            week = week_start_of(form.values["week"])
            try:
                made = await weeks.generate_rotation(
                    house_id=house_id,
                    week_start=week,
                    today=today,
                    now=now,
                    actor_id=user.id,
                    regenerate=form.values["regenerate"],
                )
            except DomainError as exc:
                form.errors[exc.field or "week"] = exc.message
            else:
                return redirect(
                    request, f"/houses/{house_id}/chores/week?week={week}", flash=_made(made)
                )
        week = week_start_of(form.values["week"] or today)
        return await week_page(request, house, week, today, form=form, status=FORM_ERROR_STATUS)

    @post("/swap", name="chores:swap")
    async def swap(self, request: Request[Any, Any, Any], house_id: FromPath[int]) -> Any:
        user = require_user(request)
        house = await get_house_for_user(user, house_id)
        now = clock.now()
        today = house_today(now, house["timezone"])
        form = parse_swap(await read_form(request))
        if form.ok:
            try:
                await services.swap(
                    actor_id=user.id,
                    house_id=house_id,
                    first=form.values["first"],
                    second=form.values["second"],
                    today=today,
                    now=now,
                )
            except NotFound:
                raise NotFoundException() from None
            except DomainError as exc:
                form.errors[exc.field or "second"] = exc.message
            else:
                week = week_start_of(form.values["week"] or today)
                return redirect(
                    request, f"/houses/{house_id}/chores/week?week={week}", flash="Swapped."
                )
        week = week_start_of(form.values.get("week") or today)
        return await week_page(
            request, house, week, today, swap_form=form, status=FORM_ERROR_STATUS
        )


def _made(made: weeks.Made) -> str:
    if not made.created and not made.assignments:
        return "This week's rotation was already made."
    text = f"Rotation made: {made.assignments} chores given out."
    if made.unfilled:
        text += f" {len(made.unfilled)} had nobody in the house that day."
    return text


async def _chore(house_id: int, chore_id: int) -> dict[str, Any]:
    try:
        return await services.get_chore(house_id, chore_id)
    except NotFound:
        raise NotFoundException() from None


async def day_page(
    request: Request[Any, Any, Any],
    house: dict[str, Any],
    raw_day: str | None,
    *,
    failed: dict[str, Any] | None = None,
    status: int = 200,
) -> Template:
    today = house_today(clock.now(), house["timezone"])
    day, note = _day_arg(raw_day, today)
    rows = await services.day_list(house["id"], day)
    return page(
        request,
        "chores/day.html",
        status_code=status,
        house=house,
        day=day,
        today=today,
        note=note,
        rows=rows,
        left=_left(rows),
        failed=failed or {},
        prev_day=day - dt.timedelta(days=1),
        next_day=day + dt.timedelta(days=1),
    )


def _left(rows: list[dict[str, Any]]) -> int:
    """Chores of a day still to check (not verified, excused or missed)."""
    return sum(1 for r in rows if r["status"] in ("pending", "done", "sent_back"))


async def week_page(
    request: Request[Any, Any, Any],
    house: dict[str, Any],
    week: dt.date,
    today: dt.date,
    *,
    note: str = "",
    form: FormResult | None = None,
    swap_form: FormResult | None = None,
    status: int = 200,
) -> Template:
    grid = await services.week_grid(house["id"], week)
    swappable = [r for r in grid["rows"] if r["status"] == "pending" and r["day"] >= today]
    return page(
        request,
        "chores/week.html",
        status_code=status,
        house=house,
        week=week,
        today=today,
        note=note,
        week_over=services.week_end(week) < today,
        form=form or FormResult(),
        swap_form=swap_form or FormResult(),
        swappable=swappable,
        prev_week=week - dt.timedelta(weeks=1),
        next_week=week + dt.timedelta(weeks=1),
        day_names=DAY_NAMES,
        **grid,
    )


async def _assignment_for_staff(user: CurrentUser, assignment_id: int) -> dict[str, Any]:
    """An assignment in a house the user works in (admin: any), or 404."""
    row = await services.assignment(assignment_id)
    allowed = visible_house_ids(user)
    if row is None or (allowed is not None and row["house"] not in allowed):
        raise NotFoundException()
    return row


class AssignmentController(Controller):
    """A manager's checks of one assignment. With htmx the row answers (the day list's one
    partial per row); without, post/redirect/get back to the day."""

    path = "/chore-assignments/{assignment_id:int}"
    guards = [staff_only]  # noqa: RUF012 - Litestar reads this class attribute

    @post("/verify", name="chores:verify")
    async def verify(self, request: Request[Any, Any, Any], assignment_id: FromPath[int]) -> Any:
        return await self._check(request, assignment_id, "verify")

    @post("/send-back", name="chores:send_back")
    async def send_back(self, request: Request[Any, Any, Any], assignment_id: FromPath[int]) -> Any:
        return await self._check(request, assignment_id, "send_back")

    @post("/excuse", name="chores:excuse")
    async def excuse(self, request: Request[Any, Any, Any], assignment_id: FromPath[int]) -> Any:
        return await self._check(request, assignment_id, "excuse")

    @post("/correct", name="chores:correct")
    async def correct(self, request: Request[Any, Any, Any], assignment_id: FromPath[int]) -> Any:
        return await self._check(request, assignment_id, "correct")

    async def _check(self, request: Request[Any, Any, Any], assignment_id: int, action: str) -> Any:
        user = require_user(request)
        row = await _assignment_for_staff(user, assignment_id)
        house = await get_house_for_user(user, row["house"])
        now = clock.now()
        today = house_today(now, house["timezone"])
        data = await read_form(request)
        form = FormResult()
        if action == "send_back":
            form = parse_note(data, "note", "what is left to do")
        elif action == "excuse":
            form = parse_note(data, "reason", "a reason")
        elif action == "correct":
            form = parse_correction(data)
        status = FORM_ERROR_STATUS
        if form.ok:
            try:
                if action == "verify":
                    await services.verify(actor_id=user.id, row=row, today=today, now=now)
                elif action == "send_back":
                    await services.send_back(
                        actor_id=user.id, row=row, note=form.values["note"], today=today, now=now
                    )
                elif action == "excuse":
                    await services.excuse(
                        actor_id=user.id, row=row, reason=form.values["reason"], now=now
                    )
                else:
                    await services.correct(
                        actor_id=user.id,
                        row=row,
                        status=form.values["status"],
                        reason=form.values["reason"],
                        now=now,
                    )
            except services.Stale as exc:
                # A second tap, or another manager first: show the row as it is now.
                if not is_partial(request):
                    return redirect(request, _day_url(row), flash=exc.message)
                form.errors["form"] = exc.message
                status = CONFLICT_STATUS
            except DomainError as exc:
                form.errors[exc.field or "form"] = exc.message
            else:
                if not is_partial(request):
                    return redirect(request, _day_url(row))
                status = 200
        failed = {"id": assignment_id, "errors": form.errors, "typed": form.typed}
        if is_partial(request):
            # The row as it is now, and the day's count out of band (one query for both).
            rows = await services.day_list(house["id"], row["day"])
            fresh = next((r for r in rows if r["id"] == assignment_id), row)
            return page(
                request,
                "chores/partials/tapped.html",
                status_code=status,
                a=fresh,
                house=house,
                day=row["day"],
                today=today,
                left=_left(rows),
                total=len(rows),
                failed=failed if form.errors else {},
            )
        return await day_page(request, house, row["day"].isoformat(), failed=failed, status=status)


def _day_url(row: dict[str, Any]) -> str:
    return f"/houses/{row['house']}/chores/day?day={row['day']}"


class MyChoresController(Controller):
    guards = [resident_only]  # noqa: RUF012 - Litestar reads this class attribute

    @get("/chores", name="chores:mine")
    async def mine(self, request: Request[Any, Any, Any]) -> Template:
        return await self._page(request, 200, {})

    async def _page(
        self, request: Request[Any, Any, Any], status: int, errors: dict[int, str]
    ) -> Template:
        week = await services.my_week(require_user(request).id, clock.now())
        return page(
            request,
            "chores/mine.html",
            status_code=status,
            week=week,
            errors=errors,
            day_names=DAY_NAMES,
        )

    @post("/chores/{assignment_id:int}/done", name="chores:done")
    async def done(self, request: Request[Any, Any, Any], assignment_id: FromPath[int]) -> Any:
        user = require_user(request)
        try:
            row = await services.mark_done(
                user_id=user.id, assignment_id=assignment_id, now=clock.now()
            )
        except NotFound:
            raise NotFoundException() from None
        except services.Stale as exc:
            return redirect(request, "/chores", flash=exc.message)
        except DomainError as exc:
            return await self._page(request, FORM_ERROR_STATUS, {assignment_id: exc.message})
        return redirect(request, "/chores", flash=f"Thank you: “{row['chore_name']}” marked done.")


ROUTES: list[Any] = [HouseChoresController, AssignmentController, MyChoresController]
