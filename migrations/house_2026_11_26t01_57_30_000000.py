"""House life: what must be unique (one rotation per house and week, one chore occurrence
per rotation and day, one weekly meeting per house and start, one roll-call row per meeting
and resident, one appeal per violation is a column constraint) and the indexes the daily
lists read by (unique and plain indexes, portable to both engines)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from house.db import ddl_migration

ID = "2026-11-26T01:57:30:000000"
VERSION = "1.38.0"
DESCRIPTION = "house life uniqueness and indexes"

FORWARDS = [
    "CREATE UNIQUE INDEX chore_rotation_week ON chore_rotation (house, week_start)",
    "CREATE UNIQUE INDEX chore_assignment_slot ON chore_assignment (rotation, chore, day)",
    "CREATE INDEX chore_assignment_day ON chore_assignment (house, day)",
    "CREATE INDEX chore_assignment_resident ON chore_assignment (resident, day)",
    "CREATE UNIQUE INDEX house_meeting_start ON house_meeting (house, starts_at)",
    "CREATE UNIQUE INDEX attendance_once ON attendance (meeting, resident)",
    "CREATE INDEX outside_meeting_house ON outside_meeting (house, held_at)",
    "CREATE INDEX outside_meeting_resident ON outside_meeting (resident, held_at)",
    "CREATE INDEX violation_resident ON violation (resident, occurred_at)",
    "CREATE INDEX violation_house ON violation (house, occurred_at)",
]
BACKWARDS = [
    "DROP INDEX IF EXISTS violation_house",
    "DROP INDEX IF EXISTS violation_resident",
    "DROP INDEX IF EXISTS outside_meeting_resident",
    "DROP INDEX IF EXISTS outside_meeting_house",
    "DROP INDEX IF EXISTS attendance_once",
    "DROP INDEX IF EXISTS house_meeting_start",
    "DROP INDEX IF EXISTS chore_assignment_resident",
    "DROP INDEX IF EXISTS chore_assignment_day",
    "DROP INDEX IF EXISTS chore_assignment_slot",
    "DROP INDEX IF EXISTS chore_rotation_week",
]


async def forwards() -> MigrationManager:
    return ddl_migration(ID, DESCRIPTION, FORWARDS, BACKWARDS)
