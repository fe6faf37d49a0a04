"""The demo has panels in both houses, Jordan's prescribed buprenorphine recorded as an
expected positive, and screens of every outcome, with the lab's answers."""

from __future__ import annotations

from house.houses.tables import House
from house.screens.tables import Panel, Prescription, Screen


async def test_it_loads_screens_of_every_outcome(demo: dict[str, int]) -> None:
    houses = [h["id"] for h in await House.select(House.id).where(House.name.like("% House"))]
    demo = Screen.house.is_in(houses)
    outcomes = {r["outcome"] for r in await Screen.select(Screen.outcome).where(demo)}
    assert outcomes == {
        "negative",
        "positive",
        "expected_positive",
        "dilute",
        "invalid",
        "refused",
        "missed",
    }
    labs = {r["lab"] for r in await Screen.select(Screen.lab).where(demo)}
    assert {"confirmed", "overturned"} <= labs
    overturned = await Screen.select(Screen.outcome).where(demo, Screen.lab == "overturned")
    assert [r["outcome"] for r in overturned] == ["negative"]
    names = {
        (r["house"], r["name"])
        for r in await Panel.select(Panel.house, Panel.name).where(Panel.house.is_in(houses))
    }
    assert {n for _, n in names} == {"12-panel cup", "Breath"}
    assert len(names) == 4
    jordan = Screen.resident.user.email == "jordan@demo.house"
    expected = await Screen.count().where(jordan, Screen.outcome == "expected_positive")
    assert expected >= 1
    assert await Prescription.exists().where(
        Prescription.resident.user.email == "jordan@demo.house"
    )
