"""Routes of this concept; app.py registers ROUTES.

House meetings for staff: a house's meetings (the weekly one from the house settings, ad
hoc ones), a meeting's page, and the one-screen roll call. For residents: their own
attendance at `/meetings/house` (outside meetings live in outside/views.py)."""

from __future__ import annotations

from functools import partial
from typing import Any

from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Template

from house.houses.access import get_house_for_user, get_rw_house_for_user
from house.lib import clock
from house.lib.errors import DomainError, NotFound
from house.lib.forms import FormResult
from house.meetings import roll, services
from house.meetings.access import get_meeting_for_user, get_rw_meeting_for_user
from house.meetings.forms import parse_ad_hoc, parse_roll, parse_weekly
from house.meetings.outside import views as outside_views
from house.web.access import require_user, resident_only, staff_only
from house.web.forms import submit
from house.web.render import page, read_form

SAVED = {
    "saved": "Roll call saved.",
    "corrected": "Corrections saved.",
    "unchanged": "Roll call saved.",
}


class HouseMeetingsController(Controller):
    path = "/houses/{house_id:int}/meetings"
    guards = [staff_only]  # noqa: RUF012 - Litestar reads this class attribute

    async def _list(
        self,
        request: Request[Any, Any, Any],
        house: dict[str, Any],
        form: FormResult,
        status_code: int = 200,
    ) -> Template:
        meetings = await services.house_meetings(house, clock.now())
        return page(
            request,
            "meetings/house.html",
            status_code=status_code,
            house=house,
            form=form,
            upcoming=meetings["upcoming"],
            past=meetings["past"],
        )

    @get("", name="meetings:house")
    async def meetings(self, request: Request[Any, Any, Any], house_id: FromPath[int]) -> Template:
        house = await get_house_for_user(require_user(request), house_id)
        return await self._list(request, house, FormResult())

    @post("", name="meetings:schedule")
    async def schedule(self, request: Request[Any, Any, Any], house_id: FromPath[int]) -> Any:
        user = require_user(request)
        house = await get_rw_house_for_user(user, house_id)
        form = parse_ad_hoc(await read_form(request))

        async def schedule() -> str:
            meeting_id = await services.schedule_ad_hoc(
                actor_id=user.id,
                house=house,
                title=form.values["title"],
                day=form.values["date"],
                at=form.values["time"],
                now=clock.now(),
            )
            return f"/meetings/{meeting_id}"

        again = partial(self._list, request, house)
        return await submit(request, form, schedule, again, flash="Meeting scheduled.")

    @post("/weekly", name="meetings:open_weekly")
    async def open_weekly(self, request: Request[Any, Any, Any], house_id: FromPath[int]) -> Any:
        user = require_user(request)
        house = await get_rw_house_for_user(user, house_id)
        form = parse_weekly(await read_form(request))

        async def open_it() -> str:
            meeting_id = await services.open_weekly(
                actor_id=user.id,
                house=house,
                starts_at=form.values["starts_at"],
                now=clock.now(),
            )
            return f"/meetings/{meeting_id}/roll"

        return await submit(request, form, open_it, partial(self._list, request, house))


class MeetingController(Controller):
    path = "/meetings/{meeting_id:int}"
    guards = [staff_only]  # noqa: RUF012 - Litestar reads this class attribute

    @get("", name="meetings:detail")
    async def detail(self, request: Request[Any, Any, Any], meeting_id: FromPath[int]) -> Template:
        meeting = await get_meeting_for_user(require_user(request), meeting_id)
        on_roll = await roll.roll_call(meeting)
        return page(
            request,
            "meetings/detail.html",
            meeting=meeting,
            **_opening(meeting),
            roll=on_roll,
            counts=services.tally(on_roll),
            amendments=await roll.attendance_amendments(meeting_id),
        )

    async def _roll(
        self,
        request: Request[Any, Any, Any],
        meeting: dict[str, Any],
        form: FormResult,
        *,
        all_present: bool = False,
        status_code: int = 200,
    ) -> Template:
        on_roll = await roll.roll_call(meeting)
        chosen = {
            r["resident"]: form.typed.get(f"status-{r['resident']}")
            or r["status"]
            or ("present" if all_present else None)
            for r in on_roll
        }
        return page(
            request,
            "meetings/roll.html",
            status_code=status_code,
            meeting=meeting,
            **_opening(meeting),
            roll=on_roll,
            chosen=chosen,
            form=form,
            minutes=form.typed.get("minutes", meeting["minutes"]),
            taken=meeting["roll_taken_at"] is not None,
            all_present=all_present,
        )

    @get("/roll", name="meetings:roll")
    async def roll(self, request: Request[Any, Any, Any], meeting_id: FromPath[int]) -> Template:
        meeting = await get_meeting_for_user(require_user(request), meeting_id)
        all_present = request.query_params.get("all") == "present"
        return await self._roll(request, meeting, FormResult(), all_present=all_present)

    @post("/roll", name="meetings:take_roll")
    async def take_roll(self, request: Request[Any, Any, Any], meeting_id: FromPath[int]) -> Any:
        user = require_user(request)
        await get_rw_meeting_for_user(user, meeting_id)
        form = parse_roll(await read_form(request))
        if not form.ok:
            form.errors.setdefault("form", roll.RollCallErrors.MESSAGE)

        outcome: dict[str, str] = {}

        async def save() -> str:
            try:
                outcome["was"] = await roll.take_roll(
                    actor_id=user.id,
                    meeting_id=meeting_id,
                    statuses=form.values["statuses"],
                    reasons=form.values["reasons"],
                    minutes=form.values["minutes"],
                    version=form.values["version"],
                    now=clock.now(),
                )
            except NotFound:
                raise NotFoundException() from None
            return f"/meetings/{meeting_id}"

        async def again(form: FormResult, status: int) -> Template:
            # Reload: a stale edit shows what is saved now (and its version) beside what
            # was typed.
            fresh = await get_meeting_for_user(user, meeting_id)
            return await self._roll(request, fresh, form, status_code=status)

        def by_row(exc: DomainError) -> None:
            if isinstance(exc, roll.RollCallErrors):
                form.errors |= exc.errors

        return await submit(
            request, form, save, again, flash=lambda _: SAVED[outcome["was"]], on_error=by_row
        )


def _opening(meeting: dict[str, Any]) -> dict[str, Any]:
    """Whether the meeting's roll call can be taken now, and from which day."""
    return {
        "roll_open": services.roll_open(meeting, meeting["timezone"], clock.now()),
        "roll_opens_on": services.roll_opens_on(meeting, meeting["timezone"]),
    }


class MyHouseMeetingsController(Controller):
    guards = [resident_only]  # noqa: RUF012 - Litestar reads this class attribute

    @get("/meetings/house", name="meetings:mine")
    async def mine(self, request: Request[Any, Any, Any]) -> Template:
        mine = await services.my_attendance(require_user(request).id, clock.now())
        return page(request, "meetings/mine.html", mine=mine)


ROUTES: list[Any] = [
    *outside_views.ROUTES,
    HouseMeetingsController,
    MeetingController,
    MyHouseMeetingsController,
]
