"""Writing the audit log.

Views call `record_access` before they show sensitive data; if the write fails the
exception propagates and the data is not shown. Rows are hash-chained: each row's hash
covers its fields and the previous row's hash, so an edited or removed row breaks the chain
(`verify_chain` finds where).
"""

from __future__ import annotations

import datetime as dt
import hashlib

from house.audit.tables import AuditEvent
from house.db import is_sqlite, raw, write_transaction

GENESIS = "0" * 64
# Any fixed number: PostgreSQL transactions that append to the chain take this advisory lock
# so two writers cannot both link to the same previous row.
CHAIN_LOCK = 7_202_411


def _digest(prev_hash: str, fields: tuple[object, ...]) -> str:
    text = "\x1f".join(str(f) for f in (prev_hash, *fields))
    return hashlib.sha256(text.encode()).hexdigest()


def _fields(
    at: dt.datetime,
    actor_id: int | None,
    action: str,
    subject_id: int | None,
    record: str,
    request_id: str,
    detail: str,
) -> tuple[object, ...]:
    stamp = at.astimezone(dt.UTC).isoformat(timespec="microseconds")
    return (stamp, actor_id or "", action, subject_id or "", record, request_id, detail)


async def record_access(
    *,
    actor_id: int | None,
    action: str,
    at: dt.datetime,
    subject_id: int | None = None,
    record: str = "",
    request_id: str = "",
    detail: str = "",
) -> None:
    """Append one audit row. Raises if it cannot be written."""
    async with write_transaction():
        if not is_sqlite():
            await raw("SELECT pg_advisory_xact_lock({})", CHAIN_LOCK)
        last = (
            await AuditEvent.select(AuditEvent.hash)
            .order_by(AuditEvent.id, ascending=False)
            .first()
        )
        prev_hash = last["hash"] if last else GENESIS
        fields = _fields(at, actor_id, action, subject_id, record, request_id, detail[:255])
        await AuditEvent.insert(
            AuditEvent(
                at=at,
                actor=actor_id,
                action=action,
                subject=subject_id,
                record=record,
                request_id=request_id,
                detail=detail[:255],
                prev_hash=prev_hash,
                hash=_digest(prev_hash, fields),
            )
        )


def first_broken_link(rows: list[dict[str, object]], prev_hash: str) -> int | None:
    """The id of the first row that does not follow from `prev_hash` and the rows before it."""
    for row in rows:
        fields = _fields(
            row["at"],  # type: ignore[arg-type]
            row["actor"],  # type: ignore[arg-type]
            str(row["action"]),
            row["subject"],  # type: ignore[arg-type]
            str(row["record"]),
            str(row["request_id"]),
            str(row["detail"]),
        )
        if row["prev_hash"] != prev_hash or row["hash"] != _digest(prev_hash, fields):
            return int(str(row["id"]))
        prev_hash = str(row["hash"])
    return None


async def verify_chain(batch: int = 1000) -> int | None:
    """The id of the first row whose hash does not follow from the chain, or None if intact."""
    prev_hash = GENESIS
    after = 0
    while True:
        rows = (
            await AuditEvent.select()
            .where(AuditEvent.id > after)
            .order_by(AuditEvent.id)
            .limit(batch)
        )
        if not rows:
            return None
        broken = first_broken_link(rows, prev_hash)
        if broken is not None:
            return broken
        prev_hash = rows[-1]["hash"]
        after = rows[-1]["id"]
