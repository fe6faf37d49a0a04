"""The bed rules, kept by the database on both engines.

1. A bed holds at most one current assignment; a stay holds at most one current bed
   (partial unique indexes WHERE end_on IS NULL).
2. A resident holds at most one active stay (partial unique index).
3. An assignment ends on or after it starts (a CHECK on PostgreSQL, a trigger on SQLite,
   which cannot add a constraint to an existing table).
4. No two assignments of one bed overlap in time: an exclusion constraint on PostgreSQL
   (btree_gist, a trusted extension since PostgreSQL 13), a trigger on SQLite (its writes
   are serialised, so the check inside the trigger cannot race).
5. Labels are unique: rooms within a house, beds within a room.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from house.db import ddl_migration

ID = "2026-11-24T19:41:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "bed rules: one current bed, no overlaps, one active stay, unique labels"

COMMON_FORWARDS = [
    "CREATE UNIQUE INDEX room_house_label ON room (house, label)",
    "CREATE UNIQUE INDEX bed_room_label ON bed (room, label)",
    "CREATE UNIQUE INDEX bed_assignment_current_bed ON bed_assignment (bed) WHERE end_on IS NULL",
    "CREATE UNIQUE INDEX bed_assignment_current_stay ON bed_assignment (stay) WHERE end_on IS NULL",
    "CREATE UNIQUE INDEX stay_one_active_per_resident ON stay (resident) WHERE status = 'active'",
    "CREATE INDEX stay_house_status ON stay (house, status)",
    "CREATE INDEX bed_assignment_house_current ON bed_assignment (house) WHERE end_on IS NULL",
]
COMMON_BACKWARDS = [
    "DROP INDEX IF EXISTS bed_assignment_house_current",
    "DROP INDEX IF EXISTS stay_house_status",
    "DROP INDEX IF EXISTS stay_one_active_per_resident",
    "DROP INDEX IF EXISTS bed_assignment_current_stay",
    "DROP INDEX IF EXISTS bed_assignment_current_bed",
    "DROP INDEX IF EXISTS bed_room_label",
    "DROP INDEX IF EXISTS room_house_label",
]

_SQLITE_CHECK = """
    SELECT CASE
      WHEN NEW.end_on IS NOT NULL AND NEW.end_on < NEW.start_on
        THEN RAISE(ABORT, 'bed_assignment ends before it starts')
      WHEN EXISTS (
        SELECT 1 FROM bed_assignment other
        WHERE other.bed = NEW.bed AND other.id != NEW.id
          AND other.start_on < COALESCE(NEW.end_on, '9999-12-31')
          AND NEW.start_on < COALESCE(other.end_on, '9999-12-31')
          AND COALESCE(other.end_on, '9999-12-31') != other.start_on
          AND COALESCE(NEW.end_on, '9999-12-31') != NEW.start_on
      ) THEN RAISE(ABORT, 'bed_assignment overlaps another assignment of the bed')
    END;
"""
SQLITE_FORWARDS = [
    f"CREATE TRIGGER bed_assignment_rules_insert BEFORE INSERT ON bed_assignment BEGIN"
    f" {_SQLITE_CHECK} END",
    f"CREATE TRIGGER bed_assignment_rules_update BEFORE UPDATE ON bed_assignment BEGIN"
    f" {_SQLITE_CHECK} END",
]
SQLITE_BACKWARDS = [
    "DROP TRIGGER IF EXISTS bed_assignment_rules_update",
    "DROP TRIGGER IF EXISTS bed_assignment_rules_insert",
]
POSTGRES_FORWARDS = [
    "ALTER TABLE bed_assignment ADD CONSTRAINT bed_assignment_ends_after_start"
    " CHECK (end_on IS NULL OR end_on >= start_on)",
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    # Half-open ranges: a bed left on the 5th can be taken on the 5th.
    "ALTER TABLE bed_assignment ADD CONSTRAINT bed_assignment_no_overlap"
    " EXCLUDE USING gist (bed WITH =, daterange(start_on, end_on, '[)') WITH &&)",
]
POSTGRES_BACKWARDS = [
    "ALTER TABLE bed_assignment DROP CONSTRAINT IF EXISTS bed_assignment_no_overlap",
    "ALTER TABLE bed_assignment DROP CONSTRAINT IF EXISTS bed_assignment_ends_after_start",
]


async def forwards() -> MigrationManager:
    # The common statements come first going forwards and last going backwards.
    return ddl_migration(
        ID,
        DESCRIPTION,
        {
            "sqlite": COMMON_FORWARDS + SQLITE_FORWARDS,
            "postgres": COMMON_FORWARDS + POSTGRES_FORWARDS,
        },
        {
            "sqlite": SQLITE_BACKWARDS + COMMON_BACKWARDS,
            "postgres": POSTGRES_BACKWARDS + COMMON_BACKWARDS,
        },
    )
