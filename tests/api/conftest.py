"""A server that sends its mail to an SMTP server on loopback, for the modules that read mail."""

from collections.abc import AsyncIterator, Iterator

import pytest

from tests.conftest import api_on, running_server
from tests.support.graphql import Api
from tests.support.mailbox import Mailbox
from tests.support.server import RunningServer, free_port


@pytest.fixture(scope="module")
def mailbox() -> Iterator[Mailbox]:
    box = Mailbox(free_port())
    box.start()
    yield box
    box.stop()


@pytest.fixture(scope="module")
def mail_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, mailbox: Mailbox
) -> Iterator[RunningServer]:
    with running_server(
        request,
        tmp_path_factory,
        "sqlite",
        probes=(mailbox.probe,),
        traceback_free=False,  # a mail server that is down makes the e-mail job log its retries in full
        SMTP_URL=f"smtp://127.0.0.1:{mailbox.port}",
        MAIL_FROM="Bookings <bookings@test.example>",
    ) as server:
        yield server


@pytest.fixture
async def mail_api(mail_server: RunningServer) -> AsyncIterator[Api]:
    async with api_on(mail_server) as api:
        yield api
