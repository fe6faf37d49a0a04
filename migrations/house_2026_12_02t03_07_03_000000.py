"""CM: one screen earning per resident, house and house day, kept by the database (two
screens of one day recorded at the same moment on two phones earn once). Earnings written
before this have no `earned_on`; the service also checks the day by the screens' collection
times, so they count too. Portable to both engines."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from house.db import ddl_migration

ID = "2026-12-02T03:07:03:000000"
VERSION = "1.38.0"
DESCRIPTION = "CM: one screen earning per resident, house and day"

FORWARDS = [
    "CREATE UNIQUE INDEX cm_entry_earned_once ON cm_entry (house, resident, earned_on)"
    " WHERE earned_on IS NOT NULL",
]
BACKWARDS = ["DROP INDEX IF EXISTS cm_entry_earned_once"]


async def forwards() -> MigrationManager:
    return ddl_migration(ID, DESCRIPTION, FORWARDS, BACKWARDS)
