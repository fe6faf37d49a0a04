"""Excusing a selected resident: a reason is required (422 by the row, what was typed kept),
markup is escaped, only while "selected" (a second tap changes nothing), htmx swaps the one
row, without script post/redirect/get; another house's selection is a 404, no CSRF a 403."""

from __future__ import annotations

from typing import Any

import pytest

from house.audit.tables import AuditEvent
from house.lib import clock
from house.screens.random import services
from house.screens.tables import DrawSelection
from tests.cast import Cast
from tests.client import Client
from tests.screens.random.helpers import (
    TODAY,
    at_wednesday,  # noqa: F401 - a fixture
    random_house,
)

pytestmark = pytest.mark.usefixtures("at_wednesday")
HX = {"HX-Request": "true"}


async def _selection() -> tuple[dict[str, Any], dict[str, Any]]:
    setup = await random_house(residents=2, rate=2)
    drawn = await services.draw_for_day(
        house_id=setup["house"], day=TODAY, now=clock.now(), by=None
    )
    row = await DrawSelection.select().where(DrawSelection.draw == drawn.draw_id).first()
    assert row is not None
    return setup, row


async def _status(selection: int) -> dict[str, Any]:
    row = await DrawSelection.select().where(DrawSelection.id == selection).first()
    assert row is not None
    return row


async def test_it_excuses_with_a_reason_by_post_redirect_get_once(client: Client) -> None:
    setup, row = await _selection()
    await client.force_login(setup["manager"])
    url = f"/draw-selections/{row['id']}/excuse"
    done = await client.post(url, {"reason": "Court date at 9"})
    assert done.status_code == 303
    assert done.headers["location"] == f"/draws/{row['draw']}"
    stored = await _status(row["id"])
    assert (stored["status"], stored["excuse_reason"], stored["decided_by"]) == (
        "excused",
        "Court date at 9",
        setup["manager"].id,
    )
    again = await client.post(url, {"reason": "Another reason"})
    assert again.status_code == 303
    page = await client.get(f"/draws/{row['draw']}")
    assert "This selection is already excused: nothing was changed." in page.text
    assert "Court date at 9" in page.text
    assert (await _status(row["id"]))["excuse_reason"] == "Court date at 9"
    audit = await AuditEvent.count().where(
        AuditEvent.record == f"draw_selection:{row['id']}", AuditEvent.action == "random_excused"
    )
    assert audit == 1


async def test_it_swaps_only_the_row_with_htmx(client: Client) -> None:
    setup, row = await _selection()
    await client.force_login(setup["manager"])
    answer = await client.post(
        f"/draw-selections/{row['id']}/excuse", {"reason": "Sick"}, headers=HX
    )
    assert answer.status_code == 200
    assert answer.text.lstrip().startswith(f'<li id="selection-{row["id"]}"')
    assert "<html" not in answer.text
    assert "Excused by Mo Draws" in answer.text
    second = await client.post(
        f"/draw-selections/{row['id']}/excuse", {"reason": "Sick"}, headers=HX
    )
    assert second.status_code == 409
    assert "already excused" in second.text


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("", "Enter a reason."),
        ("   ", "Enter a reason."),
        ("x" * 301, "Use at most 300 characters"),
        ("<script>alert(1)</script>" + "y" * 300, "Use at most 300 characters"),
    ],
)
async def test_it_answers_a_bad_reason_by_the_row_and_changes_nothing(
    client: Client, reason: str, message: str
) -> None:
    setup, row = await _selection()
    await client.force_login(setup["manager"])
    for headers in ({}, HX):
        response = await client.post(
            f"/draw-selections/{row['id']}/excuse", {"reason": reason}, headers=headers
        )
        assert response.status_code == 422
        assert message in response.text
        assert f'id="f-reason-{row["id"]}-error"' in response.text
        assert "<script>alert(1)</script>" not in response.text
        if reason.strip():
            escaped = reason[:600].replace("<", "&lt;").replace(">", "&gt;")
            assert f'value="{escaped}"' in response.text
    stored = await _status(row["id"])
    assert (stored["status"], stored["excuse_reason"]) == ("selected", "")


async def test_it_escapes_markup_in_a_reason(client: Client) -> None:
    setup, row = await _selection()
    await client.force_login(setup["manager"])
    await client.post(f"/draw-selections/{row['id']}/excuse", {"reason": "<b>court</b>"})
    page = await client.get(f"/draws/{row['draw']}")
    assert "<b>court</b>" not in page.text
    assert "&lt;b&gt;court&lt;/b&gt;" in page.text


async def test_it_answers_another_house_a_missing_id_and_no_csrf(
    client: Client, cast: Cast
) -> None:
    setup, row = await _selection()
    await client.force_login(cast.manager_a)
    other = await client.post(f"/draw-selections/{row['id']}/excuse", {"reason": "x"})
    assert other.status_code == 404
    await client.force_login(setup["manager"])
    missing = await client.post("/draw-selections/2000000000/excuse", {"reason": "x"})
    assert missing.status_code == 404
    no_token = await client.post(
        f"/draw-selections/{row['id']}/excuse", {"reason": "x"}, csrf=False
    )
    assert no_token.status_code == 403
    wrong_type = await client.post("/draw-selections/abc/excuse", {"reason": "x"})
    assert wrong_type.status_code in (404, 405)
    assert (await _status(row["id"]))["status"] == "selected"
