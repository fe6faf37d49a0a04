"""Data: a resident's account carries the name they go by (house.residents.names), so the
top bar, emails and every page name them alike ("Jordan", not "Jordan Resident")."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns import ForeignKey, Varchar
from piccolo.table import Table

ID = "2026-12-02T07:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "resident accounts named as their residents go by"


class AppUser(Table, tablename="app_user"):
    name = Varchar(length=120)


class Resident(Table, tablename="resident"):
    preferred_name = Varchar(length=60)
    user = ForeignKey(AppUser, null=True)


async def _forwards() -> None:
    linked = await Resident.select(Resident.user, Resident.preferred_name).where(
        Resident.user.is_not_null()
    )
    for row in linked:
        await AppUser.update({AppUser.name: row["preferred_name"]}).where(
            AppUser.id == row["user"]
        )


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="house", description=DESCRIPTION)
    manager.add_raw(_forwards)
    return manager
