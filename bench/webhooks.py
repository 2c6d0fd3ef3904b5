"""Prints what webhooks cost a change and how soon an endpoint hears it: bookMeeting's SQL
statements and server CPU with 0, 1 and 3 endpoints hearing it, and the delay from the
booking's answer to the endpoint's receipt (p50, p95, max).

A real server on 127.0.0.1 (real clock, SQLite, 127.0.0.0/8 allowed) posts to a receiver on
loopback that answers 200 at once; one client books BENCH_BOOKINGS slots (default 100) back to
back for each count of endpoints, then 20 a quarter of a second apart (at rest). CPU is read
from /proc until every delivery and e-mail job has run, less the idle poller's CPU.

    python -m bench.webhooks
"""

import asyncio
import json
import os
import statistics
import time
from datetime import UTC, datetime, timedelta

import httpx

from app.models import ScheduledJob
from app.models.jobs import JobStatus
from bench.fanout import percentile
from bench.server import run_with_server_settings
from bench.wrk import cpu_seconds
from tests.support.factories import BOOK, Person, make_person, make_service
from tests.support.graphql import Api
from tests.support.receiver import Receiver
from tests.support.tables import orm_on
from tests.support.waiting import eventually

BOOKINGS = int(os.environ.get("BENCH_BOOKINGS", "100"))
PACED = 20
ENDPOINTS = (0, 1, 3)
IDLE_SECONDS = 2.0
CREATE = """mutation($input: CreateWebhookInput!) { createWebhook(input: $input) { __typename } }"""


async def quiet() -> bool:
    """No job due now is left (the bookings' reminders and completions wait for their times)."""
    owed = ScheduledJob.filter(status__in=[JobStatus.PENDING, JobStatus.RUNNING], due_at__lte=datetime.now(UTC))
    return not await owed.exists()


async def one_round(
    api: Api,
    pid: int,
    client: Person,
    service: str,
    start: datetime,
    receiver: Receiver,
    endpoints: int,
    pace: float = 0.0,
) -> None:
    """`pace`: seconds between bookings (0: back to back, the job poller behind them)."""
    received_before = len(receiver.received)
    idle_before = cpu_seconds(pid)
    await asyncio.sleep(IDLE_SECONDS)
    idle_per_second = (cpu_seconds(pid) - idle_before) / IDLE_SECONDS
    statements: list[int] = []
    answered: dict[str, float] = {}
    began, cpu_before = time.monotonic(), cpu_seconds(pid)
    count = PACED if pace else BOOKINGS
    for i in range(count):
        await asyncio.sleep(pace)
        booking = {
            "serviceId": service,
            "startsAt": (start + timedelta(hours=2 * i)).isoformat(),
            "durationMinutes": 60,
            "mode": "VIDEO",
        }
        body = (await api.raw(BOOK, {"input": booking}, client.token)).json()
        answered[body["data"]["bookMeeting"]["id"]] = time.perf_counter()
        statements.append(body["extensions"]["sqlStatements"])
    await receiver.wait_for(received_before + count * endpoints, timeout=120)
    await eventually(quiet, timeout=120)
    cpu = cpu_seconds(pid) - cpu_before - idle_per_second * (time.monotonic() - began)
    delays = [
        (r.at - answered[json.loads(r.body)["meeting"]["id"]]) * 1000 for r in receiver.received[received_before:]
    ]
    how = f"{count} bookings {pace:g} s apart" if pace else f"{count} bookings back to back"
    line = (
        f"{how}, {endpoints} endpoint(s): {statistics.median(statements):.0f} statements "
        f"(max {max(statements)}); server CPU per booking, its jobs included: {1000 * cpu / count:.2f} ms"
    )
    if delays:
        line += (
            f"; answer to receipt ms: p50 {statistics.median(delays):.1f}, p95 {percentile(delays, 0.95):.1f}, "
            f"max {max(delays):.1f}"
        )
    print(line, flush=True)


async def measure(base_url: str, pid: int, admin_token: str, env: dict[str, str]) -> None:
    receiver = Receiver().start()
    try:
        async with httpx.AsyncClient(base_url=base_url, timeout=60) as http, orm_on(env["DATABASE_URL"]):
            api = Api(http)
            expert = await make_person(api, admin_token, expert=True)
            client = await make_person(api, admin_token, credits=1_000_000)
            start = (datetime.now(UTC) + timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
            print("bookMeeting per count of endpoints hearing it")
            made = 0
            for round_number, endpoints in enumerate(ENDPOINTS):
                for _ in range(endpoints - made):
                    answer = await api.query(CREATE, {"input": {"url": f"{receiver.url}/{made}"}}, expert.token)
                    assert answer["createWebhook"]["__typename"] == "Webhook", answer
                    made += 1
                service = await make_service(api, expert, price=1)
                round_start = start + timedelta(days=30 * round_number)
                await eventually(quiet, timeout=60)
                await one_round(api, pid, client, service, round_start, receiver, endpoints)
            service = await make_service(api, expert, price=1)
            paced_start = start + timedelta(days=30 * len(ENDPOINTS))
            await one_round(api, pid, client, service, paced_start, receiver, made, pace=0.25)
    finally:
        receiver.stop()


def main() -> None:
    run_with_server_settings(measure, EXPOSE_QUERY_COUNT="true", WEBHOOK_ALLOWED_NETWORKS="127.0.0.0/8")


if __name__ == "__main__":
    main()
