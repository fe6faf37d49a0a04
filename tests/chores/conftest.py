from __future__ import annotations

from collections.abc import Iterator

import pytest

from house.lib import clock
from tests.chores.helpers import WEDNESDAY


@pytest.fixture
def wednesday() -> Iterator[None]:
    """The clock frozen at WEDNESDAY (house and web app alike)."""
    clock.freeze(WEDNESDAY)
    yield
    clock.freeze(None)
