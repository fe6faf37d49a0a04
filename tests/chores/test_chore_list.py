"""A house's chores: add, edit, leave out of the rotation (never deleted), bad input."""

from __future__ import annotations

import pytest

from house.chores.tables import Chore
from tests.cast import Cast
from tests.chores.helpers import chore_house
from tests.client import Client, form_value
from tests.factories import unique

pytestmark = pytest.mark.usefixtures("wednesday")
FIELDS = [
    ("name", "Laundry room"),
    ("area", "Basement"),
    ("instructions", "Wipe the machines.\nSweep."),
    ("frequency", "weekdays"),
    ("weekdays", "2"),
    ("weekdays", "6"),
    ("weight", "2"),
]


def _token() -> tuple[str, str]:
    """A fresh one-time form token, as the add form carries."""
    return ("form_token", unique("token-of-the-add-form"))


async def test_it_adds_edits_and_deactivates_a_chore(client: Client) -> None:
    setup = await chore_house(residents=0, chores=[])
    await client.force_login(setup["manager"])
    url = f"/houses/{setup['house']}/chores"
    page = await client.get(url)
    assert "No chores yet." in page.text
    assert form_value(page.text, "form_token")
    added = await client.post(url, [_token(), *FIELDS])
    assert added.status_code == 303
    chore = await Chore.select().where(Chore.house == setup["house"]).first()
    assert chore is not None
    assert (chore["name"], chore["area"], chore["frequency"], chore["weekdays"]) == (
        "Laundry room",
        "Basement",
        "weekdays",
        "2,6",
    )
    assert (chore["instructions"], chore["weight"], chore["active"]) == (
        "Wipe the machines.\nSweep.",
        2,
        True,
    )
    page = await client.get(url)
    assert f'id="chore-{chore["id"]}"' in page.text
    assert "Tue, Sat" in page.text

    edit = await client.get(f"{url}/{chore['id']}")
    assert 'value="Laundry room"' in edit.text
    changed = await client.post(
        f"{url}/{chore['id']}",
        [("name", "Laundry"), ("frequency", "weekly"), ("weekdays", "5"), ("weight", "4")],
    )
    assert changed.status_code == 303
    row = await Chore.select().where(Chore.id == chore["id"]).first()
    assert row is not None
    assert (row["name"], row["frequency"], row["weekdays"], row["weight"]) == (
        "Laundry",
        "weekly",
        "5",
        4,
    )
    assert (await client.post(f"{url}/{chore['id']}/deactivate", {})).status_code == 303
    assert "not in the rotation" in (await client.get(url)).text
    assert (await client.post(f"{url}/{chore['id']}/activate", {})).status_code == 303
    row = await Chore.select().where(Chore.id == chore["id"]).first()
    assert row is not None
    assert row["active"] is True


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "Enter a name."),
        ({"name": "n" * 81}, "Use at most 80 characters"),
        ({"area": "a" * 81}, "Use at most 80 characters"),
        ({"instructions": "i" * 1001}, "Use at most 1000 characters"),
        ({"frequency": "hourly"}, "Choose how often."),
        ({"frequency": ""}, "Choose how often."),
        ({"weight": "0"}, "Choose an effort from 1 to 5."),
        ({"weight": "6"}, "Choose an effort from 1 to 5."),
        ({"weight": "heavy"}, "Choose an effort from 1 to 5."),
        ({"weekdays": "8"}, "Choose days from the list."),
        ({"weekdays": None}, "Choose the days this chore is done."),
        ({"frequency": "weekly", "weekdays": ["1", "2"]}, "A weekly chore has one day"),
    ],
)
async def test_it_answers_a_bad_chore_with_422_and_stores_nothing(
    client: Client, changes: dict, message: str
) -> None:
    setup = await chore_house(residents=0, chores=[])
    await client.force_login(setup["manager"])
    data = dict([_token(), *FIELDS]) | {k: v for k, v in changes.items() if k != "weekdays"}
    form = [(k, v) for k, v in data.items() if k != "weekdays"]
    weekdays = changes.get("weekdays", ["2", "6"])
    if isinstance(weekdays, str):
        weekdays = [weekdays]
    form += [("weekdays", d) for d in weekdays or []]
    response = await client.post(f"/houses/{setup['house']}/chores", form)
    assert response.status_code == 422
    assert message in response.text
    if "name" not in changes:
        assert 'value="Laundry room"' in response.text
    assert await Chore.count().where(Chore.house == setup["house"]) == 0


async def test_it_escapes_markup_and_keeps_what_was_typed(client: Client) -> None:
    setup = await chore_house(residents=0, chores=[])
    await client.force_login(setup["manager"])
    url = f"/houses/{setup['house']}/chores"
    bad = [("name", "<img src=x onerror=alert(1)>"), ("frequency", "daily"), ("weight", "9")]
    answer = await client.post(url, bad)
    assert answer.status_code == 422
    assert "<img src=x" not in answer.text
    assert "&lt;img src=x onerror=alert(1)&gt;" in answer.text
    await client.post(
        url, [_token(), ("name", "<i>Hall</i>"), ("frequency", "daily"), ("weight", "1")]
    )
    assert "&lt;i&gt;Hall&lt;/i&gt;" in (await client.get(url)).text


async def test_it_answers_another_houses_chore_with_404(client: Client, cast: Cast) -> None:
    mine = await chore_house(residents=0)
    theirs = await chore_house(residents=0)
    await client.force_login(mine["manager"])
    chore = theirs["chores"][0]
    # Their chore through my house's path, and their house's path: both not found.
    assert (await client.get(f"/houses/{mine['house']}/chores/{chore}")).status_code == 404
    assert (await client.get(f"/houses/{theirs['house']}/chores/{chore}")).status_code == 404
    for path in ("", "/deactivate", "/activate"):
        url = f"/houses/{mine['house']}/chores/{chore}{path}"
        assert (await client.post(url, [_token(), *FIELDS])).status_code == 404, path
    row = await Chore.select().where(Chore.id == chore).first()
    assert row is not None
    assert (row["name"], row["active"]) == ("Kitchen", True)


async def test_it_refuses_a_form_without_csrf_and_adds_once_on_a_double_submit(
    client: Client,
) -> None:
    setup = await chore_house(residents=0, chores=[])
    await client.force_login(setup["manager"])
    url = f"/houses/{setup['house']}/chores"
    good = [_token(), *FIELDS]
    assert (await client.post(url, good, csrf=False)).status_code == 403
    assert await Chore.count().where(Chore.house == setup["house"]) == 0
    first = await client.post(url, good)
    second = await client.post(url, good)
    assert first.status_code == second.status_code == 303
    assert await Chore.count().where(Chore.house == setup["house"]) == 1
    stale = await client.post(url, FIELDS)
    assert stale.status_code == 422
    assert "This form is out of date" in stale.text
    assert 'value="Laundry room"' in stale.text
    assert await Chore.count().where(Chore.house == setup["house"]) == 1
