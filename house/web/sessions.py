"""The session cookie and the middleware that loads and saves sessions.

Litestar's own server-side session backend keeps the cookie's id for the life of the
cookie, so it cannot rotate it at sign-in (ASVS 7.2.4); hence this small middleware over
house/accounts/sessions.py.
"""

from __future__ import annotations

from http.cookies import SimpleCookie
from typing import cast

from litestar.datastructures import Cookie, MutableScopeHeaders
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from house.accounts.sessions import WebSession, load_session, save_session
from house.lib import clock
from house.settings import get_settings
from house.web import kept
from house.web.refill import fill_form

NO_SESSION = "no_session"
# Route opt: a background poll (the bell, the idle warning's question) reads the session
# without counting as activity.
SESSION_PEEK = "session_peek"
RESTORE = "restore"  # session key: the page where a kept form waits, after sign-in
KEPT_NOTE = (
    '<p class="flash flash-warning" id="kept" role="alert">'
    "You were signed out; check and send again.</p>"
)
KEPT_ELSEWHERE = (
    '<p class="flash flash-warning" id="kept" role="alert">'
    "You were signed out before that was sent, so it was not saved. Send it again.</p>"
)


def cookie_name() -> str:
    return "__Host-session" if get_settings().secure_cookies else "session"


def csrf_cookie_name() -> str:
    return "__Host-csrftoken" if get_settings().secure_cookies else "csrftoken"


def _read_cookie(scope: Scope, name: str) -> str | None:
    for key, value in scope.get("headers", []):
        if key == b"cookie":
            jar: SimpleCookie = SimpleCookie()
            try:
                jar.load(value.decode("latin-1"))
            except Exception:
                return None
            if name in jar:
                return jar[name].value
    return None


def browser_cookie(name: str, value: str, max_age: int | None) -> Cookie:
    """A cookie of the app: whole site, HttpOnly, SameSite=Lax, Secure unless local http
    (max_age 0 clears it, None lasts until the browser closes)."""
    return Cookie(
        key=name,
        value=value,
        path="/",
        secure=get_settings().secure_cookies,
        httponly=True,
        samesite="lax",
        max_age=max_age,
    )


def _cookie(value: str, *, clear: bool) -> str:
    cookie = browser_cookie(cookie_name(), "" if clear else value, 0 if clear else None)
    return cookie.to_header(header="")


def _page_address(scope: Scope) -> str:
    query = scope.get("query_string", b"").decode("latin-1")
    return scope["path"] + (f"?{query}" if query else "")


async def _kept_for_page(scope: Scope, session: WebSession) -> kept.Kept | bool | None:
    """The kept form to fill in on this page, once, after sign-in: False when this request
    is not its page; None when it was its page but the form is gone (too old)."""
    page = session.data.get(RESTORE)
    is_htmx = any(k == b"hx-request" for k, _ in scope.get("headers", []))
    if session.user is None or not page or scope.get("method") != "GET" or is_htmx:
        return False
    if page != _page_address(scope):
        return False
    session.data.pop(RESTORE)
    session.dirty = True
    token = _read_cookie(scope, kept.kept_cookie_name())
    return await kept.take(token, session.user.id, clock.now())


class SessionMiddleware(ASGIMiddleware):
    """Loads the session and the signed-in user into the scope; saves changes on the way out."""

    # Routes with this opt (the static files) need no session: no query per stylesheet.
    exclude_opt_key = NO_SESSION

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        now = clock.now()
        handler = scope.get("route_handler")
        peek = bool(handler and handler.opt.get(SESSION_PEEK))
        session = await load_session(_read_cookie(scope, cookie_name()), now, touch=not peek)
        scope["house_session"] = session  # type: ignore[typeddict-unknown-key]
        scope["user"] = session.user
        restore = await _kept_for_page(scope, session)

        async def send_with_session(message: Message) -> None:
            if message["type"] == "http.response.start":
                token, clear = await save_session(session, clock.now())
                headers = MutableScopeHeaders.from_message(message)
                if token or clear:
                    headers.add("set-cookie", _cookie(token or "", clear=clear))
                if session.timed_out_user is not None:
                    value = kept.signed_out_value(session.timed_out_user, now)
                    age = int(kept.KEEP_FOR.total_seconds())
                    cookie = browser_cookie(kept.signed_out_cookie_name(), value, age)
                    headers.add("set-cookie", cookie.to_header(header=""))
                if restore is not False:
                    cleared = browser_cookie(kept.kept_cookie_name(), "", 0)
                    headers.add("set-cookie", cleared.to_header(header=""))
            await send(message)

        answer = _filling(send_with_session, restore) if isinstance(restore, kept.Kept) else None
        await next_app(scope, receive, answer or send_with_session)


def _filling(send: Send, form: kept.Kept) -> Send:
    """`send` for a page that gets a kept form filled in: its HTML is held until complete,
    filled, then sent with its new length. Any other answer (an error, a redirect) passes."""
    held: list[Message] = []
    body = bytearray()

    async def send_filled(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = MutableScopeHeaders.from_message(message)
            if message["status"] == 200 and headers.get("content-type", "").startswith("text/html"):
                held.append(message)
                return
        if not held:
            await send(message)
            return
        body.extend(cast(bytes, message.get("body", b"")))
        if message.get("more_body"):
            return
        html = fill_form(
            body.decode(),
            form.action,
            form.fields,
            note=KEPT_NOTE,
            missing_note=KEPT_ELSEWHERE,
        ).encode()
        start = held[0]
        MutableScopeHeaders.from_message(start)["content-length"] = str(len(html))
        await send(start)
        await send({"type": "http.response.body", "body": html, "more_body": False})

    return send_filled
