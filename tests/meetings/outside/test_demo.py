"""The demo has outside meetings in every state, one with a real (generated) slip photo."""

from __future__ import annotations

from house.meetings.outside import uploads
from house.meetings.tables import OutsideMeeting
from tests.cast import Cast


async def test_it_loads_outside_meetings_in_every_state_with_a_slip_photo(
    cast: Cast, demo: dict[str, int]
) -> None:
    rows = await OutsideMeeting.select(
        OutsideMeeting.status,
        OutsideMeeting.photo,
        OutsideMeeting.reject_reason,
        OutsideMeeting.house.name.as_alias("house"),
    ).where(OutsideMeeting.house.name.is_in(["Maple House", "Cedar House"]))
    assert {r["status"] for r in rows} == {"pending", "verified", "rejected"}
    assert {r["house"] for r in rows} == {"Maple House", "Cedar House"}
    assert all(r["reject_reason"] for r in rows if r["status"] == "rejected")
    photos = [r["photo"] for r in rows if r["photo"]]
    assert photos
    for name in photos:
        assert uploads.read(name).startswith(b"\xff\xd8\xff")
