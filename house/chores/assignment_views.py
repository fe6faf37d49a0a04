"""Chore assignments: the day's list for staff with its one-tap checks (verify, send back,
excuse, correct), and for residents their week, "Done" and the chart; views.py adds ROUTES
to the chores routes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Template

from house.chores import assignments, services
from house.chores.access import get_rw_assignment_for_user
from house.chores.forms import DAY_NAMES, parse_correction, parse_note
from house.chores.week_views import day_arg
from house.houses.access import get_house_for_user
from house.lib import clock
from house.lib.dates import house_today
from house.lib.errors import NotFound
from house.lib.forms import FormResult
from house.queue import Queue
from house.web.access import require_user, resident_only, staff_only
from house.web.forms import submit, tap
from house.web.render import is_partial, page, read_form


async def day_page(
    request: Request[Any, Any, Any],
    house: dict[str, Any],
    raw_day: str | None,
    *,
    failed: dict[str, Any] | None = None,
    status: int = 200,
) -> Template:
    today = house_today(clock.now(), house["timezone"])
    day, note = day_arg(raw_day, today)
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


class AssignmentController(Controller):
    """A manager's checks of one assignment. With htmx the row answers (the day list's one
    partial per row); without, post/redirect/get back to the day."""

    path = "/chore-assignments/{assignment_id:int}"
    guards = [staff_only]  # noqa: RUF012 - Litestar reads this class attribute

    @post("/verify", name="chores:verify")
    async def verify(self, request: Request[Any, Any, Any], assignment_id: FromPath[int]) -> Any:
        return await self._check(request, assignment_id, "verify")

    @post("/send-back", name="chores:send_back")
    async def send_back(
        self,
        request: Request[Any, Any, Any],
        assignment_id: FromPath[int],
        queue: NamedDependency[Queue],
    ) -> Any:
        answer = await self._check(request, assignment_id, "send_back")
        await queue.enqueue("process_alert_events")  # the resident is told; the sweep follows
        return answer

    @post("/excuse", name="chores:excuse")
    async def excuse(self, request: Request[Any, Any, Any], assignment_id: FromPath[int]) -> Any:
        return await self._check(request, assignment_id, "excuse")

    @post("/correct", name="chores:correct")
    async def correct(self, request: Request[Any, Any, Any], assignment_id: FromPath[int]) -> Any:
        return await self._check(request, assignment_id, "correct")

    async def _check(self, request: Request[Any, Any, Any], assignment_id: int, action: str) -> Any:
        user = require_user(request)
        row = await get_rw_assignment_for_user(user, assignment_id)
        house = await get_house_for_user(user, row["house"])
        now = clock.now()
        today = house_today(now, house["timezone"])
        form = _parse(action, await read_form(request))

        async def change() -> None:
            await _apply(action, user.id, row, form.values, today=today, now=now)

        # Stale: a second tap, or another manager first (the row is shown as it is now).
        answer = await tap(request, form, change, back=_day_url(row), conflict=assignments.Stale)
        if not isinstance(answer, int):
            return answer
        return await _tapped(request, house, row, today, form, answer)


def _parse(action: str, data: Any) -> FormResult:
    """The fields a check sends: a note to send back, a reason to excuse, a correction."""
    if action == "send_back":
        return parse_note(data, "note", "what is left to do")
    if action == "excuse":
        return parse_note(data, "reason", "a reason")
    if action == "correct":
        return parse_correction(data)
    return FormResult()


async def _apply(
    action: str,
    actor_id: int,
    row: dict[str, Any],
    values: dict[str, Any],
    *,
    today: dt.date,
    now: dt.datetime,
) -> None:
    """The one service call of a check."""
    if action == "verify":
        await assignments.verify(actor_id=actor_id, row=row, today=today, now=now)
    elif action == "send_back":
        await assignments.send_back(
            actor_id=actor_id, row=row, note=values["note"], today=today, now=now
        )
    elif action == "excuse":
        await assignments.excuse(actor_id=actor_id, row=row, reason=values["reason"], now=now)
    else:
        await assignments.correct(
            actor_id=actor_id, row=row, status=values["status"], reason=values["reason"], now=now
        )


async def _tapped(
    request: Request[Any, Any, Any],
    house: dict[str, Any],
    row: dict[str, Any],
    today: dt.date,
    form: FormResult,
    status: int,
) -> Template:
    """The answer to a check that is not a redirect: with htmx the row as it is now and the
    day's count out of band (one query for both); without, the day's page."""
    failed = {"id": row["id"], "errors": form.errors, "typed": form.typed}
    if not is_partial(request):
        return await day_page(request, house, row["day"].isoformat(), failed=failed, status=status)
    rows = await services.day_list(house["id"], row["day"])
    fresh = next((r for r in rows if r["id"] == row["id"]), row)
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
        said: list[str] = []

        async def mark() -> str:
            try:
                row = await assignments.mark_done(
                    user_id=user.id, assignment_id=assignment_id, now=clock.now()
                )
            except NotFound:
                raise NotFoundException() from None
            except assignments.Stale as exc:
                # Already marked (a double tap): back to the week, saying so.
                said.append(exc.message)
            else:
                said.append(f"Thank you: “{row['chore_name']}” marked done.")
            return "/chores"

        async def again(form: FormResult, status: int) -> Template:
            message = " ".join(form.errors.values())
            return await self._page(request, status, {assignment_id: message})

        return await submit(request, FormResult(), mark, again, flash=lambda _: said[0])


ROUTES: list[Any] = [AssignmentController, MyChoresController]
