"""The residents list: living here, waiting and past (exit date and reason), a search by
name and date of birth across the three, scoped to the houses the user works in."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from house.db import write_transaction
from house.lib import clock
from house.lib.datewords import date_words
from house.residents.tables import Resident, Stay
from tests.cast import Cast
from tests.client import Client
from tests.factories import make_house, make_resident_in, make_stay, make_user


def _past_part(html: str) -> str:
    return html.split('id="past"', 1)[1]


def _current_part(html: str) -> str:
    """Living here and waiting: after the search form (and any flash), before past."""
    return html.split("<h2>Living here", 1)[1].split('id="past"', 1)[0]


async def _house() -> tuple[int, Any]:
    house = await make_house()
    return house, await make_user("manager", [house])


async def _past_people(house: int, actor: int, names: list[str], on: dt.date) -> list[int]:
    """People who applied, lived in the house and left on `on` (one stay each, inserted as
    rows: the exit itself is tested through the app below). Returns the resident ids."""
    now = clock.now()
    async with write_transaction():
        rows = await Resident.insert(
            *[
                Resident(
                    legal_name=f"{n} Legal", preferred_name=n, created_at=now, created_by=actor
                )
                for n in names
            ]
        ).returning(Resident.id)
        ids = [int(r["id"]) for r in rows]
        await Stay.insert(
            *[
                Stay(
                    resident=rid,
                    house=house,
                    status=Stay.Status.exited,
                    applied_on=on - dt.timedelta(days=60),
                    admitted_on=on - dt.timedelta(days=50),
                    exited_on=on,
                    exit_reason=Stay.ExitReason.completed,
                    created_at=now,
                    created_by=actor,
                )
                for rid in ids
            ]
        )
    return ids


async def test_it_lists_a_discharged_person_under_past_with_the_exit_date_and_reason(
    client: Client,
) -> None:
    house, manager = await _house()
    name = f"Dev{uuid.uuid4().hex[:6]}"
    dev = await make_resident_in(house, manager.id, preferred_name=name)
    await client.force_login(manager)
    before = await client.get("/residents")
    assert name in _current_part(before.text)
    today = (await Stay.select(Stay.admitted_on).where(Stay.id == dev["stay"]).first() or {})[
        "admitted_on"
    ]
    ended = await client.post(
        f"/stays/{dev['stay']}/exit",
        {"on": today.isoformat(), "reason": "discharged_violation", "note": ""},
    )
    assert ended.status_code == 303
    after = await client.get("/residents")
    assert after.status_code == 200
    assert name not in _current_part(after.text)
    past = _past_part(after.text)
    row = past.split(f'id="stay-{dev["stay"]}"', 1)[1].split("</li>", 1)[0]
    assert f'href="/residents/{dev["resident"]}"' in row
    assert name in row
    assert f"left {date_words(today)}" in row
    assert "Discharged for a rule violation" in row


async def test_it_shows_a_person_once_by_their_latest_stay_newest_first(client: Client) -> None:
    house, manager = await _house()
    today = clock.now().date()
    tag = uuid.uuid4().hex[:6]
    older, newer = await _past_people(
        house, manager.id, [f"Old{tag}", f"New{tag}"], today - dt.timedelta(days=30)
    )
    # Newer came back and left again: only the second stay shows, and it sorts first.
    now = clock.now()
    async with write_transaction():
        rows = await Stay.insert(
            Stay(
                resident=newer,
                house=house,
                status=Stay.Status.exited,
                applied_on=today - dt.timedelta(days=20),
                admitted_on=today - dt.timedelta(days=15),
                exited_on=today - dt.timedelta(days=2),
                exit_reason=Stay.ExitReason.graduated,
                created_at=now,
                created_by=manager.id,
            )
        ).returning(Stay.id)
    # A third person left once and is now back, waiting: not under past.
    back = await make_stay(house, manager.id, preferred_name=f"Back{tag}")
    back_resident = (await Stay.select(Stay.resident).where(Stay.id == back).first() or {})[
        "resident"
    ]
    await Stay.insert(
        Stay(
            resident=back_resident,
            house=house,
            status=Stay.Status.exited,
            applied_on=today - dt.timedelta(days=90),
            exited_on=today - dt.timedelta(days=40),
            exit_reason=Stay.ExitReason.left_voluntarily,
            created_at=now,
            created_by=manager.id,
        )
    )
    await client.force_login(manager)
    past = _past_part((await client.get("/residents")).text)
    assert past.count(f"New{tag}") == 1
    assert f'id="stay-{rows[0]["id"]}"' in past
    assert "Graduated" in past
    assert past.index(f"New{tag}") < past.index(f"Old{tag}")
    assert f"Back{tag}" not in past
    assert f'href="/residents/{older}"' in past


async def test_it_finds_living_waiting_and_past_people_by_name_and_birth(client: Client) -> None:
    house, manager = await _house()
    tag = uuid.uuid4().hex[:6]
    living = await make_resident_in(house, manager.id, preferred_name=f"Ana{tag}")
    waiting = await make_stay(house, manager.id, preferred_name=f"Bo{tag}")
    (gone,) = await _past_people(house, manager.id, [f"Cy{tag}"], clock.now().date())
    other = await make_resident_in(house, manager.id, preferred_name=f"Dee{uuid.uuid4().hex}")
    born = dt.date(1990, 4, 2)
    await Resident.update({Resident.date_of_birth: born}).where(
        Resident.id.is_in([living["resident"], gone])
    )
    await client.force_login(manager)
    # Part of the legal name ("<name> Legal"), in another case.
    found = await client.get("/residents", params={"q": f"{tag.upper()} LEG"})
    assert found.status_code == 200
    for name in (f"Ana{tag}", f"Bo{tag}"):
        assert name in _current_part(found.text)
    assert f"Cy{tag}" in _past_part(found.text)
    assert f'id="stay-{other["stay"]}"' not in found.text
    assert f'id="stay-{waiting}"' in found.text
    by_birth = await client.get("/residents", params={"born": born.isoformat()})
    assert f"Ana{tag}" in by_birth.text
    assert f"Cy{tag}" in by_birth.text
    assert f"Bo{tag}" not in by_birth.text
    both = await client.get("/residents", params={"q": f"cy{tag}", "born": born.isoformat()})
    assert f"Cy{tag}" in both.text
    assert f"Ana{tag}" not in both.text
    assert 'value="cy' + tag + '"' in both.text  # what was typed stays in the box


async def test_it_never_shows_another_houses_people(client: Client, cast: Cast) -> None:
    tag = uuid.uuid4().hex[:6]
    living = await make_resident_in(cast.house_a, cast.manager_a.id, preferred_name=f"Eli{tag}")
    await _past_people(cast.house_a, cast.manager_a.id, [f"Fay{tag}"], clock.now().date())
    await client.force_login(cast.manager_b)
    for params in ({}, {"q": tag}, {"q": f"Eli{tag}"}):
        page = await client.get("/residents", params=params)
        assert page.status_code == 200
        assert tag not in page.text.split("<h2>Living here", 1)[1]
    await client.force_login(cast.manager_a)
    assert f"Fay{tag}" in (await client.get("/residents", params={"q": tag})).text
    await client.force_login(cast.admin)
    page = await client.get("/residents", params={"q": tag})
    assert f"Eli{tag}" in page.text
    assert f"Fay{tag}" in page.text
    assert f'href="/residents/{living["resident"]}"' in page.text


async def test_it_answers_a_bad_search_by_the_field(client: Client) -> None:
    house, manager = await _house()
    tag = uuid.uuid4().hex[:6]
    await _past_people(house, manager.id, [f"Gil{tag}", f"Hal_{tag}"], clock.now().date())
    await client.force_login(manager)
    long = await client.get("/residents", params={"q": "x" * 101})
    assert long.status_code == 422
    assert "Use at most 100 characters" in long.text
    assert f"Gil{tag}" not in long.text
    for bad in ("2026-02-30", "tomorrow", "1899-12-31", "2999-01-01"):
        page = await client.get("/residents", params={"born": bad})
        assert page.status_code == 422, bad
        assert 'id="f-born-error"' in page.text
    script = await client.get("/residents", params={"q": "<script>alert(1)</script>"})
    assert script.status_code == 200
    assert "<script>alert(1)</script>" not in script.text
    assert "&lt;script&gt;" in script.text
    # LIKE's own characters match themselves: "_" is not "any one character".
    underscore = await client.get("/residents", params={"q": f"l_{tag}"})
    assert f"Hal_{tag}" in underscore.text
    assert f"Gil{tag}" not in underscore.text
    percent = await client.get("/residents", params={"q": "%"})
    assert f"Gil{tag}" not in percent.text
    odd_page = await client.get("/residents", params={"page": "-1"})
    assert odd_page.status_code == 200
    assert f"Gil{tag}" in odd_page.text


async def test_it_shows_fifty_past_people_a_page_with_older_ones_behind_a_link(
    client: Client,
) -> None:
    house, manager = await _house()
    tag = uuid.uuid4().hex[:6]
    today = clock.now().date()
    await _past_people(house, manager.id, [f"Old{tag}"], today - dt.timedelta(days=400))
    await _past_people(house, manager.id, [f"P{i:02d}{tag}" for i in range(50)], today)
    await client.force_login(manager)
    first = await client.get("/residents")
    past = _past_part(first.text)
    assert past.count('class="row" id="stay-') == 50
    assert f"Old{tag}" not in past
    assert "page=2" in past
    second = await client.get("/residents", params={"page": "2"})
    assert _past_part(second.text).count('class="row" id="stay-') == 1
    assert f"Old{tag}" in second.text
    assert "Show older" not in second.text


async def test_it_lists_with_the_same_queries_for_few_or_many_people(
    client: Client, queries: Any
) -> None:
    counts = []
    for n in (1, 12):
        house, manager = await _house()
        for _ in range(n):
            await make_resident_in(house, manager.id)
            await make_stay(house, manager.id)
        await _past_people(
            house, manager.id, [f"Q{uuid.uuid4().hex[:8]}" for _ in range(n)], clock.now().date()
        )
        await client.force_login(manager)
        await client.get("/residents")
        with queries() as counted:
            page = await client.get("/residents", params={"q": ""})
        assert page.text.count('class="row" id="stay-') == 3 * n
        counts.append(counted.count)
    assert counts[0] == counts[1]
