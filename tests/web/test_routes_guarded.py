"""Deny by default: every route declares an access rule, checked before anything runs."""

from __future__ import annotations

from typing import Any

import httpx
from litestar import Litestar, get

from house.web.access import declared_rule_required, public, route_problems, signed_in


def test_it_finds_an_access_rule_on_every_route_of_the_app(app: Any) -> None:
    assert route_problems(app) == []


def test_it_flags_a_route_without_a_rule_and_a_public_route_off_the_list() -> None:
    @get("/forgotten", sync_to_thread=False)
    def forgotten() -> str:
        return "secret"

    @get("/sneaky", guards=[public], sync_to_thread=False)
    def sneaky() -> str:
        return "secret"

    @get("/fine", guards=[signed_in], sync_to_thread=False)
    def fine() -> str:
        return "ok"

    problems = route_problems(Litestar([forgotten, sneaky, fine], openapi_config=None))
    assert sorted(problems) == [
        "['GET'] /forgotten: no access rule",
        "['GET'] /sneaky: public but not in PUBLIC_PATHS",
    ]


async def test_it_refuses_at_run_time_a_handler_that_declares_no_rule() -> None:
    @get("/forgotten", sync_to_thread=False)
    def forgotten() -> str:
        return "secret"

    app = Litestar([forgotten], guards=[declared_rule_required], openapi_config=None)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as client:
        response = await client.get("/forgotten")
    assert response.status_code == 403
    assert "secret" not in response.text


async def test_it_refuses_the_automatic_options_handler(app: Any) -> None:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="https://house.test"
    ) as client:
        # It inherits its controller's rule (sign in first) or, with none, is refused.
        assert (await client.options("/admin/users")).status_code == 303
        assert (await client.options("/login")).status_code == 403
