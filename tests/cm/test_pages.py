"""The pages: the house's residents, a resident's ledger (audited for staff), the resident's
own ledger and home card, with constant queries as the ledger grows."""

from __future__ import annotations

from typing import Any

from house.audit.tables import AuditEvent
from house.houses.tables import House
from tests.cast import Cast
from tests.client import Client
from tests.cm.kit import add_resident, make_scene, screen


async def test_it_shows_the_house_with_each_residents_streak_and_balance(client: Client) -> None:
    scene = await make_scene()
    other = await add_resident(scene, "Sol")
    for outcome in ("negative", "negative", "negative"):
        await screen(scene, outcome)
    await screen(scene, "negative", ids=other)
    await screen(scene, "dilute", ids=other)
    await client.force_login(scene.manager)
    page = await client.get(f"/houses/{scene.house}/cm")
    assert page.status_code == 200
    row = page.text.split(f'id="cm-resident-{scene.resident_id}"')[1].split("</li>")[0]
    assert "Streak <strong>3</strong>" in row
    assert "$22.00" in row  # 2.50 + 4.00 + 5.50 + 10.00 bonus
    assert f'href="/residents/{scene.resident_id}/cm"' in row
    theirs = page.text.split(f'id="cm-resident-{other["resident"]}"')[1].split("</li>")[0]
    assert "Streak <strong>0</strong>" in theirs
    assert "$2.50" in theirs


async def test_it_says_cm_is_off_and_links_the_settings(client: Client) -> None:
    scene = await make_scene(settings={House.cm_schedule: ""})
    await client.force_login(scene.manager)
    page = await client.get(f"/houses/{scene.house}/cm")
    assert 'id="cm-off"' in page.text
    assert f'href="/houses/{scene.house}/cm/settings"' in page.text


async def test_it_shows_staff_the_ledger_and_audits_every_view(client: Client) -> None:
    scene = await make_scene(settings={House.cm_schedule: "prizes"})
    await screen(scene, "negative", roll=lambda _: 600)  # small prize
    await screen(scene, "refused")
    await client.force_login(scene.manager)
    before = await AuditEvent.count().where(AuditEvent.action == "cm_ledger_viewed")
    for _ in range(2):
        page = await client.get(f"/residents/{scene.resident_id}/cm")
        assert page.status_code == 200
    assert await AuditEvent.count().where(AuditEvent.action == "cm_ledger_viewed") == before + 2
    row = (
        await AuditEvent.select()
        .where(AuditEvent.action == "cm_ledger_viewed")
        .order_by(AuditEvent.id, ascending=False)
        .first()
    )
    assert row is not None
    assert (row["actor"], row["subject"], row["record"]) == (
        scene.manager.id,
        scene.resident.id,
        f"resident:{scene.resident_id}",
    )
    assert "Streak reset: refused screen" in page.text
    assert "Small prize" in page.text
    assert 'id="cm-streak">0<' in page.text
    assert 'id="cm-next">1 draw<' in page.text
    assert 'id="cm-balance">$1.00<' in page.text


async def test_it_shows_the_resident_their_own_ledger_without_an_audit_row(
    client: Client,
) -> None:
    scene = await make_scene()
    await screen(scene, "negative")
    await screen(scene, "negative")
    await client.force_login(scene.resident)
    before = await AuditEvent.count()
    home = await client.get("/")
    assert 'id="my-cm-streak">2<' in home.text
    assert 'id="my-cm-next">$15.50<' in home.text  # 5.50 + the 10.00 bonus on the third
    assert 'id="my-cm-balance">$6.50<' in home.text
    mine = await client.get("/cm")
    assert mine.status_code == 200
    assert "Negative screen, 2 in a row" in mine.text
    assert await AuditEvent.count() == before


async def test_it_shows_no_card_when_the_house_has_cm_off(client: Client) -> None:
    scene = await make_scene(settings={House.cm_schedule: ""})
    await client.force_login(scene.resident)
    home = await client.get("/")
    assert home.status_code == 200
    assert 'id="my-cm"' not in home.text


async def test_it_shows_a_resident_without_a_house_that_they_have_no_ledger(
    client: Client, cast: Cast
) -> None:
    await client.force_login(cast.resident_b)
    page = await client.get("/cm")
    assert "You are not living in a house yet." in page.text


async def test_it_escapes_what_a_manager_typed_in_the_ledger(client: Client) -> None:
    scene = await make_scene()
    await screen(scene, "negative")
    await client.force_login(scene.manager)
    page = await client.get(f"/residents/{scene.resident_id}/cm")
    token = page.text.split('name="form_token" value="')[1].split('"')[0]
    await client.post(
        f"/residents/{scene.resident_id}/cm/redeem",
        {"what": "<script>alert(1)</script>", "value": "1", "form_token": token},
    )
    page = await client.get(f"/residents/{scene.resident_id}/cm")
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text


async def test_it_reads_the_pages_with_the_same_queries_however_long_the_ledger(
    client: Client, app: Any, queries: Any
) -> None:
    scene = await make_scene(settings={House.cm_schedule: "prizes"})
    await screen(scene, "negative")
    await client.force_login(scene.manager)
    async with Client(app) as resident:
        await resident.force_login(scene.resident)
        urls = [
            (client, f"/residents/{scene.resident_id}/cm"),
            (client, f"/houses/{scene.house}/cm"),
        ]
        urls += [(resident, "/cm"), (resident, "/")]
        for who, url in urls:
            await who.get(url)
        few = []
        for who, url in urls:
            with queries() as q:
                assert (await who.get(url)).status_code == 200
            few.append(q.count)
        for i in range(5):
            more = await add_resident(scene, f"More{i}")
            await screen(scene, "negative", ids=more)
            await screen(scene, "negative")
            await screen(scene, "positive" if i == 2 else "negative")
        many = []
        for who, url in urls:
            with queries() as q:
                assert (await who.get(url)).status_code == 200
            many.append(q.count)
    assert few == many
