"""Alerts: one delivery per alert, person and channel; one preference per person and kind;
and the indexes the sweep, the workers and the inbox read by (portable to both engines)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from house.db import ddl_migration

ID = "2026-11-26T03:11:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "alerts uniqueness and indexes"

FORWARDS = [
    'CREATE UNIQUE INDEX delivery_once ON delivery (alert, "user", channel)',
    "CREATE INDEX delivery_due ON delivery (channel, status, next_attempt_at)",
    'CREATE INDEX delivery_inbox ON delivery ("user", channel, read_at)',
    'CREATE UNIQUE INDEX alert_preference_once ON alert_preference ("user", kind)',
    "CREATE INDEX alert_event_open ON alert_event (processed_at, id)",
    "CREATE INDEX alert_house ON alert (house, created_at)",
    "CREATE INDEX alert_open ON alert (severity, acknowledged_at, escalated_at)",
]
BACKWARDS = [
    "DROP INDEX IF EXISTS alert_open",
    "DROP INDEX IF EXISTS alert_house",
    "DROP INDEX IF EXISTS alert_event_open",
    "DROP INDEX IF EXISTS alert_preference_once",
    "DROP INDEX IF EXISTS delivery_inbox",
    "DROP INDEX IF EXISTS delivery_due",
    "DROP INDEX IF EXISTS delivery_once",
]


async def forwards() -> MigrationManager:
    return ddl_migration(ID, DESCRIPTION, FORWARDS, BACKWARDS)
