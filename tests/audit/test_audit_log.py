"""The audit log: append-only in the database, hash-chained, and in the way when it fails."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from house.audit.services import GENESIS, first_broken_link, record_access, verify_chain
from house.audit.tables import AuditEvent
from house.db import raw
from house.lib import clock
from tests.cast import Cast
from tests.client import Client


async def test_it_refuses_to_update_or_delete_audit_rows() -> None:
    await record_access(actor_id=None, action="test_event", at=clock.now())
    row = await AuditEvent.select(AuditEvent.id).order_by(AuditEvent.id, ascending=False).first()
    assert row is not None
    with pytest.raises(Exception, match="append-only"):
        await raw("UPDATE audit_event SET action = 'forged' WHERE id = {}", row["id"])
    with pytest.raises(Exception, match="append-only"):
        await raw("DELETE FROM audit_event WHERE id = {}", row["id"])
    assert await AuditEvent.exists().where(
        AuditEvent.id == row["id"], AuditEvent.action == "test_event"
    )


async def test_it_keeps_the_chain_intact_under_concurrent_writes(cast: Cast) -> None:
    await asyncio.gather(
        *(
            record_access(
                actor_id=cast.admin.id, action="concurrent", at=clock.now(), record=f"n:{i}"
            )
            for i in range(30)
        )
    )
    assert await verify_chain() is None


def test_it_finds_the_first_row_that_was_changed() -> None:
    import datetime as dt

    from house.audit.services import _digest, _fields

    at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    rows: list[dict[str, Any]] = []
    prev = GENESIS
    for i in range(1, 4):
        row = {
            "id": i,
            "at": at,
            "actor": 1,
            "action": "view",
            "subject": 2,
            "record": f"screen:{i}",
            "request_id": "r",
            "detail": "",
            "prev_hash": prev,
        }
        row["hash"] = _digest(prev, _fields(at, 1, "view", 2, f"screen:{i}", "r", ""))
        prev = row["hash"]
        rows.append(row)
    assert first_broken_link(rows, GENESIS) is None
    rows[1]["record"] = "screen:99"
    assert first_broken_link(rows, GENESIS) == 2


async def test_it_fails_the_request_when_the_audit_write_fails(
    client: Client, cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(**kwargs: Any) -> None:
        raise RuntimeError("audit storage unavailable")

    monkeypatch.setattr("house.accounts.services.record_access", broken)
    response = await client.post(
        "/login", {"email": cast.manager_a.email, "password": cast.manager_a.password}
    )
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.text
    assert "audit storage" not in response.text
    assert client.session_cookie is None


async def test_it_records_an_access_denial(client: Client, cast: Cast) -> None:
    await client.force_login(cast.resident_a2)
    assert (await client.get("/admin/system")).status_code == 403
    assert await AuditEvent.exists().where(
        AuditEvent.actor == cast.resident_a2.id,
        AuditEvent.action == "access_denied",
        AuditEvent.record == "path:/admin/system",
    )
