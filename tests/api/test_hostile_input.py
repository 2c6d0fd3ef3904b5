"""Hostile input over real HTTP and real sockets: a clean refusal, nothing written, the server
answering everyone else meanwhile, and no traceback in its log."""

import asyncio
import json
import time
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import connect

from tests.api.test_availability import IMPORT
from tests.api.test_refusals import assert_refused
from tests.support.factories import Person
from tests.support.graphql import Api
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


async def refused_while_healthy(
    server: RunningServer, action: Awaitable[dict[str, Any]], code: str
) -> dict[str, Any]:
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
        ("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", "LIMIT_EXCEEDED"),  # searched for until 9999
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
