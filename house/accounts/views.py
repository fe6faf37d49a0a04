"""Signing in and out, accepting an invite, and the admin's user pages."""

from __future__ import annotations

import datetime as dt
import math
from functools import partial
from typing import Any

from litestar import Controller, Request, get, post
from litestar.datastructures import Cookie
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from house.accounts import devices, invites, services
from house.accounts.access import get_user_for_admin
from house.accounts.forms import (
    ROLE_LABELS,
    parse_invite,
    parse_login,
    parse_new_password,
    parse_user_edit,
)
from house.accounts.sessions import idle_timeout
from house.audit.services import record_access
from house.houses.services import houses_for
from house.lib import clock
from house.lib.dates import wait_words
from house.lib.errors import DomainError, NotFound
from house.lib.forms import FormResult
from house.lib.text import local_path
from house.outbox import jobs as outbox_jobs
from house.queue import Queue
from house.settings import get_settings
from house.web import kept
from house.web.access import admin_only, current_user, public, require_user, signed_in
from house.web.forms import Versioned, submit
from house.web.render import (
    FORM_ERROR_STATUS,
    page,
    read_form,
    redirect,
    request_id,
    session_of,
)
from house.web.sessions import RESTORE, browser_cookie


def _device_cookie(value: str) -> Cookie:
    """The known-device cookie (accounts/devices.py): long-lived, script cannot read it."""
    return browser_cookie(devices.cookie_name(), value, devices.MAX_AGE_SECONDS)


def _safe_next(value: str | None) -> str:
    return local_path(value) or "/"


def _signed_out_notes(request: Request[Any, Any, Any]) -> dict[str, Any]:
    """What the sign-in page says to someone whose session just ended on this browser."""
    ended = kept.read_signed_out(request.cookies.get(kept.signed_out_cookie_name()), clock.now())
    return {
        "timed_out": ended is not None,
        "idle_words": wait_words(int(idle_timeout().total_seconds())),
        "form_kept": kept.is_token(request.cookies.get(kept.kept_cookie_name())),
        "keep_words": wait_words(int(kept.KEEP_FOR.total_seconds())),
    }


async def _signed_in(
    request: Request[Any, Any, Any],
    user_id: int,
    device: devices.KnownDevice | None,
    next_path: str,
) -> Redirect:
    """A new session for `user_id`; then the page of a form this browser kept for them after
    their session ended (filled in there), or `next`. A form kept for anyone else is gone."""
    session = session_of(request)
    session.sign_in(user_id)
    token = request.cookies.get(kept.kept_cookie_name())
    back = await kept.claim(token, user_id, clock.now()) if token else None
    if back:
        session.data[RESTORE] = back
    response = Redirect(path=f"{back}#kept" if back else next_path, status_code=303)
    response.cookies.append(_device_cookie(devices.remember(device, user_id)))
    response.cookies.append(browser_cookie(kept.signed_out_cookie_name(), "", 0))
    if token and not back:
        response.cookies.append(browser_cookie(kept.kept_cookie_name(), "", 0))
    return response


class AuthController(Controller):
    @get("/login", guards=[public], name="accounts:login")
    async def login_page(self, request: Request[Any, Any, Any], next: FromQuery[str] = "/") -> Any:
        if current_user(request):
            return Redirect(path="/", status_code=303)
        return page(
            request,
            "accounts/login.html",
            form=FormResult(),
            next=_safe_next(next),
            **_signed_out_notes(request),
        )

    @post("/login", guards=[public], name="accounts:login_post")
    async def login(self, request: Request[Any, Any, Any]) -> Any:
        data = await read_form(request)
        form = parse_login(data)
        next_path = _safe_next(data.get("next"))
        headers: dict[str, str] = {}
        status = FORM_ERROR_STATUS
        if form.ok:
            device = devices.read_device(request.cookies.get(devices.cookie_name()))
            outcome = await services.sign_in(
                form.values["email"],
                form.values["password"],
                clock.now(),
                request_id(request),
                address=request.client.host if request.client else None,
                device=device,
            )
            if outcome.user_id is not None:
                return await _signed_in(request, outcome.user_id, device, next_path)
            if outcome.retry_after is not None:
                seconds = max(1, math.ceil(outcome.retry_after.total_seconds()))
                form.errors["form"] = f"Too many tries. Wait {wait_words(seconds)} and try again."
                headers["Retry-After"] = str(seconds)
                status = 429
            else:
                form.errors["form"] = "That email and password do not match an account."
        return page(
            request,
            "accounts/login.html",
            status_code=status,
            headers=headers,
            form=form,
            next=next_path,
            **_signed_out_notes(request),
        )

    # Signing out of a session that already ended keeps nothing (there is no form to keep).
    @post("/logout", guards=[signed_in], name="accounts:logout", opt={kept.NOT_KEPT: True})
    async def logout(self, request: Request[Any, Any, Any]) -> Redirect:
        user = require_user(request)
        await record_access(
            actor_id=user.id,
            action="logout",
            at=clock.now(),
            subject_id=user.id,
            request_id=request_id(request),
        )
        session_of(request).sign_out()
        return Redirect(path="/login", status_code=303)


class InviteController(Controller):
    path = "/invite/{token:str}"
    guards = [public]  # noqa: RUF012 - Litestar reads this class attribute

    @get("", name="accounts:invite")
    async def invite_page(self, request: Request[Any, Any, Any], token: FromPath[str]) -> Template:
        invite = await invites.find_invite(token, clock.now())
        if invite is None:
            return page(request, "accounts/invite_invalid.html", status_code=404)
        return page(request, "accounts/invite_accept.html", invite=invite, form=FormResult())

    @post("", name="accounts:invite_post")
    async def accept(self, request: Request[Any, Any, Any], token: FromPath[str]) -> Any:
        now = clock.now()
        invite = await invites.find_invite(token, now)
        if invite is None:
            return page(request, "accounts/invite_invalid.html", status_code=404)
        form = parse_new_password(await read_form(request))

        async def change() -> str:
            user_id = await invites.accept_invite(
                token, form.values["password"], now, request_id(request)
            )
            session_of(request).sign_in(user_id)
            return "/"

        async def render(form: FormResult, status: int) -> Template:
            return page(
                request, "accounts/invite_accept.html", status_code=status, invite=invite, form=form
            )

        return await submit(
            request, form, change, render, flash="Welcome to house. Your password is set."
        )


def _user_page(
    request: Request[Any, Any, Any],
    template: str,
    form: FormResult,
    houses: list[dict[str, Any]],
    status_code: int = 200,
    **context: Any,
) -> Template:
    """The new-user or edit-user form, offering the houses the admin works in."""
    return page(
        request,
        template,
        status_code=status_code,
        form=form,
        house_options=[(str(h["id"]), h["name"]) for h in houses],
        role_labels=ROLE_LABELS,
        **context,
    )


class UserAdminController(Controller):
    path = "/admin/users"
    guards = [admin_only]  # noqa: RUF012 - Litestar reads this class attribute

    @get("", name="admin:users")
    async def users(self, request: Request[Any, Any, Any]) -> Template:
        users = await services.users_with_houses()
        return page(request, "admin/users.html", users=users, role_labels=ROLE_LABELS)

    @get("/new", name="admin:user_new")
    async def new_user(self, request: Request[Any, Any, Any]) -> Template:
        form = FormResult(typed={"role": "manager", "houses": []})
        houses = await houses_for(require_user(request))
        return _user_page(request, "admin/user_new.html", form, houses)

    @post("", name="admin:user_create")
    async def create_user(
        self, request: Request[Any, Any, Any], queue: NamedDependency[Queue]
    ) -> Template:
        actor = require_user(request)
        houses = await houses_for(require_user(request))
        data = await read_form(request)
        form = parse_invite(data, data.getall("houses", []), [h["id"] for h in houses])
        if form.ok:
            now = clock.now()
            try:
                invitation = await invites.invite_user(
                    actor_id=actor.id,
                    email=form.values["email"],
                    name=form.values["name"],
                    role=form.values["role"],
                    house_ids=form.values["houses"],
                    now=now,
                    base_url=get_settings().base_url,
                    request_id=request_id(request),
                )
            except DomainError as exc:
                form.errors[exc.field or "form"] = exc.message
            else:
                return await invited_page(
                    request, queue, invitation, now, back=f"/admin/users/{invitation.user_id}"
                )
        return _user_page(request, "admin/user_new.html", form, houses, FORM_ERROR_STATUS)

    @get("/{user_id:int}", name="admin:user")
    async def edit_user(self, request: Request[Any, Any, Any], user_id: FromPath[int]) -> Template:
        account = await get_user_for_admin(user_id)
        form = FormResult(
            typed={
                "name": account["name"],
                "role": account["role"],
                "houses": [str(h) for h in account["house_ids"]],
                "version": str(account["version"]),
            }
        )
        houses = await houses_for(require_user(request))
        return _user_page(request, "admin/user_edit.html", form, houses, account=account)

    @post("/{user_id:int}", name="admin:user_update")
    async def update_user(self, request: Request[Any, Any, Any], user_id: FromPath[int]) -> Any:
        actor = require_user(request)
        account = await get_user_for_admin(user_id)
        houses = await houses_for(require_user(request))
        data = await read_form(request)
        form = parse_user_edit(data, data.getall("houses", []), [h["id"] for h in houses])
        record = Versioned(account, partial(get_user_for_admin, user_id))

        async def change() -> str:
            await services.update_user(
                actor_id=actor.id,
                user_id=user_id,
                name=form.values["name"],
                role=form.values["role"],
                house_ids=form.values["houses"],
                version=form.values["version"],
                now=clock.now(),
                request_id=request_id(request),
            )
            return "/admin/users"

        def refused(exc: DomainError) -> None:
            if isinstance(exc, NotFound):
                raise NotFoundException() from None
            record.seen(exc)

        async def render(form: FormResult, status: int) -> Template:
            shown = await record.shown(form)
            return _user_page(request, "admin/user_edit.html", form, houses, status, account=shown)

        return await submit(
            request,
            form,
            change,
            render,
            flash=lambda _: f"Saved {form.values['name']}.",
            on_error=refused,
        )

    @post("/{user_id:int}/disable", name="admin:user_disable")
    async def disable_user(self, request: Request[Any, Any, Any], user_id: FromPath[int]) -> Any:
        return await self._set_active(request, user_id, active=False)

    @post("/{user_id:int}/enable", name="admin:user_enable")
    async def enable_user(self, request: Request[Any, Any, Any], user_id: FromPath[int]) -> Any:
        return await self._set_active(request, user_id, active=True)

    async def _set_active(self, request: Request[Any, Any, Any], user_id: int, active: bool) -> Any:
        actor = require_user(request)
        account = await get_user_for_admin(user_id)
        try:
            await services.set_active(
                actor_id=actor.id,
                user_id=user_id,
                active=active,
                now=clock.now(),
                request_id=request_id(request),
            )
        except DomainError as exc:
            return redirect(request, f"/admin/users/{user_id}", flash=exc.message, kind="error")
        verb = "enabled" if active else "disabled; their sessions have ended"
        return redirect(request, f"/admin/users/{user_id}", flash=f"{account['name']} is {verb}.")

    @post("/{user_id:int}/invite", name="admin:user_reinvite")
    async def reinvite(
        self,
        request: Request[Any, Any, Any],
        user_id: FromPath[int],
        queue: NamedDependency[Queue],
    ) -> Any:
        actor = require_user(request)
        await get_user_for_admin(user_id)  # 404 for an unknown id
        now = clock.now()
        try:
            invitation = await invites.reissue_invite(
                actor_id=actor.id,
                user_id=user_id,
                now=now,
                base_url=get_settings().base_url,
                request_id=request_id(request),
            )
        except DomainError as exc:
            return redirect(request, f"/admin/users/{user_id}", flash=exc.message, kind="error")
        return await invited_page(request, queue, invitation, now, back=f"/admin/users/{user_id}")


async def invited_page(
    request: Request[Any, Any, Any],
    queue: Queue,
    invitation: invites.Invitation,
    now: dt.datetime,
    back: str,
) -> Template:
    """Show the link once, and hand its email to the worker (best effort: a sweep sends it
    later if Redis is down)."""
    queued = await queue.enqueue(
        "send_email", invitation.email_id, _job_id=outbox_jobs.send_job_id(invitation.email_id)
    )
    return page(
        request,
        "admin/user_invited.html",
        name=await services.name_of(invitation.user_id),
        back=back,
        link=f"{get_settings().base_url}/invite/{invitation.token}",
        expires_at=now + invites.INVITE_LIFETIME,
        queued=queued,
    )
