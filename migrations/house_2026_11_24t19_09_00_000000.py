"""Rules the database keeps that Piccolo's columns cannot say, on both engines.

1. A user is a member of a house at most once (composite unique index).
2. The audit table is append-only: UPDATE and DELETE are refused by triggers.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from house.db import ddl_migration

ID = "2026-11-24T19:09:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "membership uniqueness, append-only audit"

SQLITE_FORWARDS = [
    "CREATE UNIQUE INDEX house_membership_user_house ON house_membership (user, house)",
    """CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
       BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END""",
    """CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
       BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END""",
]
SQLITE_BACKWARDS = [
    "DROP TRIGGER IF EXISTS audit_event_no_delete",
    "DROP TRIGGER IF EXISTS audit_event_no_update",
    "DROP INDEX IF EXISTS house_membership_user_house",
]
POSTGRES_FORWARDS = [
    'CREATE UNIQUE INDEX house_membership_user_house ON house_membership ("user", house)',
    """CREATE FUNCTION audit_event_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'audit_event is append-only'; END $$""",
    """CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON audit_event
       FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_change()""",
    """CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
       FOR EACH STATEMENT EXECUTE FUNCTION audit_event_refuse_change()""",
]
POSTGRES_BACKWARDS = [
    "DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_event",
    "DROP TRIGGER IF EXISTS audit_event_no_change ON audit_event",
    "DROP FUNCTION IF EXISTS audit_event_refuse_change()",
    "DROP INDEX IF EXISTS house_membership_user_house",
]


async def forwards() -> MigrationManager:
    return ddl_migration(
        ID,
        DESCRIPTION,
        {"sqlite": SQLITE_FORWARDS, "postgres": POSTGRES_FORWARDS},
        {"sqlite": SQLITE_BACKWARDS, "postgres": POSTGRES_BACKWARDS},
    )
