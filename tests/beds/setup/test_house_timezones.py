"""The house form's timezone list: canonical IANA names only (zone.tab of the tzdata
package), the house's region first, and a value saved before never lost."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from zoneinfo import ZoneInfo, available_timezones

import pytest

from house.alerts.tables import AlertProfile
from house.houses.tables import House
from house.lib import zones
from house.settings import SettingsError, get_settings, load_settings
from tests.beds.setup.test_houses import VALID
from tests.cast import Cast
from tests.client import Client, form_value
from tests.factories import make_house, unique

LEGACY = ("US/Eastern", "US/Pacific", "GB", "Etc/UTC", "Etc/GMT+5", "UTC", "Asia/Calcutta")


def _select(html: str, name: str = "timezone") -> str:
    match = re.search(rf'<select id="f-{name}".*?</select>', html, re.S)
    assert match, f"no {name} list"
    return match.group(0)


def _groups(html: str) -> list[str]:
    return re.findall(r'<optgroup label="([^"]*)"', _select(html))


def _values(html: str, name: str = "timezone") -> list[str]:
    return re.findall(r'<option value="([^"]*)"', _select(html, name))


def _selected(html: str, name: str = "timezone") -> list[str]:
    return re.findall(r'<option value="([^"]*)" selected', _select(html, name))


def _form_of(html: str) -> dict[str, str]:
    """The house form as the page shows it (what a person saves without touching it)."""
    fields = {k: form_value(html, k) or "" for k in ("version", "name", "address", "phone")}
    return {**VALID, **fields, "timezone": _selected(html)[0]}


async def _edit_page(
    client: Client, cast: Cast, timezone: str, first: str, selected: str
) -> tuple[int, str]:
    """A house saved in `timezone`, and its edit page: `first` group first, `selected`."""
    house = await make_house(timezone=timezone)
    await client.force_login(cast.admin)
    page = await client.get(f"/houses/{house}/edit")
    assert (_groups(page.text)[0], _selected(page.text)) == (first, [selected])
    return house, page.text


def test_it_lists_canonical_names_only_and_maps_every_old_choice() -> None:
    names = zones.canonical_names()
    assert 300 < len(names) < 518
    assert not set(LEGACY) & set(names)
    assert all(re.fullmatch(r"[A-Z][A-Za-z]+/[A-Za-z0-9_+\-/]+", n) for n in names)
    assert {"America/Chicago", "America/New_York", "Europe/Oslo", "Asia/Kolkata"} <= set(names)
    for name in names:
        ZoneInfo(name)  # every name on the list loads
    # Every name the old list offered maps to one on the new list: no saved house is lost.
    old = [z for z in available_timezones() if "/" in z and not z.startswith("Etc/")]
    assert all(zones.canonical(z) in names for z in old)
    assert zones.canonical("US/Eastern") == "America/New_York"
    assert zones.canonical("Asia/Calcutta") == "Asia/Kolkata"
    assert zones.canonical("UTC") is None


def test_it_checks_the_operators_default_timezone(tmp_path: Path) -> None:
    env = {"HOUSE_VAR_DIR": str(tmp_path)}
    assert load_settings(env).default_timezone == "America/New_York"
    chosen = load_settings({**env, "DEFAULT_TIMEZONE": "US/Central"})
    assert zones.canonical(chosen.default_timezone) == "America/Chicago"
    for bad in ("Etc/GMT+5", "UTC", "Mars/Olympus", "../../etc/passwd"):
        with pytest.raises(SettingsError, match="DEFAULT_TIMEZONE"):
            load_settings({**env, "DEFAULT_TIMEZONE": bad})


async def test_it_puts_the_operators_region_first_for_a_new_house(
    client: Client, cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    await client.force_login(cast.admin)
    page = await client.get("/houses/new")
    assert _groups(page.text)[0] == "America"
    assert _selected(page.text) == ["America/New_York"]
    assert not set(LEGACY) & set(_values(page.text))
    assert ">New York</option>" in page.text  # the place, read as a person writes it
    berlin = dataclasses.replace(get_settings(), default_timezone="Europe/Oslo")
    monkeypatch.setattr("house.beds.setup.views.get_settings", lambda: berlin)
    page = await client.get("/houses/new")
    assert _groups(page.text)[:2] == ["Europe", "Africa"]
    assert _selected(page.text) == ["Europe/Oslo"]


async def test_it_puts_the_houses_region_first_and_refuses_an_alias(
    client: Client, cast: Cast
) -> None:
    house, page = await _edit_page(client, cast, "Asia/Tokyo", "Asia", "Asia/Tokyo")
    for alias in ("US/Eastern", "Etc/UTC", "UTC"):
        sent = await client.post(f"/houses/{house}", {**_form_of(page), "timezone": alias})
        assert sent.status_code == 422
        assert "Choose a timezone from the list." in sent.text
        assert _selected(sent.text) == []  # what was typed is not on the list to select
    new = await client.post("/houses", {**VALID, "name": unique("Fir"), "timezone": "GB"})
    assert new.status_code == 422
    assert (await House.select(House.timezone).where(House.id == house).first()) == {
        "timezone": "Asia/Tokyo"
    }


async def test_it_shows_and_saves_a_legacy_alias_as_its_canonical_zone(
    client: Client, cast: Cast
) -> None:
    house, page = await _edit_page(client, cast, "US/Eastern", "America", "America/New_York")
    saved = await client.post(f"/houses/{house}", _form_of(page))
    assert saved.status_code == 303
    row = await House.select(House.timezone).where(House.id == house).first()
    assert row == {"timezone": "America/New_York"}


async def test_it_keeps_a_saved_name_the_list_cannot_map(client: Client, cast: Cast) -> None:
    house, page = await _edit_page(client, cast, "UTC", "As saved before", "UTC")
    other = await make_house(timezone="America/Chicago")
    saved = await client.post(f"/houses/{house}", {**_form_of(page), "name": unique("U")})
    assert saved.status_code == 303
    row = await House.select(House.timezone).where(House.id == house).first()
    assert row == {"timezone": "UTC"}
    # Only that house may keep it: another house cannot be moved to it.
    other_page = await client.get(f"/houses/{other}/edit")
    assert "UTC" not in _values(other_page.text)
    moved = await client.post(f"/houses/{other}", {**_form_of(other_page.text), "timezone": "UTC"})
    assert moved.status_code == 422
    # Moving the kept house to a listed zone works, and then UTC is gone from its list.
    page = (await client.get(f"/houses/{house}/edit")).text
    fixed = await client.post(f"/houses/{house}", {**_form_of(page), "timezone": "Europe/London"})
    assert fixed.status_code == 303
    page = (await client.get(f"/houses/{house}/edit")).text
    assert (_groups(page)[0], _selected(page)) == ("Europe", ["Europe/London"])
    assert "UTC" not in _values(page)


async def test_it_offers_people_the_same_list_and_maps_their_saved_alias(
    client: Client, cast: Cast
) -> None:
    await AlertProfile.delete().where(AlertProfile.user == cast.manager_a.id)
    await AlertProfile.insert(AlertProfile(user=cast.manager_a.id, timezone="US/Pacific"))
    await client.force_login(cast.manager_a)
    page = await client.get("/inbox/preferences")
    assert _values(page.text)[1:] == list(zones.canonical_names())
    assert _selected(page.text) == ["America/Los_Angeles"]
