"""Creating houses and saving their settings (the one versioned save of house columns)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from house.audit.services import record_access
from house.db import refuse_duplicates, write_transaction
from house.houses.tables import House
from house.lib.datewords import when_words
from house.lib.errors import NotFound, StaleEdit
from house.web.access import CurrentUser, scoped

FIELDS = (
    "name",
    "address",
    "kind",
    "narr_level",
    "timezone",
    "curfew",
    "phone",
    "notes",
    "require_signed_rules",
    "consequence_ladder",
    "chore_rotation_day",
    "chore_rotation_hour",
    "meeting_day",
    "meeting_time",
    "outside_meetings_required",
    "alert_random_cutoff",
    "alert_chores_missed",
    "alert_meetings_weekday",
    "alert_bed_free_days",
    "alert_escalate_minutes",
)


async def create_house(*, actor_id: int, values: dict[str, Any], now: dt.datetime) -> int:
    with refuse_duplicates("There is already a house with this name.", "name"):
        async with write_transaction():
            rows = await House.insert(
                House(**{f: values[f] for f in FIELDS}, created_at=now)
            ).returning(House.id)
            house_id = int(rows[0]["id"])
            await record_access(
                actor_id=actor_id, action="house_created", at=now, record=f"house:{house_id}"
            )
    return house_id


async def save_settings(
    *,
    actor_id: int,
    house_id: int,
    values: dict[str, Any],
    version: int,
    now: dt.datetime,
    action: str,
    detail: str = "",
) -> bool:
    """Store house columns (`values` by column name) if nobody saved the house since the
    person read `version`. The one way any part of the program saves a house's settings.

    1. One conditional UPDATE on the version; the version goes up by one.
    2. Zero rows: a house that does not exist is NotFound; if the house already holds these
       very values (a double submit, a second tab) nothing is stored and False is returned;
       otherwise StaleEdit says who saved the house and when.
    3. An audit row `action` in the same transaction. Returns True when stored.
    """
    columns: dict[Any, Any] = {
        House._meta.get_column_by_name(name): value for name, value in values.items()
    }
    async with write_transaction():
        changed = (
            await House.update(
                {
                    **columns,
                    House.version: House.version + 1,
                    House.updated_at: now,
                    House.updated_by: actor_id,
                }
            )
            .where(House.id == house_id, House.version == version)
            .returning(House.id)
        )
        if changed:
            await record_access(
                actor_id=actor_id, action=action, at=now, record=f"house:{house_id}", detail=detail
            )
            return True
    await _refuse_stale(house_id, values)
    return False


async def _refuse_stale(house_id: int, values: dict[str, Any]) -> None:
    """Return quietly if the house already holds `values`; else raise NotFound or StaleEdit."""
    row = (
        await House.select(
            *[House._meta.get_column_by_name(name) for name in values],
            House.updated_at,
            House.updated_by.name.as_alias("updated_by_name"),
            House.timezone.as_alias("house_timezone"),
        )
        .where(House.id == house_id)
        .first()
    )
    if row is None:
        raise NotFound()
    if all(row[name] == value for name, value in values.items()):
        return
    when = row["updated_at"]
    raise StaleEdit(
        f"{row['updated_by_name'] or 'Someone'} changed this house"
        + (f" {when_words(when, row['house_timezone'])}" if when else "")
        + " after you opened the page. Check the values below and save again."
    )


async def update_house(
    *, actor_id: int, house_id: int, values: dict[str, Any], version: int, now: dt.datetime
) -> bool:
    """Save the house's own details (FIELDS). False for a repeat of the same values."""
    with refuse_duplicates("There is already a house with this name.", "name"):
        return await save_settings(
            actor_id=actor_id,
            house_id=house_id,
            values={name: values[name] for name in FIELDS},
            version=version,
            now=now,
            action="house_updated",
        )


async def houses_for(user: CurrentUser) -> list[dict[str, Any]]:
    """The houses a user works in (an admin: every house), by name: id, name, address and
    timezone."""
    houses: list[dict[str, Any]] = await scoped(
        House.select(House.id, House.name, House.address, House.timezone).order_by(House.name),
        House.id,
        user,
    )
    return houses
