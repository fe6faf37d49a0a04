"""Routes of this concept; app.py registers ROUTES.

House meetings for staff: a house's meetings (the weekly one from the house settings, ad
hoc ones), a meeting's page, and the one-screen roll call. For residents: their own
attendance at `/meetings/house` (outside meetings live in outside_views)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Template

from house.accounts.sessions import CurrentUser
from house.houses.access import get_house_for_user
from house.lib import clock
from house.lib.errors import DomainError, NotFound
from house.lib.forms import FormResult
from house.meetings import outside_views, services
from house.meetings.forms import parse_ad_hoc, parse_roll, parse_weekly
from house.web.access import require_user, resident_only, staff_only, visible_house_ids
from house.web.render import FORM_ERROR_STATUS, page, read_form, redirect


async def get_meeting_for_user(user: CurrentUser, meeting_id: int) -> dict[str, Any]:
    """A house meeting in a house the user works in (admin: any), or 404."""
    meeting = await services.get_meeting(meeting_id)
    allowed = visible_house_ids(user)
    if meeting is None or (allowed is not None and meeting["house"] not in allowed):
        raise NotFoundException()
    return meeting


class HouseMeetingsController(Controller):
    path = "/houses/{house_id:int}/meetings"
    guards = [staff_only]  # noqa: RUF012 - Litestar reads this class attribute

    async def _list(
        self,
        request: Request[Any, Any, Any],
        house: dict[str, Any],
        form: FormResult,
        *,
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
        house = await get_house_for_user(user, house_id)
        form = parse_ad_hoc(await read_form(request))
        if form.ok:
            try:
                meeting_id = await services.schedule_ad_hoc(
                    actor_id=user.id,
                    house=house,
                    title=form.values["title"],
                    day=form.values["date"],
                    at=form.values["time"],
                    now=clock.now(),
                )
            except DomainError as exc:
                form.errors[exc.field or "form"] = exc.message
            else:
                return redirect(request, f"/meetings/{meeting_id}", flash="Meeting scheduled.")
        return await self._list(request, house, form, status_code=FORM_ERROR_STATUS)

    @post("/weekly", name="meetings:open_weekly")
    async def open_weekly(self, request: Request[Any, Any, Any], house_id: FromPath[int]) -> Any:
        user = require_user(request)
        house = await get_house_for_user(user, house_id)
        form = parse_weekly(await read_form(request))
        if form.ok:
            try:
                meeting_id = await services.open_weekly(
                    actor_id=user.id,
                    house=house,
                    starts_at=form.values["starts_at"],
                    now=clock.now(),
                )
            except DomainError as exc:
                form.errors["form"] = exc.message
            else:
                return redirect(request, f"/meetings/{meeting_id}/roll")
        return await self._list(request, house, form, status_code=FORM_ERROR_STATUS)


class MeetingController(Controller):
    path = "/meetings/{meeting_id:int}"
    guards = [staff_only]  # noqa: RUF012 - Litestar reads this class attribute

    @get("", name="meetings:detail")
    async def detail(self, request: Request[Any, Any, Any], meeting_id: FromPath[int]) -> Template:
        meeting = await get_meeting_for_user(require_user(request), meeting_id)
        roll = await services.roll_call(meeting)
        return page(
            request,
            "meetings/detail.html",
            meeting=meeting,
            roll=roll,
            counts=services.tally(roll),
            amendments=await services.attendance_amendments(meeting_id),
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
        roll = await services.roll_call(meeting)
        chosen = {
            r["resident"]: form.typed.get(f"status-{r['resident']}")
            or r["status"]
            or ("present" if all_present else None)
            for r in roll
        }
        return page(
            request,
            "meetings/roll.html",
            status_code=status_code,
            meeting=meeting,
            roll=roll,
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
        meeting = await get_meeting_for_user(user, meeting_id)
        form = parse_roll(await read_form(request))
        if form.ok:
            try:
                outcome = await services.take_roll(
                    actor_id=user.id,
                    meeting_id=meeting_id,
                    statuses=form.values["statuses"],
                    reasons=form.values["reasons"],
                    minutes=form.values["minutes"],
                    version=form.values["version"],
                    now=clock.now(),
                )
            except services.RollCallErrors as exc:
                form.errors |= exc.errors
                form.errors["form"] = exc.message
            except NotFound:
                raise NotFoundException() from None
            except DomainError as exc:
                form.errors[exc.field or "form"] = exc.message
            else:
                message = {
                    "saved": "Roll call saved.",
                    "corrected": "Corrections saved.",
                    "unchanged": "Roll call saved.",
                }[outcome]
                return redirect(request, f"/meetings/{meeting_id}", flash=message)
        elif "form" not in form.errors:
            form.errors["form"] = "Some rows need an answer. Nothing was saved yet."
        # Reload: a stale edit shows what is saved now (and its version) beside what was typed.
        meeting = await get_meeting_for_user(user, meeting_id)
        return await self._roll(request, meeting, form, status_code=FORM_ERROR_STATUS)


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
