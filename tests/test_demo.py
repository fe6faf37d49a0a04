"""The demo data loads once, through the same services the app uses, in every state."""

from __future__ import annotations

from house.beds.tables import BedAssignment
from house.demo import load_demo
from house.houses.tables import House
from house.lib import clock
from house.violations.tables import Appeal, Violation


async def test_it_loads_the_demo_once_with_violations_in_every_state(
    demo: dict[str, int],
) -> None:
    counts = (await House.count(), await Violation.count(), await Appeal.count())
    await load_demo(clock.now())  # a second run changes nothing
    assert (await House.count(), await Violation.count(), await Appeal.count()) == counts

    maple = await House.select(House.id).where(House.name == "Maple House").first()
    assert maple is not None
    statuses = {
        row["status"]
        for row in await Violation.select(Violation.status).where(Violation.house == maple["id"])
    }
    assert statuses == {"open", "resolved"}
    decisions = sorted(
        row["decision"]
        for row in await Appeal.select(Appeal.decision).where(
            Appeal.violation.resident.user.email.is_in(["riley@demo.house", "sam@demo.house"])
        )
    )
    assert decisions == ["changed", "pending"]


async def test_it_names_everyone_in_the_demo_beds_histories_like_a_person() -> None:
    """The bed history shows preferred names: the demo's people who have left have real
    ones (never "Past 7")."""
    await load_demo(clock.now())
    names = [
        row["name"]
        for row in await BedAssignment.select(
            BedAssignment.stay.resident.preferred_name.as_alias("name")  # type: ignore[union-attr]
        ).where(BedAssignment.house.name.is_in(["Maple House", "Cedar House"]))
    ]
    assert len(names) >= 14  # six living there now, eight who left
    assert [n for n in names if not n.isalpha()] == []
