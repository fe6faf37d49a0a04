from tests.chores.conftest import wednesday

__all__ = ["wednesday"]
