"""Error pages: a reload of a form's answer (GET on an address that only saves a form) gets
a page that says so and links to the closest page above it, not a bare 405."""

from __future__ import annotations

from typing import Any

import pytest

from house.web.pages import nearest_page
from tests.cast import Cast
from tests.client import Client


@pytest.mark.parametrize(
    ("path", "page"),
    [
        ("/screens/12/amend", "/screens/12"),
        ("/houses/3/rooms", "/houses"),  # /houses/3 itself only saves the house's form
        ("/logout", "/"),
        ("/alerts/5/resolve", "/"),
    ],
)
def test_it_finds_the_closest_page_above(app: Any, path: str, page: str) -> None:
    assert nearest_page(app, path) == page


async def test_a_reload_after_a_form_links_back_to_the_page(client: Client, cast: Cast) -> None:
    await client.force_login(cast.manager_a)
    response = await client.get(f"/houses/{cast.house_a}/rooms")
    assert response.status_code == 405
    assert "This address only saves a form" in response.text
    assert '<a class="button primary" href="/houses" id="back-to">' in response.text
    assert "Traceback" not in response.text
