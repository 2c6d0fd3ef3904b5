from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from tests.conftest import running_server
from tests.support.server import RunningServer, free_port, run_cli, server_env, start_server, stop_server


@pytest.fixture(scope="session")
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """The browser and client-library checks are about the HTTP and WebSocket surface, the
    same on either database: SQLite only."""
    with running_server(request, tmp_path_factory, "sqlite") as server:
        yield server


@dataclass(frozen=True)
class DemoServer:
    base_url: str
    env: dict[str, str]


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoServer]:
    """The server as `make run` starts it: demo data, and GraphiQL's tabs signed in as the demo
    people. Real time: the walkthrough books a slot that is free now."""
    env = server_env(tmp_path_factory.mktemp("demo"), GRAPHIQL_DEMO_SIGN_IN="true")
    del env["TEST_CLOCK_FILE"]
    run_cli(env, "seed-demo")
    port = free_port()
    process = start_server(env, port)
    try:
        yield DemoServer(f"http://127.0.0.1:{port}", env)
    finally:
        stop_server(process)
