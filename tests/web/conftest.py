"""The records the access matrix and the crawl from each role's home walk."""

from __future__ import annotations

import pytest

from tests.cast import Cast


@pytest.fixture(scope="session")
async def places(cast: Cast) -> dict[str, int]:
    from tests.web.test_access_matrix import make_places

    return await make_places(cast)
