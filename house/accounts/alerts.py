"""Who the alert engine writes to, from the accounts' side: a house's managers, the admins,
and the timezone of each person's first house (their digest's clock)."""

from __future__ import annotations

from house.accounts.tables import HouseMembership, User

Role = User.Role  # the roles the engine tells apart (critical kinds, who sees what)
People = dict[int, tuple[str, bool]]
"""{user id: (role, joined)}; `joined` is False for someone invited who has not chosen a
password yet (no email until then: the address may be a typo)."""


async def managers_of(house_id: int) -> People:
    """The active managers of a house. One query."""
    rows = await HouseMembership.select(
        HouseMembership.user, HouseMembership.user.password_hash.as_alias("password")
    ).where(
        HouseMembership.house == house_id,
        HouseMembership.user.role == User.Role.manager,
        HouseMembership.user._.is_active.eq(True),
    )
    return {int(r["user"]): (User.Role.manager, bool(r["password"])) for r in rows}


async def admins() -> People:
    """The active admins. One query."""
    rows = await User.select(User.id, User.password_hash.as_alias("password")).where(
        User.role == User.Role.admin, User.is_active.eq(True)
    )
    return {int(r["id"]): (User.Role.admin, bool(r["password"])) for r in rows}


async def first_house_zones(users: list[int]) -> dict[int, str]:
    """{user: timezone of the first house they joined}. One query."""
    zones: dict[int, str] = {}
    for m in (
        await HouseMembership.select(
            HouseMembership.user, HouseMembership.house.timezone.as_alias("tz")
        )
        .where(HouseMembership.user.is_in(users))
        .order_by(HouseMembership.id)
    ):
        zones.setdefault(int(m["user"]), m["tz"])
    return zones
