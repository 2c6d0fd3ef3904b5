"""Prints what one bookMeeting costs the server: SQL statements in the mutation, and CPU per
booking including the e-mail jobs it plans (run by the server's own job poller, mail to the log).

A real server on 127.0.0.1 (real clock, SQLite); 10 experts bookable round the clock; one client
books 200 distinct slots one after another; CPU is read from /proc from before the first booking
until every e-mail job has run, less the idle poller's CPU over the same time (measured first).

    python -m bench.book_meeting
"""

import asyncio
import os
import statistics
import time
from datetime import UTC, datetime, timedelta

import httpx

from app.domain.schedule import JobKind
from app.models import ScheduledJob
from app.models.jobs import JobStatus
from bench.server import run_with_server_settings
from bench.wrk import cpu_seconds
from tests.support.factories import BOOK, make_person, make_service
from tests.support.graphql import Api
from tests.support.tables import orm_on
from tests.support.waiting import eventually

EXPERTS = 10
BOOKINGS = int(os.environ.get("BENCH_BOOKINGS", "200"))
IDLE_SECONDS = 3.0


async def emails_sent() -> bool:
    pending = [JobStatus.PENDING, JobStatus.RUNNING]
    return not await ScheduledJob.filter(kind=JobKind.SEND_EMAIL, status__in=pending).exists()


async def measure(base_url: str, pid: int, admin_token: str, env: dict[str, str]) -> None:
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as http, orm_on(env["DATABASE_URL"]):
        api = Api(http)
        experts = [await make_person(api, admin_token, expert=True) for _ in range(EXPERTS)]
        services = [await make_service(api, expert, price=1) for expert in experts]
        client = await make_person(api, admin_token, credits=100_000)
        start = (datetime.now(UTC) + timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
        await eventually(emails_sent, timeout=60)
        idle_before = cpu_seconds(pid)
        await asyncio.sleep(IDLE_SECONDS)
        idle_per_second = (cpu_seconds(pid) - idle_before) / IDLE_SECONDS

        statements: list[int] = []
        latencies: list[float] = []
        began, cpu_before = time.monotonic(), cpu_seconds(pid)
        for i in range(BOOKINGS):
            booking = {
                "serviceId": services[i % EXPERTS],
                "startsAt": (start + timedelta(hours=2 * (i // EXPERTS))).isoformat(),
                "durationMinutes": 60,
                "mode": "VIDEO",
            }
            sent = time.perf_counter()
            body = (await api.raw(BOOK, {"input": booking}, client.token)).json()
            latencies.append((time.perf_counter() - sent) * 1000)
            assert body["data"]["bookMeeting"]["__typename"] == "Meeting", body
            statements.append(body["extensions"]["sqlStatements"])
        await eventually(emails_sent, timeout=60)
        elapsed = time.monotonic() - began
        cpu = cpu_seconds(pid) - cpu_before - idle_per_second * elapsed
        print(f"bookMeeting, {BOOKINGS} bookings one after another, each with its notification e-mail to the expert")
        print(f"SQL statements in the mutation: {statistics.median(statements):.0f} (max {max(statements)})")
        print(
            f"latency ms: p50 {statistics.median(latencies):.1f}, p95 {statistics.quantiles(latencies, n=20)[18]:.1f}"
        )
        print(f"server CPU per booking, its e-mail jobs included: {1000 * cpu / BOOKINGS:.2f} ms")
        print(f"(idle poller: {1000 * idle_per_second:.1f} ms of CPU a second, subtracted)")


def main() -> None:
    run_with_server_settings(measure, EXPOSE_QUERY_COUNT="true")


if __name__ == "__main__":
    main()
