"""/health for monitors: GET gives the facts as JSON, HEAD the same status with no body."""

from __future__ import annotations

import datetime as dt

from house.system.services import SystemStatus
from house.web.sessions import cookie_name
from tests.client import Client


async def test_it_answers_head_with_the_status_of_get_and_no_body(client: Client) -> None:
    got = await client.get("/health")
    headed = await client.http.head("/health")
    assert got.status_code == 200
    assert got.json()["database"]["ok"] is True
    assert headed.status_code == got.status_code
    assert headed.content == b""
    assert headed.headers["content-type"].startswith("application/json")
    assert cookie_name() not in headed.headers.get("set-cookie", "")  # public: no session


def test_it_answers_503_to_both_when_the_database_does_not_answer() -> None:
    now = dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC)
    down = SystemStatus("sqlite", False, True, 0, None, now)
    up = SystemStatus("sqlite", True, False, None, None, now)
    assert down.http_status == 503
    assert up.http_status == 200  # Redis down is shown in the JSON, not as "down"
