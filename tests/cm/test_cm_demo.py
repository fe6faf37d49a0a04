"""The demo turns CM on in both houses and gives Jordan and Sam a ledger with a streak, a
reset and a redemption (test_demo_ledgers.py checks every entry against the screens; who
the random draws picked varies, so only the fixed history is named here)."""

from __future__ import annotations

from house.cm import ledger
from house.cm.tables import CmEntry, CmPrizeDraw
from house.houses.tables import House
from house.residents.tables import Resident
from tests.cast import Cast


async def _ledger(email: str) -> tuple[list[str], int, int]:
    resident = await Resident.select(Resident.id).where(Resident.user.email == email).first()
    assert resident is not None
    entries = (
        await CmEntry.select(CmEntry.kind, CmEntry.house)
        .where(CmEntry.resident == resident["id"])
        .order_by(CmEntry.id)
    )
    house = entries[0]["house"]
    return (
        [e["kind"] for e in entries],
        await ledger.current_streak(resident["id"], house),
        await ledger.balance(resident["id"], house),
    )


async def test_it_loads_a_ledger_with_a_streak_a_reset_and_a_redemption(
    cast: Cast, demo: dict[str, int]
) -> None:
    schedules = {
        r["name"]: r["cm_schedule"]
        for r in await House.select(House.name, House.cm_schedule).where(
            House.name.is_in(["Maple House", "Cedar House"])
        )
    }
    assert schedules == {"Maple House": "vouchers", "Cedar House": "prizes"}
    jordan, streak, balance = await _ledger("jordan@demo.house")
    assert jordan[:5] == ["earned"] * 3 + ["reset", "redeemed"]
    assert jordan[5:8] == ["earned"] * 3
    assert balance > 0
    sam, streak, balance = await _ledger("sam@demo.house")
    assert sam[:3] == ["earned", "earned", "reset"]
    assert "redeemed" in sam
    assert streak == 6  # 20, 16, 13, 12 (the screens demo's), 9 and 6 days ago
    assert balance >= 0
    # Six screens in a row after the reset, and one draw for each of two verified meetings.
    assert (
        await CmPrizeDraw.count().where(CmPrizeDraw.entry.resident.user.email == "sam@demo.house")
        == 1 + 2 + 1 + 2 + 3 + 4 + 5 + 6 + 2
    )
