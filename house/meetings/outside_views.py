"""Routes for outside recovery meetings; views.py adds ROUTES to the meetings routes.

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
from litestar.exceptions import HTTPException, NotFoundException
from litestar.params import FromPath
from litestar.response import Template

from house.accounts.sessions import CurrentUser
from house.houses.access import get_house_for_user
from house.lib import clock
from house.lib.errors import DomainError
from house.lib.forms import FormResult
from house.meetings import outside_services as services
from house.meetings import uploads
from house.meetings.outside_forms import (
    FELLOWSHIP_CHOICES,
    FORMAT_CHOICES,
    MAX_DAYS_BACK,
    parse_outside,
    parse_reject,
)
from house.meetings.tables import OutsideMeeting
from house.web.access import (
    current_user,
    require_user,
    resident_only,
    signed_in,
    staff_only,
    visible_house_ids,
)
from house.web.once import FIELD, new_form_token, once, token_from
from house.web.render import FORM_ERROR_STATUS, is_partial, page, read_form, redirect, request_id

ROW = "meetings/partials/outside_row.html"
FELLOWSHIP_OPTIONS = [
    (c, services.FELLOWSHIPS[OutsideMeeting.Fellowship(c)]) for c in FELLOWSHIP_CHOICES
]
FORMAT_OPTIONS = [(c, services.FORMATS[OutsideMeeting.Format(c)]) for c in FORMAT_CHOICES]


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
    today = clock.now().astimezone(services.zone_of(stay["timezone"])) if stay else clock.now()
    return FormResult(
        typed={
            "held_on": today.date().isoformat(),
            "format": "in_person",
            FIELD: new_form_token(),
        }
    )


async def _meeting_for_staff(user: CurrentUser, meeting_id: int) -> dict[str, Any]:
    """A log in a house the staff member works in, or 404."""
    meeting = await services.meeting_row(meeting_id)
    allowed = visible_house_ids(user)
    if meeting is None or (allowed is not None and meeting["house"] not in allowed):
        raise NotFoundException()
    return meeting


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
            "meetings/outside_mine.html",
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
            "meetings/outside_new.html",
            status_code=status_code,
            stay=stay,
            form=form,
            fellowships=FELLOWSHIP_OPTIONS,
            formats=FORMAT_OPTIONS,
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
            zone=services.zone_of(stay["timezone"]),
            admitted_on=stay["admitted_on"],
        )
        if photo_error:
            form.errors["photo"] = photo_error
        token = token_from(data)
        form.typed[FIELD] = token or new_form_token()
        if token is None:
            form.errors["form"] = "This form is out of date. Check it and send it again."
        if form.ok and token is not None:
            try:
                url, new = await services.log_meeting(
                    user_id=user.id,
                    stay=stay,
                    values=form.values,
                    photo=photo,
                    now=now,
                    run=lambda change: once(token, change, now),
                )
            except DomainError as exc:
                form.errors[exc.field or "form"] = exc.message
            else:
                flash = (
                    "Meeting logged. Staff will check it; verified meetings count." if new else None
                )
                return redirect(request, url, flash=flash)
        return self._form_page(
            request,
            stay,
            form,
            status_code=FORM_ERROR_STATUS,
            photo_dropped=photo is not None,
        )

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
        return page(request, "meetings/outside_week.html", stay=stay, week=week)


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
            "meetings/outside_house_week.html",
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
        "meetings/outside_queue.html",
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
        meeting = await services.meeting_row(outside_id)
        if meeting is None or not meeting["photo"]:
            raise NotFoundException()
        own = user.role == "resident" and user.id in (
            meeting["logged_by"],
            meeting["resident_user"],
        )
        allowed = visible_house_ids(user)
        staff = user.is_staff and (allowed is None or meeting["house"] in allowed)
        if not (own or staff):
            raise NotFoundException()
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
        meeting = await _meeting_for_staff(user, outside_id)
        return await self._review(request, user, meeting, OutsideMeeting.Status.verified, "")

    @post("/reject", guards=[staff_only], name="outside:reject")
    async def reject(self, request: Request[Any, Any, Any], outside_id: FromPath[int]) -> Any:
        user = require_user(request)
        meeting = await _meeting_for_staff(user, outside_id)
        form = parse_reject(await read_form(request))
        if not form.ok:
            house = await get_house_for_user(user, meeting["house"])
            if is_partial(request):
                return page(
                    request,
                    ROW,
                    status_code=FORM_ERROR_STATUS,
                    m=meeting,
                    house=house,
                    reject_form=form,
                )
            return await queue_page(
                request, house, status_code=FORM_ERROR_STATUS, errors={meeting["id"]: form}
            )
        return await self._review(
            request, user, meeting, OutsideMeeting.Status.rejected, form.values["reason"]
        )

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
            note = "Verified." if verdict == OutsideMeeting.Status.verified else "Rejected."
        if is_partial(request):
            house = await get_house_for_user(user, meeting["house"])
            return page(
                request,
                ROW,
                m=await services.meeting_row(meeting["id"]),
                house=house,
                reject_form=None,
                note=note,
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
