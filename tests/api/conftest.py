"""A server that sends its mail to an SMTP server on loopback, for the modules that read mail."""

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.graphql import Api
from tests.support.liveness import process_probe
from tests.support.mailbox import Mailbox
from tests.support.server import RunningServer, free_port, run_cli, server_env, server_log, start_server, stop_server
from tests.support.tables import orm_on


@pytest.fixture(scope="module")
def mailbox() -> Iterator[Mailbox]:
    box = Mailbox(free_port())
    box.start()
    yield box
    box.stop()


@pytest.fixture(scope="module")
def mail_server(tmp_path_factory: pytest.TempPathFactory, mailbox: Mailbox) -> Iterator[RunningServer]:
    data_dir: Path = tmp_path_factory.mktemp("mail-server")
    env = server_env(
        data_dir, SMTP_URL=f"smtp://127.0.0.1:{mailbox.port}", MAIL_FROM="Bookings <bookings@test.example>"
    )
    admin_token = run_cli(env, "admin-token")
    port = free_port()
    process = start_server(env, port)
    try:
        yield RunningServer(
            f"http://127.0.0.1:{port}",
            f"ws://127.0.0.1:{port}/graphql",
            admin_token,
            env,
            probes=(process_probe("mail test server", process, server_log(env, port)), mailbox.probe),
        )
    finally:
        stop_server(process)


@pytest.fixture
async def mail_api(mail_server: RunningServer) -> AsyncIterator[Api]:
    mail_server.require_running()
    async with (
        orm_on(mail_server.env["DATABASE_URL"]),
        httpx.AsyncClient(base_url=mail_server.base_url, timeout=30) as http,
    ):
        yield Api(http)
