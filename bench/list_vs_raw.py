"""Prints what a dashboard list costs next to raw Starlette answering the same bytes.

A real server on 127.0.0.1 (one uvicorn worker, real clock, no SQL counting) with a
realistic database: 10 experts, a client with 50 meetings (agreed and awaiting), and
5,000 other meetings. `meetings(first: 20)` with client, expert, service and canJoin is
loaded with wrk (1 thread, 10 connections, 5 s), then a typical Strawberry + Tortoise server
for the same document on the same database (bench/peer_app.py), then raw Starlette
(bench/raw_app.py) serving the very bytes that query returned, interleaved for 5 rounds.
Printed per round: requests/s, p50/p99 latency, server CPU per request, and our throughput
over theirs; then the medians, and the load average.

    python -m bench.list_vs_raw            (needs wrk: apt-get install wrk)
    python -m bench.list_vs_raw --profile  (also: the top of a py-spy profile of the list)

BENCH_ROUNDS=1 runs one round; BENCH_QUERY='query Q { … }' loads another document
(e.g. `{ viewer { id } }` for the per-request floor) against the same database.
"""

import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import uuid4

import httpx

from app.domain.meetings import CreditStatus, MeetingMode, MeetingStatus
from app.domain.people import Side
from app.models import Meeting, User
from bench.profiling import profiled
from bench.server import run_with_server_settings, start_raw
from bench.wrk import Load, post_load
from tests.support.factories import CONFIRM, Person, act, book, hours_from_now, make_person, make_service
from tests.support.graphql import Api
from tests.support.tables import orm_on

CUSTOM_QUERY = os.environ.get("BENCH_QUERY")
DASHBOARD = (
    CUSTOM_QUERY
    or """query Dashboard { meetings(first: 20) {
  edges { cursor node { id status startsAt endsAt mode priceCredits creditStatus canJoin joinOpensAt
    client { id name } expert { id name headline } service { id title } } }
  pageInfo { hasNextPage endCursor } } }"""
)
EXPERTS = 10
CLIENT_MEETINGS = 50
OTHER_MEETINGS = 5000
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
SECONDS = 5
CONNECTIONS = 10
INTERESTING = (
    "schema.py",
    "executor.py:",
    "validate",
    "parser.py",
    "queryset.py",
    "dataloader.py",
    "process_result",
    "encode_json",
    "models.py",
    "aiosqlite",
    "base_view",
    "logging/__init__",
    "httptools_impl",
    "jobs/runner",
    "loaders.py",
    "context.py",
)


async def seed(api: Api, admin_token: str, database_url: str) -> Person:
    experts = [await make_person(api, admin_token, expert=True, name=f"Expert {i}") for i in range(EXPERTS)]
    services = [await make_service(api, expert, price=10) for expert in experts]
    client = await make_person(api, admin_token, credits=100_000, name="Dashboard Client")
    for i in range(CLIENT_MEETINGS):
        booked = await book(api, client, services[i % EXPERTS], hours_from_now(30 + 3 * i))
        if i % 2 == 0:
            await act(api, CONFIRM, experts[i % EXPERTS], meetingId=booked["id"])
    async with orm_on(database_url):
        others = [
            User(
                id=uuid4(),
                name=f"Other {i}",
                email=f"other{i}@bench.example",
                time_zone="UTC",
                created_at=datetime.now(UTC),
            )
            for i in range(100)
        ]
        await User.bulk_create(others)
        past = datetime.now(UTC) - timedelta(days=400)
        rows = [
            Meeting(
                id=uuid4(),
                client_id=others[i % 100].id,
                expert_id=experts[i % EXPERTS].id,
                service_id=services[i % EXPERTS],
                mode=MeetingMode.VIDEO,
                starts_at=past + timedelta(hours=i),
                ends_at=past + timedelta(hours=i, minutes=60),
                duration_minutes=60,
                price_credits=10,
                status=MeetingStatus.COMPLETED,
                client_approved=True,
                expert_approved=True,
                credit_status=CreditStatus.CHARGED,
                created_by_side=Side.CLIENT,
                version=3,
                created_at=past,
                updated_at=past,
            )
            for i in range(OTHER_MEETINGS)
        ]
        await Meeting.bulk_create(rows, batch_size=500)
    return client


def profile(pid: int, url: str, body: Mapping[str, object], headers: Mapping[str, str]) -> None:
    profiled(
        pid,
        SECONDS,
        lambda: post_load(url, body, headers, pid, SECONDS, CONNECTIONS),
        "the list under load",
        INTERESTING,
    )


async def prepare(base_url: str, admin_token: str, database_url: str) -> tuple[Person, bytes]:
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as http:
        api = Api(http)
        client = await seed(api, admin_token, database_url)
        response = await api.raw(DASHBOARD, token=client.token)
        assert response.status_code == 200 and "errors" not in response.json(), response.text[:500]
        return client, response.content


def started(yardsticks: ExitStack, app: str, **env: str) -> tuple[subprocess.Popen[bytes], str]:
    """A yardstick server, stopped when the stack closes (a failed run leaves none behind)."""
    process, url = start_raw(app, **env)
    yardsticks.callback(process.wait, timeout=10)
    yardsticks.callback(process.terminate)
    return process, url


def main() -> None:
    with_profile = "--profile" in sys.argv

    async def measure(base_url: str, pid: int, admin_token: str, env: dict[str, str]) -> None:
        client, body = await prepare(base_url, admin_token, env["DATABASE_URL"])
        with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as file:
            file.write(body)
        with ExitStack() as yardsticks:
            yardsticks.callback(os.unlink, file.name)
            await compare(base_url, pid, env, client, body, file.name, yardsticks)

    async def compare(
        base_url: str,
        pid: int,
        env: dict[str, str],
        client: Person,
        body: bytes,
        body_file: str,
        yardsticks: ExitStack,
    ) -> None:
        raw, raw_url = started(yardsticks, "bench.raw_app:app", BENCH_BODY_FILE=body_file)
        contenders = [("graphql", base_url, pid), ("raw", raw_url, raw.pid)]
        request = {"query": DASHBOARD}
        headers = {"authorization": f"Bearer {client.token}"}
        peer_size = ""
        if not CUSTOM_QUERY:  # the typical server answers the dashboard document only
            peer, peer_url = started(
                yardsticks,
                "bench.peer_app:app",
                PEER_DATABASE_URL=env["DATABASE_URL"],
                PEER_JWT_SECRET=env["JWT_SECRET"],
            )
            contenders.insert(1, ("typical", peer_url, peer.pid))
            async with httpx.AsyncClient(timeout=30) as http:
                peer_body = await http.post(f"{peer_url}/graphql", json=request, headers=headers)
            assert peer_body.status_code == 200 and "errors" not in peer_body.json(), peer_body.text[:500]
            peer_size = f" (the typical server: {len(peer_body.content):,})"
        print(
            f"{'BENCH_QUERY' if CUSTOM_QUERY else 'meetings(first: 20)'}: {len(body):,} bytes of JSON{peer_size}; "
            f"{ROUNDS} rounds of {SECONDS} s, {CONNECTIONS} connections"
        )
        print(f"{'round':>5} {'':>8} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'CPU ms/req':>11} {'ratio':>7}")
        loads: dict[str, list[Load]] = {name: [] for name, _, _ in contenders}
        for round_number in range(1, ROUNDS + 1):
            for name, url, serving in contenders:
                load = post_load(f"{url}/graphql", request, headers, serving, SECONDS, CONNECTIONS)
                loads[name].append(load)
                ratio = loads["graphql"][-1].requests_per_second / load.requests_per_second
                print(
                    f"{round_number:>5} {name:>8} {load.requests_per_second:>8.0f} {load.p50_ms:>8.1f} "
                    f"{load.p99_ms:>8.1f} {load.cpu_ms_per_request:>11.2f}"
                    + (f" {ratio:>7.3f}" if name != "graphql" else "")
                )
        for name, done in loads.items():
            print(
                f"{'median':>5} {name:>8} {statistics.median(load.requests_per_second for load in done):>8.0f} "
                f"{statistics.median(load.p50_ms for load in done):>8.1f} {statistics.median(load.p99_ms for load in done):>8.1f} "
                f"{statistics.median(load.cpu_ms_per_request for load in done):>11.2f}"
            )
        for name in (name for name, _, _ in contenders[1:]):
            ratios = [
                a.requests_per_second / b.requests_per_second
                for a, b in zip(loads["graphql"], loads[name], strict=True)
            ]
            print(f"ratio (graphql / {name}), median of rounds: {statistics.median(ratios):.4f}")
        print(f"load average: {Path('/proc/loadavg').read_text().split()[:3]}")
        if with_profile:
            profile(pid, f"{base_url}/graphql", request, headers)

    run_with_server_settings(measure, EXPOSE_QUERY_COUNT="false")


if __name__ == "__main__":
    main()
