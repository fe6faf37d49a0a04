"""plan() writes one row per person and channel: the inbox row is sent when written, the
email row follows the person's preference (immediate, digest, off), quiet hours hold it
until they end (across midnight too), and managers cannot turn critical kinds off."""

from __future__ import annotations

import datetime as dt

from house.alerts import deliveries, planning
from house.alerts.tables import Alert, AlertPreference, AlertProfile
from house.lib import clock
from tests.alerts.delivery_helpers import deliveries_of, email_ids, make_alert
from tests.factories import make_house, make_resident_in, make_user

# 23:30 in Chicago (CST, UTC-6) on a Wednesday.
NIGHT = dt.datetime(2026, 12, 3, 5, 30, tzinfo=dt.UTC)


async def test_someone_invited_gets_the_inbox_but_no_email_until_they_join(
    frozen_clock: object,
) -> None:
    house = await make_house()
    invited = await make_user("manager", [house], with_password=False)
    alert = await make_alert(house, severity=Alert.Severity.critical)
    assert await planning.plan(alert, ("managers",), clock.now()) == []
    assert set(await deliveries_of(alert)) == {(invited.id, "inbox")}


async def test_it_plans_inbox_and_email_for_each_audience(frozen_clock: object) -> None:
    house = await make_house()
    other = await make_house()
    manager = await make_user("manager", [house])
    await make_user("manager", [other])  # another house's manager gets nothing
    await make_user("manager", [house], active=False)  # nor does an inactive one
    admin = await make_user("admin")
    resident_user = await make_user("resident", [house])
    placed = await make_resident_in(house, manager.id, user_id=resident_user.id)
    alert = await make_alert(house, resident=placed["resident"])

    pending = await planning.plan(alert, ("managers", "resident"), clock.now())
    rows = await deliveries_of(alert)
    assert set(rows) == {
        (manager.id, "inbox"),
        (manager.id, "email"),
        (resident_user.id, "inbox"),
        (resident_user.id, "email"),
    }
    assert rows[(manager.id, "inbox")]["status"] == "sent"
    assert rows[(manager.id, "email")]["status"] == "queued"
    assert sorted(pending) == await email_ids(
        [rows[(manager.id, "email")]["id"], rows[(resident_user.id, "email")]["id"]]
    )
    assert len(pending) == 2
    # A repeat writes nothing; the admins come on top.
    await planning.plan(alert, ("managers", "resident"), clock.now())
    await planning.plan(alert, ("admins",), clock.now())
    rows = await deliveries_of(alert)
    assert len(rows) == 4 + 2 * await _active_admins()
    assert (admin.id, "email") in rows


async def _active_admins() -> int:
    from house.accounts.tables import User

    return int(await User.count().where(User.role == "admin", User.is_active.eq(True)))


async def test_it_follows_off_and_digest_but_managers_cannot_turn_critical_off(
    frozen_clock: object,
) -> None:
    house = await make_house()
    manager = await make_user("manager", [house])
    digester = await make_user("manager", [house])
    await AlertPreference.insert(
        AlertPreference(user=manager.id, kind="chores_missed", mode="off"),
        AlertPreference(user=manager.id, kind="screen_positive", mode="off"),
        AlertPreference(user=digester.id, kind="chores_missed", mode="digest"),
    )
    quiet = await make_alert(house, kind="chores_missed")
    await planning.plan(quiet, ("managers",), clock.now())
    rows = await deliveries_of(quiet)
    assert rows[(manager.id, "email")]["status"] == "off"
    assert (manager.id, "inbox") not in rows
    assert rows[(digester.id, "email")]["status"] == "held"
    assert rows[(digester.id, "email")]["held_until"] is None
    assert rows[(digester.id, "inbox")]["status"] == "sent"

    critical = await make_alert(house, kind="screen_positive", severity=Alert.Severity.critical)
    await planning.plan(critical, ("managers",), clock.now())
    rows = await deliveries_of(critical)
    assert rows[(manager.id, "email")]["status"] == "queued"
    assert rows[(manager.id, "inbox")]["status"] == "sent"


async def test_it_holds_email_in_quiet_hours_across_midnight(frozen_clock: object) -> None:
    clock.freeze(NIGHT)
    house = await make_house(timezone="America/Chicago")
    manager = await make_user("manager", [house])
    await AlertProfile.insert(AlertProfile(user=manager.id, quiet_from="22:00", quiet_to="07:00"))
    alert = await make_alert(house)
    assert await planning.plan(alert, ("managers",), clock.now()) == []
    email = (await deliveries_of(alert))[(manager.id, "email")]
    assert email["status"] == "held"
    # 07:00 Chicago on Thursday is 13:00 UTC.
    seven = dt.datetime(2026, 12, 3, 13, 0, tzinfo=dt.UTC)
    assert email["held_until"] == seven
    # (Other tests' held rows may be released too: this shared database is never empty.)
    await deliveries.release_held(NIGHT)
    assert await email_ids([email["id"]]) == []  # nothing in the outbox yet
    released = await deliveries.release_held(seven)
    [queued] = await email_ids([email["id"]])
    assert queued in released
    assert (await deliveries_of(alert))[(manager.id, "email")]["status"] == "queued"

    # Out of quiet hours (08:00 there) it is sent at once.
    clock.freeze(dt.datetime(2026, 12, 3, 14, 0, tzinfo=dt.UTC))
    later = await make_alert(house)
    assert len(await planning.plan(later, ("managers",), clock.now())) == 1


def test_it_computes_quiet_hours_in_both_shapes() -> None:
    tz = "America/Chicago"
    assert planning.quiet_until(NIGHT, "", "", tz) is None
    assert planning.quiet_until(NIGHT, "12:00", "14:00", tz) is None
    # 01:00 there, inside 22:00-07:00: ends the same local day.
    one_am = dt.datetime(2026, 12, 3, 7, 0, tzinfo=dt.UTC)
    assert planning.quiet_until(one_am, "22:00", "07:00", tz) == dt.datetime(
        2026, 12, 3, 13, 0, tzinfo=dt.UTC
    )
    noon = dt.datetime(2026, 12, 3, 18, 30, tzinfo=dt.UTC)  # 12:30 there
    assert planning.quiet_until(noon, "12:00", "14:00", tz) == dt.datetime(
        2026, 12, 3, 20, 0, tzinfo=dt.UTC
    )
