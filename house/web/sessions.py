"""The session cookie and the middleware that loads and saves sessions.

Litestar's own server-side session backend keeps the cookie's id for the life of the
cookie, so it cannot rotate it at sign-in (ASVS 7.2.4); hence this small middleware over
house/accounts/sessions.py.
"""

from __future__ import annotations

from http.cookies import SimpleCookie

from litestar.datastructures import Cookie, MutableScopeHeaders
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from house.accounts.sessions import load_session, save_session
from house.lib import clock
from house.settings import get_settings

NO_SESSION = "no_session"


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


def _cookie(value: str, *, clear: bool) -> str:
    secure = get_settings().secure_cookies
    cookie = Cookie(
        key=cookie_name(),
        value="" if clear else value,
        path="/",
        secure=secure,
        httponly=True,
        samesite="lax",
        max_age=0 if clear else None,
    )
    return cookie.to_header(header="")


class SessionMiddleware(ASGIMiddleware):
    """Loads the session and the signed-in user into the scope; saves changes on the way out."""

    # Routes with this opt (the static files) need no session: no query per stylesheet.
    exclude_opt_key = NO_SESSION

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        now = clock.now()
        session = await load_session(_read_cookie(scope, cookie_name()), now)
        scope["house_session"] = session  # type: ignore[typeddict-unknown-key]
        scope["user"] = session.user

        async def send_with_session(message: Message) -> None:
            if message["type"] == "http.response.start":
                token, clear = await save_session(session, clock.now())
                if token or clear:
                    headers = MutableScopeHeaders.from_message(message)
                    headers.add("set-cookie", _cookie(token or "", clear=clear))
            await send(message)

        await next_app(scope, receive, send_with_session)
