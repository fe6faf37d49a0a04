from __future__ import annotations

import pytest

from tests.screens.scene import Scene, make_scene


@pytest.fixture
async def scene() -> Scene:
    return await make_scene()
