"""Prints the worst a single request can cost under the limits, and how /healthz fares meanwhile.

Cases: the dearest `availableSlots` operation the cost limit lets through (one field,
each at the most candidate starts a call may weigh: round-the-clock availability
on a 5-minute step over 10 days), and a calendar whose recurrence the library
searches until the year 9999 (refused when its child process overruns its budget).
For each: server CPU seconds, wall seconds, and the slowest /healthz answer while
it ran (asked every 20 ms).

    python -m bench.hostile
"""

import asyncio
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from bench.server import run_with_server_process
from bench.wrk import cpu_seconds
from tests.api.test_availability import IMPORT
from tests.support.factories import SET_WEEKLY, WEEKDAYS, make_person, make_service
from tests.support.graphql import Api

SLOT_FIELD = (
    "availableSlots(expertId: $expert, serviceId: $service, durationMinutes: 5, from: $from, to: $to) { startsAt }"
)
DEAREST_SLOTS = "query($from: DateTime!, $to: DateTime!, $expert: ID!, $service: ID!) {{ {} }}".format(
    " ".join(f"a{i}: {SLOT_FIELD}" for i in range(1))
)
IMPOSSIBLE_ICS = (
    "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//bench//EN\nBEGIN:VEVENT\nUID:x@bench\n"
    "DTSTART:{start}\nDURATION:PT30M\nRRULE:FREQ=HOURLY;BYSETPOS=2\nEND:VEVENT\nEND:VCALENDAR\n"
)


async def while_watching(base_url: str, pid: int, label: str, request: Any) -> None:
    slowest = 0.0
    done = asyncio.Event()

    async def watch() -> None:
        nonlocal slowest
        async with httpx.AsyncClient(base_url=base_url, timeout=10) as http:
            while not done.is_set():
                asked = time.perf_counter()
                await http.get("/healthz")
                slowest = max(slowest, time.perf_counter() - asked)
                await asyncio.sleep(0.02)

    watcher = asyncio.create_task(watch())
    cpu_before, started = cpu_seconds(pid), time.perf_counter()
    outcome = await request
    wall, cpu = time.perf_counter() - started, cpu_seconds(pid) - cpu_before
    done.set()
    await watcher
    print(f"{label}: {outcome}; server CPU {cpu:.2f} s, wall {wall:.2f} s, slowest /healthz {slowest * 1000:.0f} ms")


async def measure(base_url: str, pid: int, admin_token: str) -> None:
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as http:
        api = Api(http)
        expert = await make_person(api, admin_token, expert=True)
        service_id = await make_service(api, expert, duration=5, price=1)
        rules = [{"weekday": d, "startTime": "00:00", "endTime": "24:00"} for d in WEEKDAYS]
        await api.query(
            SET_WEEKLY,
            {"input": {"rules": rules, "slotStepMinutes": 5, "minimumNoticeMinutes": 0, "horizonDays": 365}},
            expert.token,
        )
        now = datetime.now(UTC)
        variables = {
            "from": now.isoformat(),
            "to": (now + timedelta(days=10)).isoformat(),
            "expert": expert.id,
            "service": service_id,
        }

        async def slots() -> str:
            data = await api.query(DEAREST_SLOTS, variables)
            return f"{sum(len(v) for v in data.values())} slots in 1 field"

        async def impossible_calendar() -> str:
            ics = IMPOSSIBLE_ICS.format(start=(now + timedelta(days=1)).strftime("%Y%m%dT100000Z"))
            data = await api.query(IMPORT, {"input": {"ics": ics}}, expert.token)
            return str(data["importBusyCalendar"].get("code"))

        await while_watching(base_url, pid, "dearest availableSlots operation", slots())
        await while_watching(base_url, pid, "calendar searched until 9999", impossible_calendar())


def main() -> None:
    run_with_server_process(measure, RESPONSE_CACHE="false")  # uncached: what varied requests cost


if __name__ == "__main__":
    main()
