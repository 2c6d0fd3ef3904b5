"""Outages, with real servers the test stops and starts: while PostgreSQL is down every request
gets a coded answer (503, SERVICE_UNAVAILABLE, Retry-After) and every socket a coded close,
the log says so once (no traceback per request), and the process serves again once the
database is back, without a restart: a dashboard left open through the outage hears the
next change."""

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from pytest_postgresql.executors import PostgreSQLExecutor
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed
from websockets.typing import Subprotocol

from tests.api.test_job_durability import api_at, servers
from tests.support.factories import CONFIRM, act, book, hours_from_now, make_person, make_service
from tests.support.graphql import Subscriber
from tests.support.postgres import fresh_database
from tests.support.redis import redis_url
from tests.support.server import run_cli, server_env
from tests.support.waiting import eventually

VIEWER = "{ viewer { id } }"
WATCH = "subscription($id: ID) { meetingUpdated(meetingId: $id) { id version } }"
EXPERTS = "{ experts(first: 5) { edges { node { id } } } }"


@pytest.fixture
def outage_env(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[dict[str, str]]:
    restartable: PostgreSQLExecutor = request.getfixturevalue("restartable_postgresql_server")
    with fresh_database(restartable) as database_url:
        # Every sign-in reads its user (none is remembered from a moment before), so that a
        # socket signing in during the outage meets it.
        yield server_env(
            tmp_path,
            DATABASE_URL=database_url,
            REDIS_URL=redis_url(request.getfixturevalue("redis_server")),
            TOKEN_USER_CACHE_SECONDS="0",
        )


def assert_unavailable(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["retry-after"] == "5"
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "SERVICE_UNAVAILABLE", error


async def sign_in_over_a_socket(ws_url: str, token: str, protocol: str) -> tuple[int | None, list[object]]:
    """The close code and the messages before it."""
    messages: list[object] = []
    async with connect(ws_url, subprotocols=[Subprotocol(protocol)]) as socket:
        await socket.send(json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}}))
        try:
            async with asyncio.timeout(10):  # a socket left open fails the test, not hangs it
                while True:
                    messages.append(await socket.recv(decode=True))
        except ConnectionClosed:
            return socket.close_code, messages


async def test_while_postgresql_is_down_every_answer_is_coded_and_it_serves_again_once_back(
    outage_env: dict[str, str], restartable_postgresql_server: PostgreSQLExecutor
) -> None:
    admin_token = run_cli(outage_env, "admin-token")
    with servers(outage_env, 1) as [url]:
        ws_url = url.replace("http://", "ws://") + "/graphql"
        async with api_at(url) as api:
            expert = await make_person(api, admin_token, expert=True)
            client = await make_person(api, admin_token, credits=100)
            service = await make_service(api, expert)
            meeting = await book(api, client, service, hours_from_now(40))
            live = await Subscriber.open(ws_url, client.token)  # a dashboard open through the outage
            await live.expect_ack()
            await live.subscribe(WATCH, {"id": meeting["id"]})
            assert (await live.next_payload())["data"]["meetingUpdated"]["version"] == meeting["version"]

            restartable_postgresql_server.stop()
            try:
                for token, query in ((client.token, VIEWER), (None, EXPERTS)):  # signed in, and public
                    assert_unavailable(await api.raw(query, token=token))
                booking = await api.raw(
                    "mutation($s: ID!, $t: DateTime!) { bookMeeting(input: {serviceId: $s, startsAt: $t, "
                    "durationMinutes: 60, mode: VIDEO}) { __typename } }",
                    {"s": service, "t": hours_from_now(50)},
                    client.token,
                )
                assert_unavailable(booking)
                assert (await api.http.get("/healthz")).status_code == 200
                ready = await api.http.get("/readyz")
                assert (ready.status_code, ready.json()["database"]) == (503, False)
                assert await sign_in_over_a_socket(ws_url, client.token, "graphql-transport-ws") == (1013, [])
                code, [refusal] = await sign_in_over_a_socket(ws_url, client.token, "graphql-ws")
                assert code == 1013 and '"SERVICE_UNAVAILABLE"' in str(refusal)
            finally:
                restartable_postgresql_server.start()

            async def ready_again() -> bool:
                return (await api.http.get("/readyz")).status_code == 200

            await eventually(ready_again, timeout=30)
            assert (await book(api, client, service, hours_from_now(50)))["__typename"] == "Meeting"
            confirmed = await act(api, CONFIRM, expert, meetingId=meeting["id"])
            assert (await live.next_payload())["data"]["meetingUpdated"]["version"] == confirmed["version"]
            await live.close()
        log = (Path(outage_env["DATA_DIR"]) / f"server-{url.rsplit(':', 1)[1]}.log").read_text()
    assert "Traceback" not in log, log[-3000:]
    assert log.count("the database is out of reach") == 1 and log.count("the database is back") == 1, log[-3000:]
