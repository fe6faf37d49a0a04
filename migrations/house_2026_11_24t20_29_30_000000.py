"""House rules: one version number per house, one rule number per version, one signature
per resident and version (unique indexes, portable to both engines)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from house.db import ddl_migration

ID = "2026-11-24T20:29:30:000000"
VERSION = "1.38.0"
DESCRIPTION = "house rules uniqueness"

FORWARDS = [
    "CREATE UNIQUE INDEX rule_set_house_version ON rule_set (house, version)",
    "CREATE UNIQUE INDEX rule_set_number ON rule (rule_set, number)",
    "CREATE UNIQUE INDEX rule_signature_once ON rule_signature (rule_set, resident)",
]
BACKWARDS = [
    "DROP INDEX IF EXISTS rule_signature_once",
    "DROP INDEX IF EXISTS rule_set_number",
    "DROP INDEX IF EXISTS rule_set_house_version",
]


async def forwards() -> MigrationManager:
    return ddl_migration(ID, DESCRIPTION, FORWARDS, BACKWARDS)
