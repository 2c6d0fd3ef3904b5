"""Prints what a `meetingUpdated` fan-out costs on one server process, for 100 and 1,000 subscribers.

Each subscriber is a WebSocket of the meeting's client, subscribed to that one
meeting. The expert then changes the meeting 20 times (an offer of another time,
then its withdrawal), waiting each time until every subscriber has the frame.
Printed per round: publish-to-receive latency (from sending the mutation to a
subscriber's frame: p50, p99, max), SQL statements per event summed over all
subscribers (from each frame's `extensions.sqlStatements`), server CPU per
delivered message, and server memory per idle subscribed connection.

    python -m bench.fanout
"""

import asyncio
import os
import statistics
import time
from pathlib import Path
from typing import Any

import httpx

from tests.support.factories import CONFIRM, RESCHEDULE, WITHDRAW, Person, act, book, hours_from_now, make_person, make_service
from tests.support.graphql import Api, Subscriber
from bench.server import run_with_server_process

SUBSCRIBER_COUNTS = (100, 1000)
EVENTS = 20
FRAME = "subscription($id: ID) { meetingUpdated(meetingId: $id) { id version status } }"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def rss_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS")


class Listener:
    """One subscriber: records when each version arrived and the SQL its frames report."""

    def __init__(self, subscriber: Subscriber) -> None:
        self.subscriber = subscriber
        self.arrived: dict[int, float] = {}
        self.statements: dict[int, int] = {}
        self._last_statements = 0
        self.task: asyncio.Task[None] | None = None

    async def run(self) -> None:
        while True:
            message = await self.subscriber.receive(timeout=120)
            payload: dict[str, Any] = message["payload"]
            version = int(payload["data"]["meetingUpdated"]["version"])
            self.arrived[version] = time.perf_counter()
            total = int(payload.get("extensions", {}).get("sqlStatements", 0))
            self.statements[version] = total - self._last_statements
            self._last_statements = total


async def open_listeners(ws_url: str, client: Person, meeting_id: str, count: int) -> list[Listener]:
    listeners = []
    for _ in range(count):
        subscriber = await Subscriber.open(ws_url, client.token)
        await subscriber.expect_ack()
        await subscriber.subscribe(FRAME, {"id": meeting_id})
        listener = Listener(subscriber)
        listener.task = asyncio.create_task(listener.run())
        listeners.append(listener)
    return listeners


async def all_have(listeners: list[Listener], version: int) -> None:
    deadline = time.monotonic() + 60
    while any(version not in listener.arrived for listener in listeners):
        if time.monotonic() > deadline:
            raise TimeoutError(f"version {version} did not reach every subscriber")
        await asyncio.sleep(0.005)


async def one_round(api: Api, ws_url: str, pid: int, admin_token: str, count: int) -> None:
    expert = await make_person(api, admin_token, expert=True)
    client = await make_person(api, admin_token, credits=500)
    service_id = await make_service(api, expert)
    meeting = await book(api, client, service_id, hours_from_now(300))
    agreed = await act(api, CONFIRM, expert, meetingId=meeting["id"])
    version = int(agreed["version"])

    memory_before = rss_bytes(pid)
    listeners = await open_listeners(ws_url, client, meeting["id"], count)
    await all_have(listeners, version)
    memory_per_connection = (rss_bytes(pid) - memory_before) / count

    latencies: list[float] = []
    statements_per_event: list[int] = []
    cpu_before = cpu_seconds(pid)
    for i in range(EVENTS):
        sent = time.perf_counter()
        if i % 2 == 0:
            changed = await act(
                api, RESCHEDULE, expert,
                meetingId=meeting["id"], reason="EXPERT_SCHEDULE", times=[hours_from_now(320 + i)],
            )
        else:
            offer_id = changed["offers"][-1]["id"]
            changed = await act(api, WITHDRAW, expert, offerId=offer_id)
        version = int(changed["version"])
        await all_have(listeners, version)
        latencies += [listener.arrived[version] - sent for listener in listeners]
        statements_per_event.append(sum(listener.statements[version] for listener in listeners))
    cpu_used = cpu_seconds(pid) - cpu_before

    for listener in listeners:
        assert listener.task is not None
        listener.task.cancel()
        await listener.subscriber.close()
    latencies.sort()
    deliveries = EVENTS * count
    print(
        f"{count:>5} subscribers: latency p50 {statistics.median(latencies) * 1000:7.1f} ms, "
        f"p99 {latencies[int(len(latencies) * 0.99) - 1] * 1000:7.1f} ms, max {latencies[-1] * 1000:7.1f} ms; "
        f"SQL per event {statistics.mean(statements_per_event):.1f} (max {max(statements_per_event)}); "
        f"CPU per delivered message {cpu_used / deliveries * 1e6:6.0f} µs "
        f"(includes the mutations); memory per idle connection {memory_per_connection / 1024:5.1f} KiB"
    )


async def measure(base_url: str, pid: int, admin_token: str) -> None:
    ws_url = base_url.replace("http://", "ws://") + "/graphql"
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as http:
        api = Api(http)
        for count in SUBSCRIBER_COUNTS:
            await one_round(api, ws_url, pid, admin_token, count)


def main() -> None:
    print(f"meetingUpdated fan-out, one server process, {EVENTS} events per round; load average {os.getloadavg()[0]:.2f}")
    run_with_server_process(
        measure, MAX_SUBSCRIPTIONS_PER_USER="5000", TOKEN_CHECK_SECONDS="30", JOB_POLL_INTERVAL_SECONDS="0.2"
    )


if __name__ == "__main__":
    main()
