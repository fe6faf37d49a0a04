"""The migrations build the schema on both engines and keep the rules the ORM cannot say."""

from __future__ import annotations

import pytest

from house.accounts.tables import HouseMembership, User
from house.db import write_transaction
from house.lib import clock
from house.piccolo_app import APP_CONFIG
from tests.cast import Cast


async def test_it_built_every_table_from_the_migrations() -> None:
    for table in APP_CONFIG.table_classes:
        assert await table.table_exists(), table._meta.tablename


async def test_it_allows_one_membership_per_person_and_house(cast: Cast) -> None:
    with pytest.raises(Exception, match=r"(?i)unique"):
        async with write_transaction():
            await HouseMembership.insert(
                HouseMembership(user=cast.manager_a.id, house=cast.house_a, created_at=clock.now())
            )


async def test_it_refuses_to_delete_a_user_who_has_records(cast: Cast) -> None:
    # Audit rows point at the cast; ON DELETE RESTRICT keeps them (nothing is deleted).
    with pytest.raises(Exception, match=r"(?i)foreign key|violates"):
        async with write_transaction():
            await User.delete().where(User.id == cast.manager_a.id)


async def test_it_has_no_table_change_without_a_migration() -> None:
    from piccolo.apps.migrations.commands.check import CheckMigrationManager
    from piccolo.apps.migrations.commands.new import AutoMigrationManager

    statuses = await CheckMigrationManager(app_name="house").get_migration_statuses()
    assert statuses
    assert all(s.has_ran for s in statuses)
    changes = await AutoMigrationManager().get_alter_statements(APP_CONFIG)
    assert [c for c in changes if c.statements] == []
