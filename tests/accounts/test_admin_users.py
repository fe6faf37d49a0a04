"""The admin's people pages: roles and houses, stale edits, disabling, query counts.

Who stays signed in: a change of name alone keeps every session (the person's and the
admin's own); a change of role, of houses, or a disable ends the person's sessions.
"""

from __future__ import annotations

from typing import Any

from house.accounts.tables import HouseMembership, User
from house.audit.tables import AuditEvent
from tests.cast import Cast
from tests.client import Client, form_value
from tests.factories import make_house, make_user


async def _edit(client: Client, user_id: int, **fields: Any) -> Any:
    page = await client.get(f"/admin/users/{user_id}")
    data: list[tuple[str, str]] = [("version", form_value(page.text, "version") or "")]
    for key, value in fields.items():
        for v in value if isinstance(value, list) else [value]:
            data.append((key, str(v)))
    return await client.post(f"/admin/users/{user_id}", data)


async def test_it_moves_a_manager_to_another_house_and_signs_them_out(
    client: Client, cast: Cast, app: object
) -> None:
    person = await make_user(User.Role.manager, [cast.house_a])
    async with Client(app) as theirs:
        await theirs.force_login(person)
        assert (await theirs.get("/")).status_code == 200
        await client.force_login(cast.admin)
        response = await _edit(
            client, person.id, name=person.name, role="manager", houses=[cast.house_b]
        )
        assert response.status_code == 303
        houses = await HouseMembership.select(HouseMembership.house).where(
            HouseMembership.user == person.id
        )
        assert houses == [{"house": cast.house_b}]
        assert (await theirs.get("/")).status_code == 303  # signed in again for the new role


async def test_it_keeps_a_renamed_person_signed_in(client: Client, cast: Cast, app: object) -> None:
    person = await make_user(User.Role.manager, [cast.house_a, cast.house_b])
    async with Client(app) as theirs:
        await theirs.force_login(person)
        assert (await theirs.get("/")).status_code == 200
        await client.force_login(cast.admin)
        response = await _edit(
            client,
            person.id,
            name="Renamed Manager",
            role="manager",
            houses=[cast.house_b, cast.house_a],  # the same houses, in another order
        )
        assert response.status_code == 303
        assert (await User.select(User.name).where(User.id == person.id).first()) == {
            "name": "Renamed Manager"
        }
        assert (await theirs.get("/")).status_code == 200
        assert (await client.get("/admin/users")).status_code == 200
    assert await AuditEvent.exists().where(
        AuditEvent.action == "user_updated", AuditEvent.subject == person.id
    )


async def test_it_keeps_an_admin_who_renames_themselves_signed_in(
    client: Client, app: object
) -> None:
    me = await make_user(User.Role.admin)
    await client.force_login(me)
    async with Client(app) as my_phone:
        await my_phone.force_login(me)
        response = await _edit(client, me.id, name="New Name For Me", role="admin")
        assert response.status_code == 303
        page = await client.get(response.headers["location"])
        assert page.status_code == 200
        assert "New Name For Me" in page.text
        assert (await my_phone.get("/admin/users")).status_code == 200


async def test_it_signs_a_person_out_when_their_role_changes(
    client: Client, cast: Cast, app: object
) -> None:
    person = await make_user(User.Role.manager, [cast.house_a])
    async with Client(app) as theirs:
        await theirs.force_login(person)
        assert (await theirs.get("/")).status_code == 200
        await client.force_login(cast.admin)
        response = await _edit(
            client, person.id, name=person.name, role="resident", houses=[cast.house_a]
        )
        assert response.status_code == 303
        assert (await theirs.get("/")).status_code == 303  # to sign in, as a resident now
        assert (await client.get("/admin/users")).status_code == 200


async def test_it_refuses_a_stale_edit_and_says_who_changed_it(
    client: Client, cast: Cast, app: object
) -> None:
    person = await make_user(User.Role.resident, [cast.house_a])
    await client.force_login(cast.admin)
    stale = await client.get(f"/admin/users/{person.id}")
    stale_version = form_value(stale.text, "version")

    other_admin = await make_user(User.Role.admin, name="Otto Other")
    async with Client(app) as other:
        await other.force_login(other_admin)
        first = await _edit(
            other, person.id, name="First Edit", role="resident", houses=[cast.house_a]
        )
        assert first.status_code == 303

    response = await client.post(
        f"/admin/users/{person.id}",
        [
            ("version", stale_version or ""),
            ("name", "Second Edit"),
            ("role", "resident"),
            ("houses", str(cast.house_a)),
        ],
    )
    assert response.status_code == 422
    assert "changed by Otto Other" in response.text
    assert 'value="Second Edit"' in response.text  # what was typed is kept
    row = await User.select(User.name).where(User.id == person.id).first()
    assert row == {"name": "First Edit"}
    # Saving again (with the version now on the form) goes through.
    retry = await client.post(
        f"/admin/users/{person.id}",
        [
            ("version", form_value(response.text, "version") or ""),
            ("name", "Second Edit"),
            ("role", "resident"),
            ("houses", str(cast.house_a)),
        ],
    )
    assert retry.status_code == 303


async def test_it_disables_an_account_and_its_sessions_end_at_once(
    client: Client, cast: Cast, app: object
) -> None:
    person = await make_user(User.Role.resident, [cast.house_a])
    async with Client(app) as theirs:
        await theirs.force_login(person)
        assert (await theirs.get("/")).status_code == 200
        await client.force_login(cast.admin)
        response = await client.post(f"/admin/users/{person.id}/disable")
        assert response.status_code == 303
        assert (await theirs.get("/")).status_code == 303
        # And they cannot sign in again.
        refused = await theirs.post("/login", {"email": person.email, "password": person.password})
        assert refused.status_code == 422
    assert await AuditEvent.exists().where(
        AuditEvent.action == "user_disabled", AuditEvent.subject == person.id
    )
    enabled = await client.post(f"/admin/users/{person.id}/enable")
    assert enabled.status_code == 303
    async with Client(app) as theirs:
        await theirs.login(person)


async def test_it_keeps_an_admin_from_locking_themselves_out(client: Client) -> None:
    me = await make_user(User.Role.admin)
    await client.force_login(me)
    response = await client.post(f"/admin/users/{me.id}/disable")
    assert response.status_code == 303
    assert (
        "You cannot disable your own account."
        in (await client.get(response.headers["location"])).text
    )
    demote = await _edit(client, me.id, name="Me", role="manager", houses=[])
    assert demote.status_code == 422
    assert "cannot take the admin role from yourself" in demote.text
    assert await User.exists().where(
        User.id == me.id, User.role == "admin", User.is_active.eq(True)
    )


async def test_it_keeps_the_house_rules_of_each_role(client: Client, cast: Cast) -> None:
    person = await make_user(User.Role.manager, [cast.house_a])
    await client.force_login(cast.admin)
    none = await _edit(client, person.id, name="No House", role="manager", houses=[])
    assert "Choose at least one house." in none.text
    two = await _edit(
        client, person.id, name="Two Houses", role="resident", houses=[cast.house_a, cast.house_b]
    )
    assert "A resident lives in one house." in two.text
    case_manager = await _edit(
        client, person.id, name="Now External", role="case_manager", houses=[cast.house_a]
    )
    assert case_manager.status_code == 303
    # Houses do not apply to a case manager: none are kept.
    assert not await HouseMembership.exists().where(HouseMembership.user == person.id)


async def test_it_lists_people_with_the_same_number_of_queries_however_many(
    client: Client, cast: Cast, queries: Any
) -> None:
    await client.force_login(cast.admin)
    await client.get("/admin/users")
    with queries() as few:
        response = await client.get("/admin/users")
    assert response.status_code == 200
    house = await make_house()
    for _ in range(25):
        await make_user(User.Role.resident, [house])
    with queries() as many:
        response = await client.get("/admin/users")
    assert response.status_code == 200
    assert many.count == few.count
    assert few.count <= 5
