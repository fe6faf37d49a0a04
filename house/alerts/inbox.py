"""The inbox (a person's inbox deliveries) and alert preferences.

An inbox item is a Delivery with channel "inbox" for that person; unread = read_at null.
Acknowledging and resolving change the Alert itself, with conditional UPDATEs so that a
second tap (or a second person) changes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from house.accounts.alerts import Role
from house.alerts import deliveries
from house.alerts.tables import Alert, AlertPreference, AlertProfile, Delivery
from house.db import is_unique_violation, write_transaction

# Every kind of alert a person can be sent, with its label (in the order shown).
KINDS: dict[str, str] = {
    "screen_result": "A screen that needs a look (positive, dilute, refused, missed)",
    "lab_result": "A lab result came back",
    "random_not_screened": "A random pick not screened by the cut-off",
    "chores_missed": "Chores missed",
    "chore_unverified": "Chores not verified",
    "meetings_behind": "Behind on meetings this week",
    "house_meeting_absence": "Absent from a house meeting",
    "rules_unsigned": "House rules not signed",
    "appeal": "An appeal to decide",
    "bed_free": "A bed free for days",
    "milestone": "A milestone reached",
    "chore_sent_back": "A chore of mine sent back",
    "slip_rejected": "A meeting slip of mine not accepted",
}
# The kinds only admins are sent (managers never get them).
ADMIN_KINDS = ("appeal", "bed_free")
# The kinds that go to residents (about themselves); the last two to nobody else.
RESIDENT_KINDS = (
    "meetings_behind",
    "rules_unsigned",
    "milestone",
    "chore_sent_back",
    "slip_rejected",
)
RESIDENT_ONLY_KINDS = ("chore_sent_back", "slip_rejected")
# Managers and admins cannot turn these off.
CRITICAL_KINDS = frozenset({"screen_result", "random_not_screened"})
MODES = ("immediate", "digest", "off")
INBOX_LIMIT = 100


def kinds_for(role: str) -> list[str]:
    """The kinds a person of this role can receive."""
    if role == Role.resident:
        return list(RESIDENT_KINDS)
    staff = [k for k in KINDS if k not in RESIDENT_ONLY_KINDS]
    if role == Role.admin:
        return staff
    return [k for k in staff if k not in ADMIN_KINDS]


def critical_for(role: str) -> frozenset[str]:
    return CRITICAL_KINDS if role in (Role.admin, Role.manager) else frozenset()


def kind_label(kind: str) -> str:
    return KINDS.get(kind, kind.replace("_", " "))


_ROW_COLUMNS = (
    Delivery.id,
    Delivery.read_at,
    Delivery.created_at,
    Delivery.alert.id.as_alias("alert_id"),
    Delivery.alert.kind.as_alias("kind"),
    Delivery.alert.severity.as_alias("severity"),
    Delivery.alert.summary.as_alias("summary"),
    Delivery.alert.record.as_alias("record"),
    Delivery.alert.resident.as_alias("resident_id"),
    Delivery.alert.created_at.as_alias("alert_created_at"),
    Delivery.alert.acknowledged_at.as_alias("acknowledged_at"),
    Delivery.alert._.acknowledged_by._.name.as_alias("acknowledged_by_name"),
    Delivery.alert.resolved_at.as_alias("resolved_at"),
    Delivery.alert._.resolved_by._.name.as_alias("resolved_by_name"),
    Delivery.alert.resolution_note.as_alias("resolution_note"),
    Delivery.alert.escalated_at.as_alias("escalated_at"),
    Delivery.alert._.house._.id.as_alias("house_id"),
    Delivery.alert._.house._.name.as_alias("house_name"),
    Delivery.alert._.house._.timezone.as_alias("timezone"),
)


def _mine(user_id: int) -> Any:
    return (Delivery.user == user_id) & (Delivery.channel == Delivery.Channel.inbox)


def _decorate(row: dict[str, Any]) -> dict[str, Any]:
    row["kind_label"] = kind_label(row["kind"])
    if row["resolved_at"] is not None:
        row["status"] = "resolved"
    elif row["acknowledged_at"] is not None:
        row["status"] = "acknowledged"
    else:
        row["status"] = "open"
    return row


async def inbox_rows(
    user_id: int, *, house_id: int | None = None, kind: str | None = None
) -> list[dict[str, Any]]:
    """A person's inbox, newest first (one query, however many rows)."""
    where = _mine(user_id)
    if house_id is not None:
        where &= Delivery.alert._.house._.id == house_id
    if kind is not None:
        where &= Delivery.alert.kind == kind
    rows = (
        await Delivery.select(*_ROW_COLUMNS)
        .where(where)
        .order_by(Delivery.created_at, ascending=False)
        .order_by(Delivery.id, ascending=False)
        .limit(INBOX_LIMIT)
    )
    return [_decorate(row) for row in rows]


async def inbox_houses(user_id: int) -> list[dict[str, Any]]:
    """The houses a person has inbox rows for (the house filter's choices)."""
    rows = (
        await Delivery.select(
            Delivery.alert._.house._.id.as_alias("id"),
            Delivery.alert._.house._.name.as_alias("name"),
        )
        .where(_mine(user_id))
        .distinct()
    )
    return sorted(rows, key=lambda r: (r["name"], r["id"]))


def unread_count_sql() -> str:
    """`unread_count` as SQL for the session loader, which counts it in the same query as
    the person's houses: rows (unread, house NULL), one `{}` for the user id."""
    delivery, inbox = Delivery._meta.tablename, Delivery.Channel.inbox
    return (
        f"SELECT COUNT(*) AS unread, NULL AS house FROM {delivery} "  # noqa: S608
        f"""WHERE "user" = {{}} AND channel = '{inbox}' AND read_at IS NULL"""
    )


async def unread_count(user_id: int) -> int:
    """Unread inbox rows (one query)."""
    return int(await Delivery.count().where(_mine(user_id) & Delivery.read_at.is_null()))


async def inbox_row(user_id: int, delivery_id: int) -> dict[str, Any] | None:
    """One of the person's own inbox rows, or None (another person's row is not theirs)."""
    row = await Delivery.select(*_ROW_COLUMNS).where(_mine(user_id) & (Delivery.id == delivery_id))
    return _decorate(row[0]) if row else None


async def row_for_alert(user_id: int, alert_id: int) -> dict[str, Any] | None:
    """The person's inbox row of an alert (to re-render it after an action), or None."""
    row = await Delivery.select(*_ROW_COLUMNS).where(
        _mine(user_id) & (Delivery.alert.id == alert_id)
    )
    return _decorate(row[0]) if row else None


async def mark_read(user_id: int, delivery_id: int, now: dt.datetime) -> None:
    """Only the first opening sets read_at."""
    async with write_transaction():
        await Delivery.update({Delivery.read_at: now}).where(
            _mine(user_id) & (Delivery.id == delivery_id) & Delivery.read_at.is_null()
        )


async def alert_for_staff(user_id: int, is_admin: bool, alert_id: int) -> dict[str, Any] | None:
    """The alert if this staff member had it delivered (admins: any alert), else None."""
    query = Alert.select(Alert.id, Alert.house).where(Alert.id == alert_id)
    if not is_admin:
        delivered = Delivery.select(Delivery.alert).where(Delivery.user == user_id)
        query = query.where(Alert.id.is_in(delivered))
    return await query.first()


async def _read_by(alert_id: int, user_id: int, now: dt.datetime) -> None:
    """Whoever acknowledges or resolves an alert has read it (the bell drops)."""
    await Delivery.update({Delivery.read_at: now}).where(
        _mine(user_id) & (Delivery.alert == alert_id) & Delivery.read_at.is_null()
    )


async def acknowledge(alert_id: int, user_id: int, now: dt.datetime) -> bool:
    """Acknowledge an open alert; False when it already was (nothing changes)."""
    async with write_transaction():
        await _read_by(alert_id, user_id, now)
        rows = (
            await Alert.update({Alert.acknowledged_at: now, Alert.acknowledged_by: user_id})
            .where(
                (Alert.id == alert_id)
                & Alert.acknowledged_at.is_null()
                & Alert.resolved_at.is_null()
            )
            .returning(Alert.id)
        )
        if rows:
            await deliveries.drop_unsent(alert_id, now)
    return bool(rows)


async def resolve(alert_id: int, user_id: int, note: str, now: dt.datetime) -> bool:
    """Resolve an alert with a note (acknowledging it too if nobody had); False when it was
    already resolved (the first note stands)."""
    async with write_transaction():
        await _read_by(alert_id, user_id, now)
        rows = (
            await Alert.update(
                {Alert.resolved_at: now, Alert.resolved_by: user_id, Alert.resolution_note: note}
            )
            .where((Alert.id == alert_id) & Alert.resolved_at.is_null())
            .returning(Alert.id)
        )
        if rows:
            await Alert.update({Alert.acknowledged_at: now, Alert.acknowledged_by: user_id}).where(
                (Alert.id == alert_id) & Alert.acknowledged_at.is_null()
            )
            await deliveries.drop_unsent(alert_id, now)
    return bool(rows)


def record_link(row: dict[str, Any], *, is_staff: bool) -> str | None:
    """Where the person may see the record an alert is about (from `alert.record`)."""
    what, _, raw_id = str(row["record"]).partition(":")
    record_id = int(raw_id) if raw_id.isdigit() else None
    if what in ("screen", "violation") and record_id:
        return f"/{what}s/{record_id}"
    if not is_staff:
        return {
            "meetings_behind": "/meetings/outside",
            "rules_unsigned": "/rules",
            "chore_sent_back": "/chores",
            "slip_rejected": "/meetings/outside",
        }.get(row["kind"])
    if what == "appeal" and record_id:
        return f"/appeals/{record_id}"
    if what == "bed" and record_id:
        return f"/beds/{record_id}"
    if what == "meeting" and record_id:
        return f"/meetings/{record_id}"
    if what == "resident" and record_id:
        return f"/residents/{record_id}"
    if row["resident_id"]:
        return f"/residents/{row['resident_id']}"
    return None


async def load_preferences(user_id: int) -> tuple[dict[str, str], dict[str, Any]]:
    """The person's mode per kind (only kinds with a row) and their profile (defaults when
    there is no row)."""
    modes = {
        r["kind"]: r["mode"]
        for r in await AlertPreference.select(AlertPreference.kind, AlertPreference.mode).where(
            AlertPreference.user == user_id
        )
    }
    profile = await AlertProfile.select(
        AlertProfile.digest_hour,
        AlertProfile.quiet_from,
        AlertProfile.quiet_to,
        AlertProfile.timezone,
    ).where(AlertProfile.user == user_id).first() or {
        "digest_hour": 7,
        "quiet_from": "",
        "quiet_to": "",
        "timezone": "",
    }
    return modes, profile


async def save_preferences(user_id: int, modes: dict[str, str], profile: dict[str, Any]) -> None:
    """Upsert one AlertPreference row per kind and the AlertProfile row, all or nothing.
    Two saves at once: the loser of the unique index retries once and updates."""
    for attempt in (1, 2):
        try:
            await _save(user_id, modes, profile)
        except Exception as exc:
            if attempt == 2 or not is_unique_violation(exc):
                raise
        else:
            return


async def _save(user_id: int, modes: dict[str, str], profile: dict[str, Any]) -> None:
    async with write_transaction():
        existing = {
            r["kind"]
            for r in await AlertPreference.select(AlertPreference.kind).where(
                AlertPreference.user == user_id
            )
        }
        for kind, mode in modes.items():
            if kind in existing:
                await AlertPreference.update({AlertPreference.mode: mode}).where(
                    (AlertPreference.user == user_id) & (AlertPreference.kind == kind)
                )
            else:
                await AlertPreference.insert(AlertPreference(user=user_id, kind=kind, mode=mode))
        values: dict[Any, Any] = {
            AlertProfile.digest_hour: profile["digest_hour"],
            AlertProfile.quiet_from: profile["quiet_from"],
            AlertProfile.quiet_to: profile["quiet_to"],
            AlertProfile.timezone: profile["timezone"],
        }
        updated = (
            await AlertProfile.update(values)
            .where(AlertProfile.user == user_id)
            .returning(AlertProfile.id)
        )
        if not updated:
            await AlertProfile.insert(
                AlertProfile(
                    user=user_id,
                    digest_hour=profile["digest_hour"],
                    quiet_from=profile["quiet_from"],
                    quiet_to=profile["quiet_to"],
                    timezone=profile["timezone"],
                )
            )
