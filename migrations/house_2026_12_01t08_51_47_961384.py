from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from enum import Enum
from piccolo.columns.column_types import Varchar

ID = "2026-12-01T08:51:47:961384"
VERSION = "1.38.0"
DESCRIPTION = "alert email deliveries: the sending status (handed to the mail server)"


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="house", description=DESCRIPTION
    )

    manager.alter_column(
        table_class_name="Delivery",
        tablename="delivery",
        column_name="status",
        db_column_name="status",
        params={
            "choices": Enum(
                "Status",
                {
                    "pending": "pending",
                    "held": "held",
                    "sending": "sending",
                    "sent": "sent",
                    "failed": "failed",
                    "off": "off",
                },
            )
        },
        old_params={
            "choices": Enum(
                "Status",
                {
                    "pending": "pending",
                    "held": "held",
                    "sent": "sent",
                    "failed": "failed",
                    "off": "off",
                },
            )
        },
        column_class=Varchar,
        old_column_class=Varchar,
        schema=None,
    )

    return manager
