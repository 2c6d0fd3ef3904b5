"""Prints booking throughput and subscription latency with one and with two server processes.

Starts its own PostgreSQL (Debian's binaries, through tests/support/bin/pg_ctl) and
redis-server on 127.0.0.1, then for 1 and 2 uvicorn processes on them (real clock):
- bookings: 20 clients book 10 distinct slots each, 20 at a time, spread over the
  processes; bookings per second and p50/p99 latency;
- live: 100 sockets of one client watch all the client's meetings, spread over the
  processes; the expert changes one meeting 40 times at 20/s through the first process;
  publish-to-receive p50/p99 (with two processes, half the frames cross Redis).
On a 2-core machine two processes share the cores with PostgreSQL, Redis and this
client: the point is what a second process costs or gives, not a scaling curve.

    python -m bench.scale_out
"""

import asyncio
import os
import statistics
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import AsyncExitStack, contextmanager
from pathlib import Path

import httpx
from pytest_postgresql.executors import PostgreSQLExecutor
from pytest_postgresql.janitor import DatabaseJanitor

from bench.fanout import EVENTS, FRAME, Listener, Trigger, percentile, wait_for_all
from tests.api.test_job_durability import servers
from tests.support.factories import CONFIRM, act, book, hours_from_now, make_person, make_service
from tests.support.graphql import Api, Subscriber
from tests.support.postgres import PG_CTL
from tests.support.server import free_port, run_cli, server_env

CLIENTS = 20
BOOKINGS_PER_CLIENT = 10
SUBSCRIBERS = 100


@contextmanager
def postgres(scratch: Path) -> Iterator[str]:
    server = PostgreSQLExecutor(
        executable=str(PG_CTL),
        host="127.0.0.1",
        port=free_port(),
        datadir=str(scratch / "pg"),
        unixsocketdir=str(scratch),
        logfile=str(scratch / "pg.log"),
        startparams="-w",
        dbname="bench",
    )
    server.init_directory()
    server.start()
    try:
        with DatabaseJanitor(user=server.user, host=server.host, port=server.port, dbname="bench", password=None):
            yield f"postgres://{server.user}@{server.host}:{server.port}/bench"
    finally:
        server.stop()


@contextmanager
def redis() -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True).stdout.strip() != b"PONG":
            if time.monotonic() > deadline:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


async def bookings(apis: list[Api], admin_token: str) -> None:
    expert = await make_person(apis[0], admin_token, expert=True)
    service_id = await make_service(apis[0], expert, price=1, duration=30)
    clients = [await make_person(apis[0], admin_token, credits=1000) for _ in range(CLIENTS)]
    base = 24 * 30 + 48 * len(apis)  # hours ahead, apart for each run

    async def book_all(i: int) -> list[float]:
        took = []
        for k in range(BOOKINGS_PER_CLIENT):
            started = time.perf_counter()
            slot = hours_from_now(base + (i * BOOKINGS_PER_CLIENT + k) * 0.5)
            booked = await book(apis[(i + k) % len(apis)], clients[i], service_id, slot, duration=30)
            assert booked["__typename"] == "Meeting", booked
            took.append(time.perf_counter() - started)
        return took

    started = time.perf_counter()
    latencies = [t for per_client in await asyncio.gather(*(book_all(i) for i in range(CLIENTS))) for t in per_client]
    elapsed = time.perf_counter() - started
    print(
        f"  bookings: {len(latencies) / elapsed:6.1f}/s, p50 {statistics.median(latencies) * 1e3:6.1f} ms, "
        f"p99 {percentile(latencies, 0.99) * 1e3:6.1f} ms ({len(latencies)} bookings, {CLIENTS} at a time)"
    )


async def live(urls: list[str], apis: list[Api], admin_token: str) -> None:
    expert = await make_person(apis[0], admin_token, expert=True)
    client = await make_person(apis[0], admin_token, credits=1000)
    service_id = await make_service(apis[0], expert)
    listeners = []
    for i in range(SUBSCRIBERS):
        subscriber = await Subscriber.open(urls[i % len(urls)].replace("http://", "ws://") + "/graphql", client.token)
        await subscriber.expect_ack()
        await subscriber.subscribe(FRAME)
        listeners.append(Listener(subscriber.socket, ours=True))
    try:
        booked = await book(apis[0], client, service_id, hours_from_now(24 * 20 + 10 * len(urls)))
        agreed = await act(apis[0], CONFIRM, expert, meetingId=booked["id"])
        await wait_for_all(listeners, f"{booked['id']}:{agreed['version']}")
        loop = asyncio.get_running_loop()
        sent, _, keys = await loop.run_in_executor(
            None, Trigger(urls[0], booked["id"], expert.token).send_paced, EVENTS
        )
        await wait_for_all(listeners, keys[-1])
        delivered = [listener.arrived[key] - at for listener in listeners for at, key in zip(sent, keys, strict=True)]
        print(
            f"  live: {SUBSCRIBERS} subscribers, {EVENTS} changes at 20/s: "
            f"p50 {statistics.median(delivered) * 1e3:6.1f} ms, p99 {percentile(delivered, 0.99) * 1e3:6.1f} ms"
        )
    finally:
        for listener in listeners:
            await listener.close()


async def measure(urls: list[str], admin_token: str) -> None:
    async with AsyncExitStack() as stack:
        apis = [Api(await stack.enter_async_context(httpx.AsyncClient(base_url=url, timeout=60))) for url in urls]
        await bookings(apis, admin_token)
        await live(urls, apis, admin_token)


def main() -> None:
    print(f"scale-out on PostgreSQL and Redis, one machine; load average {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory() as scratch, postgres(Path(scratch)) as database_url, redis() as redis_url:
        env = server_env(
            Path(scratch),
            DATABASE_URL=database_url,
            REDIS_URL=redis_url,
            MAX_SUBSCRIPTIONS_PER_USER="5000",
            JOB_POLL_INTERVAL_SECONDS="0.2",
        )
        del env["TEST_CLOCK_FILE"]
        admin_token = run_cli(env, "admin-token")
        for count in (1, 2):
            print(f"{count} server process{'es' if count > 1 else ''}:")
            with servers(env, count) as urls:
                asyncio.run(measure(urls, admin_token))


if __name__ == "__main__":
    main()
