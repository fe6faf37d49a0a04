"""A client for the real app in the test's own event loop, signing in as a cast member."""

from __future__ import annotations

import ipaddress
import itertools
import os
import re
from typing import Any
from urllib.parse import urlencode

import httpx

from house.web.sessions import cookie_name, csrf_cookie_name
from tests.factories import Person

BASE_URL = "https://house.test"


_addresses = itertools.count(1)


def new_address() -> str:
    """A client address of its own (sign-in is throttled per address across accounts, so
    one test's failures must not slow another test's sign-ins)."""
    n = next(_addresses) + os.getpid() % 50_000 * 300
    return str(ipaddress.IPv4Address("10.0.0.0") + n)


class Client:
    def __init__(self, app: Any, address: str | None = None) -> None:
        self.address = address or new_address()
        self.http = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app, client=(self.address, 40123)),
            base_url=BASE_URL,
            follow_redirects=False,
        )

    async def __aenter__(self) -> Client:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.http.aclose()

    @property
    def session_cookie(self) -> str | None:
        return self.http.cookies.get(cookie_name())

    async def csrf_token(self) -> str:
        token = self.http.cookies.get(csrf_cookie_name())
        if token is None:
            await self.http.get("/login")
            token = self.http.cookies.get(csrf_cookie_name())
        assert token, "the app set no CSRF cookie"
        return token

    async def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return await self.http.get(url, **kwargs)

    async def post(
        self,
        url: str,
        data: dict[str, Any] | list[tuple[str, str]] | None = None,
        *,
        csrf: bool = True,
        **kwargs: Any,
    ) -> httpx.Response:
        """POST a form with the CSRF token (as a browser's form would send it)."""
        items: list[tuple[str, str]] = (
            list(data.items()) if isinstance(data, dict) else list(data or [])
        )
        if csrf:
            items.append(("_csrf_token", await self.csrf_token()))
        headers = {"content-type": "application/x-www-form-urlencoded", **kwargs.pop("headers", {})}
        return await self.http.post(url, content=urlencode(items), headers=headers, **kwargs)

    async def force_login(self, person: Person) -> None:
        """A signed-in session made the way sign-in makes one, without the argon2 check
        (the sign-in form itself is tested in tests/accounts)."""
        self.http.cookies.set(cookie_name(), await _new_session(person), domain="house.test")

    async def login(self, person: Person, password: str | None = None) -> httpx.Response:
        response = await self.post(
            "/login", {"email": person.email, "password": password or person.password}
        )
        assert response.status_code == 303, (response.status_code, response.text[:500])
        return response


async def _new_session(person: Person) -> str:
    from house.accounts.sessions import WebSession, save_session
    from house.lib import clock

    session = WebSession()
    session.sign_in(person.id)
    token, _ = await save_session(session, clock.now())
    assert token
    return token


def form_value(html: str, name: str) -> str | None:
    match = re.search(rf'name="{re.escape(name)}"[^>]*value="([^"]*)"', html)
    return match.group(1) if match else None
