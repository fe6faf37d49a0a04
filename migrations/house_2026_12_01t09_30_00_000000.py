"""Partial indexes for the alert sweep's rules that look for a few rows among a house's
whole history: chores done and not verified, chores missed, absences from house meetings,
residents drawn and not yet screened. Without them those rules read the whole table each
minute, so the sweep slows as history builds up (bench/alerts.py measured it). Partial
indexes work on both engines."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from house.db import ddl_migration

ID = "2026-12-01T09:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "partial indexes for the alert sweep"

FORWARDS = [
    "CREATE INDEX chore_assignment_done ON chore_assignment (done_at) WHERE status = 'done'",
    "CREATE INDEX chore_assignment_missed ON chore_assignment (day) WHERE status = 'missed'",
    "CREATE INDEX attendance_absent ON attendance (recorded_at) WHERE status = 'absent'",
    "CREATE INDEX draw_selection_open ON draw_selection (day) WHERE status = 'selected'",
]
BACKWARDS = [
    "DROP INDEX IF EXISTS draw_selection_open",
    "DROP INDEX IF EXISTS attendance_absent",
    "DROP INDEX IF EXISTS chore_assignment_missed",
    "DROP INDEX IF EXISTS chore_assignment_done",
]


async def forwards() -> MigrationManager:
    return ddl_migration(ID, DESCRIPTION, FORWARDS, BACKWARDS)
