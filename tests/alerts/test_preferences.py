"""Alert preferences: a mode per kind, the digest hour, quiet hours, the timezone."""

from __future__ import annotations

from typing import Any

from house.alerts.tables import AlertPreference, AlertProfile
from tests.cast import Cast
from tests.client import Client
from tests.factories import make_house, make_user

MANAGER_KINDS = (
    "screen_result",
    "lab_result",
    "random_not_screened",
    "chores_missed",
    "chore_unverified",
    "meetings_behind",
    "house_meeting_absence",
    "rules_unsigned",
    "milestone",
)  # not "appeal" or "bed_free": those go to admins only


def _form(**changes: str) -> dict[str, str]:
    data = {f"mode-{k}": "immediate" for k in MANAGER_KINDS}
    data |= {"digest_hour": "7", "quiet_from": "", "quiet_to": "", "timezone": ""}
    return data | changes


async def _stored(user_id: int) -> tuple[dict[str, str], dict[str, Any] | None]:
    modes = {
        r["kind"]: r["mode"]
        for r in await AlertPreference.select().where(AlertPreference.user == user_id)
    }
    profile = await AlertProfile.select().where(AlertProfile.user == user_id).first()
    return modes, profile


async def test_it_saves_modes_digest_hour_quiet_hours_and_timezone(
    client: Client, cast: Cast
) -> None:
    manager = await make_user("manager", [await make_house()])
    await client.force_login(manager)
    page = await client.get("/inbox/preferences")
    assert page.status_code == 200
    assert 'name="mode-screen_result" value="off"  disabled' in page.text
    assert "Critical: managers cannot turn this off." in page.text
    data = _form(
        **{"mode-milestone": "off", "mode-chores_missed": "digest"},
        digest_hour="18",
        quiet_from="22:00",
        quiet_to="06:30",
        timezone="Europe/Berlin",
    )
    saved = await client.post("/inbox/preferences", data)
    assert saved.status_code == 303
    modes, profile = await _stored(manager.id)
    assert modes["milestone"] == "off"
    assert modes["chores_missed"] == "digest"
    assert modes["screen_result"] == "immediate"
    assert profile is not None
    assert (profile["digest_hour"], profile["quiet_from"], profile["quiet_to"]) == (
        18,
        "22:00",
        "06:30",
    )
    assert profile["timezone"] == "Europe/Berlin"
    again = await client.get("/inbox/preferences")
    assert 'name="mode-milestone" value="off" checked' in again.text
    assert 'value="18" selected' in again.text
    # Saving again updates the same rows (upsert): a double submit gives the same result.
    for _ in range(2):
        assert (
            await client.post("/inbox/preferences", data | {"mode-milestone": "digest"})
        ).status_code == 303
    rows = await AlertPreference.count().where(AlertPreference.user == manager.id)
    assert rows == len(MANAGER_KINDS)
    assert await AlertProfile.count().where(AlertProfile.user == manager.id) == 1
    assert (await _stored(manager.id))[0]["milestone"] == "digest"


async def test_it_refuses_off_for_critical_kinds_for_managers_and_admins(
    client: Client, cast: Cast
) -> None:
    for person in (await make_user("manager", [await make_house()]), await make_user("admin")):
        await client.force_login(person)
        page = await client.post("/inbox/preferences", _form(**{"mode-random_not_screened": "off"}))
        assert page.status_code == 422
        assert "Managers cannot turn this off" in page.text
        assert 'id="f-mode-random_not_screened-error"' in page.text
        assert await _stored(person.id) == ({}, None)


async def test_it_shows_residents_only_their_kinds_and_lets_them_turn_them_off(
    client: Client, cast: Cast
) -> None:
    resident = await make_user("resident", [await make_house()])
    await client.force_login(resident)
    page = await client.get("/inbox/preferences")
    assert 'name="mode-milestone"' in page.text
    assert 'name="mode-screen_result"' not in page.text
    assert "disabled" not in page.text
    data = {
        "mode-meetings_behind": "off",
        "mode-rules_unsigned": "digest",
        "mode-milestone": "immediate",
        "mode-chore_sent_back": "digest",
        "mode-slip_rejected": "immediate",
        "mode-screen_result": "off",  # not a resident's kind: ignored, never stored
        "digest_hour": "9",
        "quiet_from": "",
        "quiet_to": "",
        "timezone": "",
    }
    assert (await client.post("/inbox/preferences", data)).status_code == 303
    modes, profile = await _stored(resident.id)
    assert modes == {
        "meetings_behind": "off",
        "rules_unsigned": "digest",
        "milestone": "immediate",
        "chore_sent_back": "digest",
        "slip_rejected": "immediate",
    }
    assert profile is not None
    assert profile["timezone"] == ""


async def test_it_refuses_hostile_input_by_the_field_and_stores_nothing(
    client: Client, cast: Cast
) -> None:
    manager = await make_user("manager", [await make_house()])
    await client.force_login(manager)
    cases = [
        ({}, "mode-milestone", "Choose one of the three."),
        (_form(**{"mode-milestone": "sometimes"}), "mode-milestone", "Choose one of the three."),
        (_form(digest_hour="24"), "digest_hour", "Choose an hour from 0 to 23."),
        (_form(digest_hour="-1"), "digest_hour", "Choose an hour from 0 to 23."),
        (_form(digest_hour="seven"), "digest_hour", "Choose an hour from 0 to 23."),
        (_form(digest_hour="9" * 400), "digest_hour", "Choose an hour from 0 to 23."),
        (_form(quiet_from="22:00"), "quiet_to", "Give both times of the quiet hours, or neither."),
        (_form(quiet_to="06:00"), "quiet_from", "Give both times of the quiet hours, or neither."),
        (_form(quiet_from="25:00", quiet_to="06:00"), "quiet_from", "Use a time like 22:00"),
        (_form(quiet_from="22:00", quiet_to="22:00"), "quiet_to", "must end at another time"),
        (_form(timezone="Mars/Olympus"), "timezone", "Choose a timezone from the list."),
        (_form(timezone="x" * 3000), "timezone", "Choose a timezone from the list."),
    ]
    for data, field, message in cases:
        page = await client.post("/inbox/preferences", data)
        assert page.status_code == 422, data
        assert f'id="f-{field}-error"' in page.text, field
        assert message in page.text, field
    markup = await client.post(
        "/inbox/preferences", _form(quiet_from="<script>x()</script>", quiet_to="06:00")
    )
    assert markup.status_code == 422
    assert "<script>x()" not in markup.text
    assert "&lt;script&gt;x()&lt;/script&gt;" in markup.text
    kept = await client.post("/inbox/preferences", _form(quiet_from="22:00", digest_hour="99"))
    assert 'value="22:00"' in kept.text  # what was typed comes back
    assert await _stored(manager.id) == ({}, None)


async def test_it_refuses_a_post_without_the_csrf_token(client: Client, cast: Cast) -> None:
    manager = await make_user("manager", [await make_house()])
    await client.force_login(manager)
    response = await client.post("/inbox/preferences", _form(), csrf=False)
    assert response.status_code == 403
    assert await _stored(manager.id) == ({}, None)


async def test_managers_are_not_offered_the_kinds_only_admins_get(
    client: Client, cast: Cast
) -> None:
    await client.force_login(cast.manager_a)
    mine = await client.get("/inbox/preferences")
    assert 'name="mode-screen_result"' in mine.text
    assert 'name="mode-appeal"' not in mine.text
    assert 'name="mode-bed_free"' not in mine.text
    await client.force_login(cast.admin)
    admins = await client.get("/inbox/preferences")
    assert 'name="mode-appeal"' in admins.text
    assert 'name="mode-bed_free"' in admins.text
