from collections.abc import Iterator

import pytest

from tests.conftest import running_server
from tests.support.server import RunningServer


@pytest.fixture(scope="session")
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """The browser and client-library checks are about the HTTP and WebSocket surface, the
    same on either database: SQLite only."""
    with running_server(request, tmp_path_factory, "sqlite") as server:
        yield server
