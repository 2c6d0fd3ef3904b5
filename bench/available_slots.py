"""Prints how long `availableSlots` takes for a 60-day range as an expert's meetings grow, and
the server's CPU per request (read from /proc: the figure the performance goal is set in).

A real server on 127.0.0.1 with a scratch database; the expert is bookable
round the clock in 30-minute steps, and meetings are booked through the API at
distinct hours. Bounded: 500 meetings, 30 timed requests per step.

    python -m bench.available_slots
"""

import statistics
import time
from datetime import UTC, datetime, timedelta

import httpx

from bench.server import run_with_server_process
from bench.wrk import cpu_seconds
from tests.support.factories import ROUND_THE_CLOCK, SET_WEEKLY, book, make_person, make_service
from tests.support.graphql import Api

SLOTS = """query($e: ID!, $s: ID!, $from: DateTime!, $to: DateTime!) {
  availableSlots(expertId: $e, serviceId: $s, durationMinutes: 60, from: $from, to: $to) { startsAt } }"""
STEPS = (0, 100, 250, 500)
TIMED_REQUESTS = 30
RANGE_DAYS = 60


async def measure(base_url: str, pid: int, admin_token: str) -> None:
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as http:
        api = Api(http)
        expert = await make_person(api, admin_token, expert=True, time_zone="Europe/London")
        await api.query(SET_WEEKLY, {"input": {**ROUND_THE_CLOCK, "bufferAfterMinutes": 10}}, expert.token)
        service = await make_service(api, expert, price=1)
        client = await make_person(api, admin_token, credits=100_000)
        start = (datetime.now(UTC) + timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
        variables = {
            "e": expert.id,
            "s": service,
            "from": start.isoformat(),
            "to": (start + timedelta(days=RANGE_DAYS)).isoformat(),
        }
        print(f"availableSlots, {RANGE_DAYS}-day range, 60-minute duration, 30-minute step")
        print(f"{'meetings':>9} {'free slots':>11} {'p50 ms':>8} {'p95 ms':>8} {'CPU ms/req':>10}")
        booked = 0
        for target in STEPS:
            while booked < target:
                # Spread over the range: every 2 h 50 min, so no two meetings (or buffers) collide.
                moment = start + timedelta(minutes=170 * booked)
                moment = moment.replace(minute=moment.minute // 30 * 30)
                result = await book(api, client, service, moment.isoformat())
                assert result["__typename"] == "Meeting", result
                booked += 1
            timings, count = [], 0
            cpu_before = cpu_seconds(pid)
            for _ in range(TIMED_REQUESTS):
                began = time.perf_counter()
                count = len((await api.query(SLOTS, variables))["availableSlots"])
                timings.append((time.perf_counter() - began) * 1000)
            cpu_ms = (cpu_seconds(pid) - cpu_before) / TIMED_REQUESTS * 1000
            q = statistics.quantiles(timings, n=20)
            print(f"{booked:>9} {count:>11} {statistics.median(timings):>8.1f} {q[18]:>8.1f} {cpu_ms:>10.1f}")


def main() -> None:
    run_with_server_process(measure, RESPONSE_CACHE="false")  # uncached: what varied requests cost


if __name__ == "__main__":
    main()
