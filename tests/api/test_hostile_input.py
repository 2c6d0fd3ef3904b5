"""Hostile input over real HTTP and real sockets: a clean refusal, nothing written, the server
answering everyone else meanwhile, and no traceback in its log."""

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest
from websockets import Subprotocol
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from tests.api.test_availability import IMPORT, SET_OVERRIDE
from tests.api.test_refusals import assert_refused
from tests.support.factories import SET_WEEKLY, Person
from tests.support.graphql import Api, Subscriber
from tests.support.server import RunningServer

SLOTS = """query($from: DateTime!, $to: DateTime!, $expert: ID!, $service: ID!) {
  availableSlots(expertId: $expert, serviceId: $service, durationMinutes: 60, from: $from, to: $to) { startsAt }
}"""


def calendar(rule: str, count: int = 1) -> str:
    start = (datetime.now(UTC) + timedelta(days=2)).strftime("%Y%m%dT100000Z")
    events = "".join(
        f"BEGIN:VEVENT\nUID:e{i}@test\nDTSTART:{start}\nDURATION:PT30M\nRRULE:{rule}\nEND:VEVENT\n"
        for i in range(count)
    )
    return f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//EN\n{events}END:VCALENDAR\n"


@asynccontextmanager
async def healthz_watch(server: RunningServer) -> AsyncIterator[list[float]]:
    """Asks /healthz every 50 ms while the block runs; yields the answer times, in seconds."""
    times: list[float] = []
    done = asyncio.Event()

    async def watch() -> None:
        async with httpx.AsyncClient(base_url=server.base_url, timeout=5) as http:
            while not done.is_set():
                asked = time.perf_counter()
                assert (await http.get("/healthz")).status_code == 200
                times.append(time.perf_counter() - asked)
                await asyncio.sleep(0.05)

    watcher = asyncio.create_task(watch())
    try:
        yield times
    finally:
        done.set()
        await watcher


async def refused_while_healthy(server: RunningServer, action: Awaitable[dict[str, Any]], code: str) -> dict[str, Any]:
    async with healthz_watch(server) as answers:
        refused = await assert_refused(server, action, code)
    assert answers and max(answers) < 0.5, answers  # generous: other tests share the 2 cores
    return refused


def import_calendar(api: Api, expert: Person, ics: str) -> Awaitable[dict[str, Any]]:
    async def run() -> dict[str, Any]:
        result: dict[str, Any] = (await api.query(IMPORT, {"input": {"ics": ics}}, expert.token))["importBusyCalendar"]
        return result

    return run()


@pytest.mark.parametrize(
    ("rule", "code"),
    [
        ("FREQ=DAILY;INTERVAL=0", "INVALID_INPUT"),  # once took the server down
        ("FREQ=MINUTELY", "INVALID_INPUT"),
        ("FREQ=SECONDLY;INTERVAL=1", "INVALID_INPUT"),
        ("FREQ=DAILY;INTERVAL=-3", "INVALID_INPUT"),
        ("FREQ=HOURLY", "LIMIT_EXCEEDED"),  # thousands of blocks within the horizon
        ("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", "INVALID_INPUT"),  # never happens: was searched for until 9999
        ("FREQ=HOURLY;BYMONTHDAY=-32", "INVALID_INPUT"),
        ("FREQ=HOURLY;BYSETPOS=2", "LIMIT_EXCEEDED"),  # never happens either: stopped by the time budget
    ],
)
async def test_a_hostile_recurrence_is_refused_and_the_server_keeps_answering(
    api: Api, server: RunningServer, expert: Person, rule: str, code: str
) -> None:
    count = 5 if rule == "FREQ=HOURLY" else 1
    refused = await refused_while_healthy(server, import_calendar(api, expert, calendar(rule, count)), code)
    assert refused["message"]


async def test_a_plain_repeating_calendar_still_imports(api: Api, expert: Person) -> None:
    imported = await import_calendar(api, expert, calendar("FREQ=WEEKLY;INTERVAL=2;COUNT=3"))
    assert imported == {"__typename": "BusyCalendarImported", "busyBlockCount": 3}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"5", "must be a JSON object"),
        (b'"query"', "must be a JSON object"),
        (b"null", "must be a JSON object"),
        (b"true", "must be a JSON object"),
        (b'{"query": "{ __typename }", "variables": "x"}', "`variables` must be a JSON object"),
        (b'{"query": "{ __typename }", "variables": ' + b"[" * 5000 + b"]" * 5000 + b"}", "nested"),
        (b'{"query": "{ __typename }"' + b"\xff\xfe}", "UTF-8"),
        (b'{"query": "{ __typename }", "variables": {"x": "\\ud800"}}', "lone surrogate"),
        (b'{"query": "{ __typename }", "variables": {"x": "a\\u0000b"}}', "NUL"),
    ],
)
async def test_a_body_that_is_not_a_graphql_request_is_a_coded_400(
    api: Api, server: RunningServer, body: bytes, message: str
) -> None:
    response = await api.http.post("/graphql", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert message in error["message"] and error["extensions"]["code"] == "BAD_REQUEST"


async def test_stored_text_refuses_nul(api: Api, server: RunningServer, expert: Person) -> None:
    """In variables, NUL and lone surrogates are a 400 (above); a GraphQL string literal
    cannot hold a lone surrogate (a syntax error), but can hold NUL."""
    create = (
        'mutation { createService(input: {title: "A\\u0000B", offerings: [{durationMinutes: 30, '
        "priceCredits: 1}], modes: [VIDEO]}) { __typename ... on Problem { code message } } }"
    )
    refused = await assert_refused(server, _first(api.query(create, token=expert.token)), "INVALID_INPUT")
    assert "not text" in refused["message"]


async def _first(data: Awaitable[dict[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = next(iter((await data).values()))
    return result


async def test_dates_outside_1970_to_2100_and_too_many_slots_are_refused(
    api: Api, server: RunningServer, expert: Person, service_id: str
) -> None:
    for start, end in (
        ("0001-01-01T00:00:00+00:00", "0001-01-05T00:00:00+00:00"),
        ("9999-12-01T00:00:00+00:00", "9999-12-30T00:00:00+00:00"),
    ):
        response = await api.raw(SLOTS, {"from": start, "to": end, "expert": expert.id, "service": service_id})
        [error] = response.json()["errors"]
        assert error["extensions"]["code"] == "INVALID_INPUT" and "1970" in error["message"]
    steps = {
        "input": {
            "rules": [
                {"weekday": d, "startTime": "00:00", "endTime": "24:00"}
                for d in ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
            ],
            "slotStepMinutes": 5,
            "minimumNoticeMinutes": 0,
            "horizonDays": 365,
        }
    }
    await api.query(SET_WEEKLY, steps, expert.token)
    now = datetime.now(UTC)
    response = await api.raw(
        SLOTS,
        {
            "from": now.isoformat(),
            "to": (now + timedelta(days=90)).isoformat(),
            "expert": expert.id,
            "service": service_id,
        },
    )
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "LIMIT_EXCEEDED" and "10 days" in error["message"]


async def test_an_operation_that_costs_too_much_never_runs(
    api: Api, server: RunningServer, expert: Person, service_id: str
) -> None:
    now = datetime.now(UTC)
    variables = {
        "from": now.isoformat(),
        "to": (now + timedelta(days=30)).isoformat(),
        "expert": expert.id,
        "service": service_id,
    }
    fields = (
        "availableSlots(expertId: $expert, serviceId: $service, durationMinutes: 60, from: $from, to: $to) { startsAt }"
    )
    header = "query($from: DateTime!, $to: DateTime!, $expert: ID!, $service: ID!)"
    assert "errors" not in (await api.raw(f"{header} {{ a0: {fields} }}", variables)).json()
    aliased = f"{header} {{ " + " ".join(f"a{i}: {fields}" for i in range(30)) + " }"
    spread = f"{header} {{ ...S ...S }} fragment S on Query {{ {fields} }}"
    for document, cost in ((aliased, 3000), (spread, 200)):
        started = time.perf_counter()
        [error] = (await api.raw(document, variables)).json()["errors"]
        assert error["extensions"]["code"] == "LIMIT_EXCEEDED" and f"costs {cost}" in error["message"]
        assert time.perf_counter() - started < 1  # refused before any slot is computed


@pytest.mark.parametrize(
    "frame",
    [
        "5",
        "[]",
        "null",
        '"connection_init"',
        "[" * 5000 + "]" * 5000,
        '{"type": 5}',
        '{"type": "connection_init", "payload": "x"}',
        "not json",
    ],
)
async def test_a_malformed_frame_closes_the_socket_with_4400(server: RunningServer, frame: str) -> None:
    async with connect(server.ws_url, subprotocols=[Subprotocol("graphql-transport-ws")]) as socket:
        await socket.send(frame)
        with pytest.raises(ConnectionClosed):
            await asyncio.wait_for(socket.recv(), 5)
        assert socket.close_code == 4400


async def test_malformed_frames_after_sign_in_close_with_4400(server: RunningServer, client: Person) -> None:
    for frame in (
        {"type": "subscribe", "id": ["1"], "payload": {"query": "{ __typename }"}},
        {"type": "subscribe", "id": "1", "payload": "{ __typename }"},
        {"type": "subscribe", "id": "1", "payload": {"query": 5}},
        {"type": "subscribe", "id": "1", "payload": {"query": ["{ __typename }"]}},
        {"type": "subscribe", "id": "1", "payload": {}},
        {"type": "subscribe", "id": "1", "payload": {"query": "{ __typename }", "variables": []}},
        {"type": "subscribe", "id": "1", "payload": {"query": "{ __typename }", "operationName": 1}},
    ):
        subscriber = await Subscriber.open(server.ws_url, client.token)
        try:
            await subscriber.expect_ack()
            await subscriber.send(frame)
            with pytest.raises(ConnectionClosed):
                await subscriber.receive()
            assert subscriber.socket.close_code == 4400
        finally:
            await subscriber.close()


async def test_a_frame_over_the_size_limit_is_refused_before_sign_in(server: RunningServer) -> None:
    async with connect(server.ws_url, subprotocols=[Subprotocol("graphql-transport-ws")], max_size=None) as socket:
        await socket.send("x" * (64 * 1024 + 1))
        with pytest.raises(ConnectionClosed):
            await asyncio.wait_for(socket.recv(), 5)
        assert socket.close_code == 1009


async def test_a_calendar_feed_token_of_any_length_is_a_404(api: Api) -> None:
    for token in ("x", "y" * 65, "z" * 5000):
        assert (await api.http.get(f"/calendar/{token}.ics")).status_code == 404


async def test_date_overrides_are_bounded_to_two_years_ahead(api: Api, server: RunningServer, expert: Person) -> None:
    today = datetime.now(UTC).date()
    for day in (today - timedelta(days=3), today + timedelta(days=731), date(9999, 1, 1)):
        refused = await assert_refused(
            server,
            _first(api.query(SET_OVERRIDE, {"input": {"date": day.isoformat(), "windows": []}}, expert.token)),
            "INVALID_INPUT",
        )
        assert "730 days ahead" in refused["message"]
    kept = await api.query(
        SET_OVERRIDE, {"input": {"date": (today + timedelta(days=730)).isoformat(), "windows": []}}, expert.token
    )
    assert kept["setDateOverride"]["__typename"] == "Availability"


async def test_several_operations_need_an_operation_name(api: Api) -> None:
    document = "query A { __typename } query B { viewer { id } }"
    response = await api.http.post("/graphql", json={"query": document})
    [error] = response.json()["errors"]
    assert "operationName" in error["message"] and error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    named = await api.http.post("/graphql", json={"query": document, "operationName": "A"})
    assert named.json()["data"] == {"__typename": "Query"}


async def test_a_subscription_over_http_is_a_coded_400(api: Api) -> None:
    response = await api.http.post("/graphql", json={"query": "subscription { notificationAdded { id } }"})
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert "WebSocket" in error["message"] and error["extensions"]["code"] == "BAD_REQUEST"
