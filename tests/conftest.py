import os
import shutil
from collections.abc import AsyncIterator, Iterator
from contextlib import ExitStack, asynccontextmanager, contextmanager
from pathlib import Path

import httpx
import pytest

from tests.support.factories import Person, make_person, make_service
from tests.support.graphql import Api
from tests.support.liveness import Probe, postgres_probe, process_probe, redis_probe
from tests.support.postgres import fresh_database, postgresql_server, restartable_postgresql_server  # noqa: F401 - the session's PostgreSQL, a fixture
from tests.support.redis import redis_server, redis_url, restartable_redis_server  # noqa: F401 - fixtures
from tests.support.server import (
    RunningServer,
    ServerClock,
    assert_no_traceback,
    free_port,
    run_cli,
    server_env,
    server_log,
    start_server,
    stop_server,
)
from tests.support.tables import is_snapshot, orm_on, snapshot_difference


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    """Temporary folders inside the checkout (git-ignored), one per run: pytest prunes old
    `pytest-N` folders in the system's temp directory, other runs' included, and a PostgreSQL
    or Redis server whose folder goes dies under the tests using it. A run removes the
    folders of runs that have ended, never those of one still going (a single test run
    while the suite runs, say). xdist's workers are handed their run's folder."""
    if config.option.basetemp is None:
        runs = config.rootpath / "test-artifacts" / "pytest"
        runs.mkdir(parents=True, exist_ok=True)
        for folder in runs.glob("run-*"):
            if not _running(folder.name.removeprefix("run-")):
                shutil.rmtree(folder, ignore_errors=True)
        config.option.basetemp = str(runs / f"run-{os.getpid()}")


def _running(pid: str) -> bool:
    try:
        os.kill(int(pid), 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def pytest_assertrepr_compare(op: str, left: object, right: object) -> list[str] | None:
    """A failed "nothing changed" check names the rows that changed, not a truncated dict."""
    if op == "==" and is_snapshot(left) and is_snapshot(right):
        return ["the stored rows differ:", *snapshot_difference(right, left)]
    return None


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """One real uvicorn per test worker and set-up: every API test runs on the embedded default
    (SQLite, events in the process) and on the scale-out one (PostgreSQL, events through Redis).
    Tests keep apart by making their own people."""
    with running_server(request, tmp_path_factory, request.param) as server:
        yield server


@contextmanager
def running_server(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    database: str,
    *,
    probes: tuple[Probe, ...] = (),
    traceback_free: bool = True,
    **extra: str,
) -> Iterator[RunningServer]:
    """A server process of this module's or session's own; `extra` adds settings, `probes` the
    liveness checks of what else it depends on (a mail server); `traceback_free`: its log is
    checked for tracebacks when it stops."""
    data_dir: Path = tmp_path_factory.mktemp(f"server-{database}")
    with ExitStack() as stack:
        settings: dict[str, str] = dict(extra)
        depends: list[Probe] = list(probes)
        if database == "postgres":
            postgres, redis = request.getfixturevalue("postgresql_server"), request.getfixturevalue("redis_server")
            settings["DATABASE_URL"] = stack.enter_context(fresh_database(postgres))
            settings["REDIS_URL"] = redis_url(redis)
            depends += [postgres_probe(postgres), redis_probe(redis)]
        env = server_env(data_dir, **settings)
        admin_token = run_cli(env, "admin-token")
        port = free_port()
        process = start_server(env, port)
        try:
            yield RunningServer(
                base_url=f"http://127.0.0.1:{port}",
                ws_url=f"ws://127.0.0.1:{port}/graphql",
                admin_token=admin_token,
                env=env,
                probes=(process_probe("server", process, server_log(env, port)), *depends),
            )
        finally:
            stop_server(process)
    # Every API test's requests went to this server: none may have left a traceback.
    if traceback_free:
        assert_no_traceback(env, port)


@pytest.fixture
def clock(server: RunningServer) -> Iterator[ServerClock]:
    """The server's clock, for this test only; real time again afterwards."""
    server.clock.reset()
    yield server.clock
    server.clock.reset()


@asynccontextmanager
async def api_on(server: RunningServer) -> AsyncIterator[Api]:
    """The server over HTTP; the ORM is bound to its database for reading what it stored."""
    server.require_running()
    async with orm_on(server.env["DATABASE_URL"]), httpx.AsyncClient(base_url=server.base_url, timeout=30) as http:
        yield Api(http)


@pytest.fixture
async def api(server: RunningServer) -> AsyncIterator[Api]:
    async with api_on(server) as api:
        yield api


@pytest.fixture
async def expert(api: Api, server: RunningServer) -> Person:
    return await make_person(api, server.admin_token, expert=True, name="Maya Expert")


@pytest.fixture
async def client(api: Api, server: RunningServer) -> Person:
    return await make_person(api, server.admin_token, credits=500, name="Sam Client")


@pytest.fixture
async def outsider(api: Api, server: RunningServer) -> Person:
    return await make_person(api, server.admin_token, credits=500, name="Olly Outsider")


@pytest.fixture
async def service_id(api: Api, expert: Person) -> str:
    return await make_service(api, expert)
