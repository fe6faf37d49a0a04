from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from enum import Enum
from piccolo.columns.column_types import Varchar

ID = "2026-12-02T03:06:20:705600"
VERSION = "1.38.0"
DESCRIPTION = "screens: a routine reason (a screen of someone not drawn that day), the default when none is chosen"


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="house", description=DESCRIPTION
    )

    manager.alter_column(
        table_class_name="Screen",
        tablename="screen",
        column_name="reason",
        db_column_name="reason",
        params={
            "choices": Enum(
                "Reason",
                {
                    "random": "random",
                    "routine": "routine",
                    "scheduled": "scheduled",
                    "suspicion": "suspicion",
                    "return_from_pass": "return_from_pass",
                    "intake": "intake",
                },
            )
        },
        old_params={
            "choices": Enum(
                "Reason",
                {
                    "random": "random",
                    "scheduled": "scheduled",
                    "suspicion": "suspicion",
                    "return_from_pass": "return_from_pass",
                    "intake": "intake",
                },
            )
        },
        column_class=Varchar,
        old_column_class=Varchar,
        schema=None,
    )

    return manager
