"""Routes for outside recovery meetings; meetings/views.py adds ROUTES to the meetings routes.

Residents log their own meetings (with a slip photo or the chair's name and phone) and see
their week; staff of the house verify or reject logs from a queue and see the house's week.
The slip photo is served only to the resident who logged it and the staff of its house.
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

from litestar import Controller, MediaType, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.exceptions import HTTPException, NotFoundException
from litestar.params import FromPath
from litestar.response import Template

from house.accounts.sessions import CurrentUser
from house.houses.access import get_house_for_user
from house.lib import clock
from house.lib.dates import house_today
from house.lib.errors import DomainError
from house.lib.forms import FormResult
from house.meetings.outside import services, uploads
from house.meetings.outside.access import get_rw_outside_meeting_for_user, get_slip_photo_for_user
from house.meetings.outside.forms import (
    MAX_DAYS_BACK,
    parse_outside,
    parse_reject,
)
from house.queue import Queue
from house.web.access import current_user, require_user, resident_only, signed_in, staff_only
from house.web.forms import fresh, submit
from house.web.render import FORM_ERROR_STATUS, is_partial, page, read_form, redirect, request_id

# htmx's answer to a review: the row, and the queue's count out of band.
REVIEWED = "meetings/outside/partials/reviewed.html"
LOGGED = "Meeting logged. Staff will check it; verified meetings count."


def too_large(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    """A body past the route's limit (a photo far over 8 MB): a page that says what to do."""
    return Template(
        template_name="errors/error.html",
        context={
            "user": current_user(request),
            "flashes": [],
            "status": 413,
            "title": "That photo is too large",
            "message": (
                f"A photo of the slip can be at most {uploads.MAX_BYTES // uploads.MB} MB. "
                "Go back, take the photo again (or choose a smaller one) and send the form again."
            ),
        },
        status_code=413,
        media_type=MediaType.HTML,
    )


async def _read_photo(value: Any) -> tuple[bytes | None, str | None]:
    """The sent photo's bytes (at most MAX_BYTES are read) or a message for the field."""
    if isinstance(value, UploadFile):
        data = await value.read(uploads.MAX_BYTES + 1)
        if len(data) > uploads.MAX_BYTES:
            size = value.file.seek(0, os.SEEK_END)
            return None, uploads.size_message(size)
        if not data:
            return None, "The photo is empty. Choose it again."
        return data, None
    if isinstance(value, str) and value:
        return None, "Choose a photo file."
    return None, None


def _new_form(stay: dict[str, Any] | None) -> FormResult:
    today = house_today(clock.now(), stay["timezone"] if stay else None)
    return fresh({"held_on": today.isoformat(), "format": "in_person"})


class MyOutsideMeetingsController(Controller):
    guards = [resident_only]  # noqa: RUF012 - Litestar reads this class attribute

    @get("/meetings/outside", name="outside:mine")
    async def mine(self, request: Request[Any, Any, Any]) -> Template:
        user = require_user(request)
        now = clock.now()
        stay = await services.my_stay(user.id)
        week = None
        if stay is not None:
            monday = services.chosen_week(None, now, stay["timezone"])
            week = await services.my_week(stay, user.id, monday)
        return page(
            request,
            "meetings/outside/mine.html",
            stay=stay,
            week=week,
            meetings=await services.my_meetings(user.id),
        )

    @get("/meetings/outside/new", name="outside:new")
    async def new(self, request: Request[Any, Any, Any]) -> Template:
        stay = await services.my_stay(require_user(request).id)
        return self._form_page(request, stay, _new_form(stay))

    def _form_page(
        self,
        request: Request[Any, Any, Any],
        stay: dict[str, Any] | None,
        form: FormResult,
        status_code: int = 200,
        photo_dropped: bool = False,
    ) -> Template:
        return page(
            request,
            "meetings/outside/new.html",
            status_code=status_code,
            stay=stay,
            form=form,
            fellowships=services.FELLOWSHIP_OPTIONS,
            formats=services.FORMAT_OPTIONS,
            accept=uploads.ACCEPT,
            max_days=MAX_DAYS_BACK,
            photo_dropped=photo_dropped,
        )

    @post(
        "/meetings/outside",
        name="outside:log",
        request_max_body_size=uploads.MAX_BODY,
        exception_handlers={413: too_large},
    )
    async def log(self, request: Request[Any, Any, Any]) -> Any:
        user = require_user(request)
        now = clock.now()
        data = await read_form(request)
        stay = await services.my_stay(user.id)
        if stay is None:
            form = FormResult(errors={"form": "You can log meetings while you live in a house."})
            return self._form_page(request, None, form, status_code=FORM_ERROR_STATUS)
        raw_photo, photo_error = await _read_photo(data.get("photo"))
        photo = None
        if raw_photo is not None:
            try:
                photo = await asyncio.to_thread(uploads.clean_photo, raw_photo)
            except uploads.PhotoError as exc:
                photo_error = exc.message
        form = parse_outside(
            data,
            has_photo=raw_photo is not None or photo_error is not None,
            now=now,
            timezone=stay["timezone"],
            admitted_on=stay["admitted_on"],
        )
        if photo_error:
            form.errors["photo"] = photo_error
        slip = await services.keep_photo(photo if form.ok else None)

        async def log() -> str:
            return await services.log_meeting(
                user_id=user.id, stay=stay, values=form.values, photo=slip, now=now
            )

        async def again(form: FormResult, status: int) -> Template:
            return self._form_page(
                request, stay, form, status_code=status, photo_dropped=photo is not None
            )

        try:
            return await submit(request, form, log, again, flash=LOGGED, data=data)
        finally:
            await services.drop_unlogged_photo(slip[0])

    @get("/meetings/week", name="outside:my_week")
    async def week(self, request: Request[Any, Any, Any]) -> Template:
        user = require_user(request)
        stay = await services.my_stay(user.id)
        week = None
        if stay is not None:
            monday = services.chosen_week(
                request.query_params.get("week"), clock.now(), stay["timezone"]
            )
            week = await services.my_week(stay, user.id, monday)
        return page(request, "meetings/outside/week.html", stay=stay, week=week)


class HouseOutsideMeetingsController(Controller):
    path = "/houses/{house_id:int}/meetings"
    guards = [staff_only]  # noqa: RUF012 - Litestar reads this class attribute

    @get("/outside", name="outside:queue")
    async def queue(self, request: Request[Any, Any, Any], house_id: FromPath[int]) -> Template:
        house = await get_house_for_user(require_user(request), house_id)
        return await queue_page(request, house)

    @get("/week", name="outside:house_week")
    async def week(self, request: Request[Any, Any, Any], house_id: FromPath[int]) -> Template:
        house = await get_house_for_user(require_user(request), house_id)
        monday = services.chosen_week(
            request.query_params.get("week"), clock.now(), house["timezone"]
        )
        return page(
            request,
            "meetings/outside/house_week.html",
            house=house,
            week=await services.house_week(house, monday),
        )


async def queue_page(
    request: Request[Any, Any, Any],
    house: dict[str, Any],
    *,
    status_code: int = 200,
    errors: dict[int, FormResult] | None = None,
) -> Template:
    return page(
        request,
        "meetings/outside/queue.html",
        status_code=status_code,
        house=house,
        queue=await services.queue(house["id"]),
        errors=errors or {},
    )


class OutsideMeetingController(Controller):
    path = "/outside-meetings/{outside_id:int}"

    @get("/photo", guards=[signed_in], name="outside:photo")
    async def photo(
        self, request: Request[Any, Any, Any], outside_id: FromPath[int]
    ) -> Response[bytes]:
        user = require_user(request)
        meeting, staff = await get_slip_photo_for_user(user, outside_id)
        try:
            content = await asyncio.to_thread(uploads.read, meeting["photo"])
        except FileNotFoundError:
            raise NotFoundException() from None
        if staff:
            # Written before the photo is sent: if the audit row fails, nothing is shown.
            await services.record_photo_view(
                actor_id=user.id, meeting=meeting, now=clock.now(), request_id=request_id(request)
            )
        extension = meeting["photo"].rsplit(".", 1)[-1]
        return Response(
            content=content,
            media_type=uploads.content_type_of(meeting["photo"]),
            headers={
                "X-Content-Type-Options": "nosniff",
                "Content-Disposition": f'inline; filename="slip.{extension}"',
                "Cache-Control": "private, no-store",
            },
        )

    @post("/verify", guards=[staff_only], name="outside:verify")
    async def verify(self, request: Request[Any, Any, Any], outside_id: FromPath[int]) -> Any:
        user = require_user(request)
        meeting = await get_rw_outside_meeting_for_user(user, outside_id)
        return await self._review(request, user, meeting, services.VERIFIED, "")

    @post("/reject", guards=[staff_only], name="outside:reject")
    async def reject(
        self,
        request: Request[Any, Any, Any],
        outside_id: FromPath[int],
        queue: NamedDependency[Queue],
    ) -> Any:
        user = require_user(request)
        meeting = await get_rw_outside_meeting_for_user(user, outside_id)
        form = parse_reject(await read_form(request))
        if not form.ok:
            house = await get_house_for_user(user, meeting["house"])
            if is_partial(request):
                return page(
                    request,
                    REVIEWED,
                    status_code=FORM_ERROR_STATUS,
                    m=meeting,
                    house=house,
                    reject_form=form,
                    waiting=await services.waiting_count(house["id"]),
                )
            return await queue_page(
                request, house, status_code=FORM_ERROR_STATUS, errors={meeting["id"]: form}
            )
        answer = await self._review(
            request, user, meeting, services.REJECTED, form.values["reason"]
        )
        await queue.enqueue("process_alert_events")  # the resident is told; the sweep follows
        return answer

    async def _review(
        self,
        request: Request[Any, Any, Any],
        user: CurrentUser,
        meeting: dict[str, Any],
        verdict: str,
        reason: str,
    ) -> Any:
        try:
            await services.review(
                actor_id=user.id,
                meeting_id=meeting["id"],
                verdict=verdict,
                reason=reason,
                now=clock.now(),
                request_id=request_id(request),
            )
        except DomainError as exc:
            note = exc.message
        else:
            note = "Verified." if verdict == services.VERIFIED else "Rejected."
        if is_partial(request):
            house = await get_house_for_user(user, meeting["house"])
            return page(
                request,
                REVIEWED,
                m=await services.meeting_row(meeting["id"]),
                house=house,
                reject_form=None,
                note=note,
                waiting=await services.waiting_count(house["id"]),
            )
        who = meeting["resident_name"]
        return redirect(
            request, f"/houses/{meeting['house']}/meetings/outside", flash=f"{who}: {note}"
        )


ROUTES: list[Any] = [
    MyOutsideMeetingsController,
    HouseOutsideMeetingsController,
    OutsideMeetingController,
]
