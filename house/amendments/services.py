"""Writing amendments: a correction keeps the old value, the new, who, when and why."""

from __future__ import annotations

import datetime as dt
from typing import Any

from piccolo.table import Table

from house.amendments.tables import Amendment
from house.lib.datewords import when_words
from house.lib.errors import StaleEdit


def shown(value: Any) -> str:
    """A value as an amendment stores it: booleans as yes/no, None as empty."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else str(value)


async def record_amendments(
    *,
    table_name: str,
    record_id: int,
    before: dict[str, Any],
    changed: dict[str, Any],
    reason: str,
    actor_id: int,
    now: dt.datetime,
) -> None:
    """One Amendment row per changed field (call inside the change's transaction)."""
    if not changed:
        return
    await Amendment.insert(
        *[
            Amendment(
                table_name=table_name,
                record_id=record_id,
                field=field,
                old_value=shown(before[field]),
                new_value=shown(value),
                reason=reason,
                actor=actor_id,
                at=now,
            )
            for field, value in changed.items()
        ]
    )


class Stale(StaleEdit):
    """The record changed after the person loaded it: nothing was stored. A StaleEdit, so a
    view refreshes the form's version on it as on any other stale edit."""


async def amend(
    table: type[Table],
    record: dict[str, Any],
    changes: dict[str, Any],
    *,
    reason: str,
    actor_id: int,
    now: dt.datetime,
    what: str,
) -> list[str]:
    """Correct fields of a versioned record, keeping the old values (call inside the change's
    write transaction). Returns the names of the fields that changed (none: nothing written).

    1. Only fields whose value differs are written.
    2. The UPDATE names the version the caller loaded; if another correction landed first,
       zero rows match and `Stale` is raised (the transaction rolls back: nothing half-written).
    3. One Amendment row per changed field: old value, new, who, when, why.
    """
    changed = {name: value for name, value in changes.items() if record[name] != value}
    if not changed:
        return []
    version = table._meta.get_column_by_name("version")
    primary = table._meta.primary_key
    done = (
        await table.update(
            {
                **{table._meta.get_column_by_name(name): v for name, v in changed.items()},
                version: record["version"] + 1,
            }
        )
        .where(primary == record["id"], version == record["version"])
        .returning(primary)
    )
    if not done:
        raise Stale(await _who_changed(table._meta.tablename, record["id"], what))
    await record_amendments(
        table_name=table._meta.tablename,
        record_id=record["id"],
        before=record,
        changed=changed,
        reason=reason,
        actor_id=actor_id,
        now=now,
    )
    return sorted(changed)


async def _who_changed(table_name: str, record_id: int, what: str) -> str:
    """The refusal for a stale correction, naming the last correction's author and time."""
    last = (
        await Amendment.select(Amendment.at, Amendment.actor.name.as_alias("actor_name"))
        .where(Amendment.table_name == table_name, Amendment.record_id == record_id)
        .order_by(Amendment.id, ascending=False)
        .first()
    )
    if last is None:
        return f"Someone changed this {what} just now. Check it and try again."
    return (
        f"{last['actor_name']} changed this {what} {when_words(last['at'])}, after you opened"
        " it. Check it and try again."
    )


async def history(table_name: str, record_id: int) -> list[dict[str, Any]]:
    """A record's corrections, oldest first, with the name of who made each."""
    rows: list[dict[str, Any]] = (
        await Amendment.select(
            Amendment.field,
            Amendment.old_value,
            Amendment.new_value,
            Amendment.reason,
            Amendment.at,
            Amendment.actor.name.as_alias("actor_name"),
        )
        .where(Amendment.table_name == table_name, Amendment.record_id == record_id)
        .order_by(Amendment.id)
    )
    return rows
