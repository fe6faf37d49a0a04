"""The inbox (every signed-in person sees only their own rows), acknowledging and resolving
alerts (staff who had the alert, or admins), the unread badge, and alert preferences."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Template

from house.alerts import inbox
from house.alerts.forms import MODE_LABELS, parse_filters, parse_preferences, parse_resolve
from house.lib import clock, zones
from house.lib.forms import FormResult
from house.web.access import found, require_user, signed_in, staff_only
from house.web.forms import submit
from house.web.render import FORM_ERROR_STATUS, is_partial, page, read_form, redirect
from house.web.sessions import SESSION_PEEK


async def _inbox_page(
    request: Request[Any, Any, Any],
    user_id: int,
    *,
    status_code: int = 200,
    resolve_errors: dict[int, FormResult] | None = None,
    notice: str | None = None,
) -> Template:
    houses = await inbox.inbox_houses(user_id)
    role = require_user(request).role
    kinds = {k: inbox.kind_label(k) for k in inbox.kinds_for(role)}
    house_id, kind, messages = parse_filters(
        request.query_params, houses=[h["id"] for h in houses], kinds=kinds
    )
    rows = await inbox.inbox_rows(user_id, house_id=house_id, kind=kind)
    return page(
        request,
        "alerts/inbox.html",
        status_code=status_code,
        rows=rows,
        houses=houses,
        kinds=kinds,
        chosen_house=house_id,
        chosen_kind=kind,
        messages=[notice, *messages] if notice else messages,
        unread=await inbox.unread_count(user_id),
        resolve_errors=resolve_errors or {},
    )


class InboxController(Controller):
    path = "/inbox"
    guards = [signed_in]  # noqa: RUF012 - Litestar reads this class attribute

    @get("", name="alerts:inbox")
    async def index(self, request: Request[Any, Any, Any]) -> Template:
        return await _inbox_page(request, require_user(request).id)

    # The bell's poll is not something the person did: it does not keep them signed in.
    @get("/count", name="alerts:count", opt={SESSION_PEEK: True})
    async def count(self, request: Request[Any, Any, Any]) -> Template:
        unread = await inbox.unread_count(require_user(request).id)
        return page(request, "alerts/partials/badge.html", unread=unread)

    @get("/{delivery_id:int}", name="alerts:item")
    async def item(self, request: Request[Any, Any, Any], delivery_id: FromPath[int]) -> Template:
        user = require_user(request)
        row = found(await inbox.inbox_row(user.id, delivery_id))
        if row["read_at"] is None:
            await inbox.mark_read(user.id, delivery_id, clock.now())
        return page(
            request,
            "alerts/item.html",
            r=row,
            link=inbox.record_link(row, is_staff=user.is_staff),
            resolve_form=FormResult(),
            unread=await inbox.unread_count(user.id),
        )

    @get("/preferences", name="alerts:preferences")
    async def preferences(self, request: Request[Any, Any, Any]) -> Template:
        user = require_user(request)
        modes, profile = await inbox.load_preferences(user.id)
        kinds = inbox.kinds_for(user.role)
        typed: dict[str, Any] = {f"mode-{k}": modes.get(k, "immediate") for k in kinds}
        typed |= {
            "digest_hour": str(profile["digest_hour"]),
            "quiet_from": profile["quiet_from"],
            "quiet_to": profile["quiet_to"],
            # Saved as an alias ("US/Eastern"): shown as the zone it stands for.
            "timezone": zones.canonical(profile["timezone"]) or profile["timezone"],
        }
        return _preferences_page(request, user.role, FormResult(typed=typed))

    @post("/preferences", name="alerts:save_preferences")
    async def save_preferences(self, request: Request[Any, Any, Any]) -> Any:
        user = require_user(request)
        form = parse_preferences(
            await read_form(request),
            kinds=inbox.kinds_for(user.role),
            critical=inbox.critical_for(user.role),
        )

        async def save() -> str:
            await inbox.save_preferences(user.id, form.values["modes"], form.values)
            return "/inbox/preferences"

        async def again(form: FormResult, status_code: int) -> Template:
            return _preferences_page(request, user.role, form, status_code=status_code)

        return await submit(request, form, save, again, flash="Your alert settings are saved.")


def _preferences_page(
    request: Request[Any, Any, Any], role: str, form: FormResult, *, status_code: int = 200
) -> Template:
    return page(
        request,
        "alerts/preferences.html",
        status_code=status_code,
        form=form,
        kinds=[(k, inbox.kind_label(k)) for k in inbox.kinds_for(role)],
        critical=inbox.critical_for(role),
        modes=MODE_LABELS,
        hours=[(str(h), f"{h:02d}:00") for h in range(24)],
        timezones=[("", "My house's timezone"), *((z, z) for z in zones.canonical_names())],
    )


class AlertActionController(Controller):
    """Acknowledge and resolve: staff who had the alert delivered, or admins. htmx gets the
    inbox row back (swapped outerHTML); a plain form is sent back to the inbox."""

    path = "/alerts/{alert_id:int}"
    guards = [staff_only]  # noqa: RUF012 - Litestar reads this class attribute

    @post("/acknowledge", name="alerts:acknowledge")
    async def acknowledge(self, request: Request[Any, Any, Any], alert_id: FromPath[int]) -> Any:
        user = require_user(request)
        found(await inbox.alert_for_staff(user.id, user.is_admin, alert_id))
        changed = await inbox.acknowledge(alert_id, user.id, clock.now())
        message = "Acknowledged." if changed else "Already acknowledged or resolved."
        return await _after_action(request, user.id, alert_id, message, FormResult())

    @post("/resolve", name="alerts:resolve")
    async def resolve(self, request: Request[Any, Any, Any], alert_id: FromPath[int]) -> Any:
        user = require_user(request)
        found(await inbox.alert_for_staff(user.id, user.is_admin, alert_id))
        form = parse_resolve(await read_form(request))
        if not form.ok:
            return await _after_action(
                request, user.id, alert_id, None, form, status_code=FORM_ERROR_STATUS
            )
        changed = await inbox.resolve(alert_id, user.id, form.values["note"], clock.now())
        message = "Resolved." if changed else "Already resolved: the first note stands."
        return await _after_action(request, user.id, alert_id, message, FormResult())


async def _after_action(
    request: Request[Any, Any, Any],
    user_id: int,
    alert_id: int,
    message: str | None,
    form: FormResult,
    *,
    status_code: int = 200,
) -> Any:
    row = await inbox.row_for_alert(user_id, alert_id)
    if is_partial(request) and row is not None:
        return page(
            request,
            "alerts/partials/acted.html",
            status_code=status_code,
            r=row,
            note=message,
            resolve_form=form,
            unread=await inbox.unread_count(user_id),
        )
    if not form.ok:
        return await _inbox_page(
            request,
            user_id,
            status_code=status_code,
            resolve_errors={alert_id: form},
            # At the top too: without script the row with the message may be far down.
            notice=f"Not resolved: {form.errors['note']}"
            + (" The alert is marked below." if row else ""),
        )
    return redirect(request, "/inbox", flash=message)


ROUTES: list[Any] = [InboxController, AlertActionController]
