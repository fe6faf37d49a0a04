from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from enum import Enum
from piccolo.columns.column_types import Timestamptz
from piccolo.columns.column_types import Varchar
from piccolo.columns.indexes import IndexMethod
from piccolo.engine import engine_finder

ID = "2026-12-02T02:27:17:185827"
VERSION = "1.38.0"
DESCRIPTION = "one email path: alert emails are outbox rows (outbox status and retry time; a delivery keeps only when quiet hours end)"


class _Manager(MigrationManager):
    """SQLite cannot change a column's default (delivery.status: pending to queued), and
    the choices are not in the database: on SQLite the one altered column is left as it
    is. Every insert of a delivery names its status, so the old default is never used."""

    async def _run_alter_columns(self, backwards: bool = False) -> None:
        engine = engine_finder()
        if engine is not None and engine.engine_type == "sqlite":
            return
        await super()._run_alter_columns(backwards=backwards)


async def forwards():
    manager = _Manager(
        migration_id=ID, app_name="house", description=DESCRIPTION
    )

    manager.drop_column(
        table_class_name="Delivery",
        tablename="delivery",
        column_name="claimed_at",
        db_column_name="claimed_at",
        schema=None,
    )

    manager.drop_column(
        table_class_name="Delivery",
        tablename="delivery",
        column_name="attempts",
        db_column_name="attempts",
        schema=None,
    )

    manager.add_column(
        table_class_name="OutboxEmail",
        tablename="outbox_email",
        column_name="next_attempt_at",
        db_column_name="next_attempt_at",
        column_class_name="Timestamptz",
        column_class=Timestamptz,
        params={
            "default": None,
            "null": True,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.add_column(
        table_class_name="OutboxEmail",
        tablename="outbox_email",
        column_name="status",
        db_column_name="status",
        column_class_name="Varchar",
        column_class=Varchar,
        params={
            "length": 10,
            "default": "pending",
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": Enum(
                "Status",
                {
                    "pending": "pending",
                    "sending": "sending",
                    "sent": "sent",
                    "failed": "failed",
                    "cancelled": "cancelled",
                },
            ),
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.rename_column(
        table_class_name="Delivery",
        tablename="delivery",
        old_column_name="next_attempt_at",
        new_column_name="held_until",
        old_db_column_name="next_attempt_at",
        new_db_column_name="held_until",
        schema=None,
    )

    manager.alter_column(
        table_class_name="Delivery",
        tablename="delivery",
        column_name="status",
        db_column_name="status",
        params={
            "default": "queued",
            "choices": Enum(
                "Status",
                {
                    "sent": "sent",
                    "queued": "queued",
                    "held": "held",
                    "off": "off",
                },
            ),
        },
        old_params={
            "default": "pending",
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
            ),
        },
        column_class=Varchar,
        old_column_class=Varchar,
        schema=None,
    )

    return manager
