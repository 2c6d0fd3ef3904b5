"""Prints what a `meetingUpdated` fan-out costs next to a raw WebSocket broadcast of the same bytes.

One server process on 127.0.0.1 (real clock). Each subscriber is a WebSocket of
one client, subscribed to all of the client's meetings. Each round, a fresh
meeting of that client is changed by its expert 20 times a second (an offer of
another time, then its withdrawal), from a process of its own, never waiting for
the subscribers. The yardstick is raw Starlette (bench/raw_broadcast.py) sending
the very frame our server sent to as many sockets, on a POST at the same rate.
Rounds of both are interleaved; printed per round: publish-to-receive latency
(p50, p99, max), the triggering request's latency (p50, p99), server CPU per
delivered message (the triggering requests included) and the CPU ratio of the
two; then the same for the fan-out alone (less the CPU the same requests took with
no subscriber). First a round with no subscriber gives the mutation's own latency and CPU;
also printed: memory per idle subscribed connection, SQL statements per event
(from the frames' `extensions.sqlStatements`), the load average.

    python -m bench.fanout             (BENCH_ROUNDS, BENCH_EVENTS: 3 rounds of 40 events)
    python -m bench.fanout --profile   (also: py-spy profiles, alone and at 1,000 subscribers)
"""

import asyncio
import json
import multiprocessing
import os
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection, connect

from bench.profiling import profiled
from bench.server import run_with_server_process, start_raw
from bench.wrk import cpu_seconds
from tests.support.factories import (
    CONFIRM,
    RESCHEDULE,
    WITHDRAW,
    Person,
    act,
    book,
    hours_from_now,
    make_person,
    make_service,
)
from tests.support.graphql import Api, Subscriber

SUBSCRIBER_COUNTS = (100, 1000)
EVENTS = int(os.environ.get("BENCH_EVENTS", "40")) // 2 * 2
"""Even: a round ends as it began, without an open offer."""
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
EVENTS_PER_SECOND = 20
FRAME = "subscription Watch { meetingUpdated { id version status } }"
INTERESTING = ("subscriptions.py", "frame_groups", "handlers.py", "schema.py", "websockets_impl", "encode_json")
HEADER = (
    f"{'round':<16} {'p50 ms':>7} {'p99 ms':>7} {'max ms':>7} {'req p50':>7} {'req p99':>7} {'CPU µs/msg':>9}"
    "  ratio  (fan-out only: µs/msg, ratio)"
)


def rss_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * share) - 1)]


@dataclass(frozen=True)
class Round:
    deliveries: list[float]
    """Seconds from sending the triggering request to a subscriber's frame, for each frame."""
    requests: list[float]
    """Seconds each triggering request took."""
    cpu_seconds: float
    messages: int

    @property
    def cpu_us_per_message(self) -> float:
        return self.cpu_seconds / max(self.messages, 1) * 1e6

    def fanout_us_per_message(self, trigger_cpu_seconds: float) -> float:
        """CPU per message beyond what the triggering requests cost with no one listening."""
        return max(0.0, self.cpu_seconds - trigger_cpu_seconds) / max(self.messages, 1) * 1e6

    def line(self, label: str) -> str:
        delivery = (
            f"{statistics.median(self.deliveries) * 1e3:7.1f} {percentile(self.deliveries, 0.99) * 1e3:7.1f} "
            f"{max(self.deliveries) * 1e3:7.1f}"
            if self.deliveries
            else f"{'-':>7} {'-':>7} {'-':>7}"
        )
        return (
            f"{label:<16} {delivery} {statistics.median(self.requests) * 1e3:7.1f} "
            f"{percentile(self.requests, 0.99) * 1e3:7.1f} {self.cpu_us_per_message:9.0f}"
        )


class Listener:
    """One subscriber socket: when each frame arrived, by "meeting:version" (ours) or by count (raw)."""

    def __init__(self, socket: ClientConnection, ours: bool) -> None:
        self.socket = socket
        self.ours = ours
        self.arrived: dict[str, float] = {}
        self.statements: list[int] = []
        """SQL statements per frame, from the cumulative count the frames carry."""
        self.last_frame = ""
        self._statements_so_far = 0
        self._versions: dict[str, int] = {}
        self.task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        async for frame in self.socket:
            now = time.perf_counter()
            text = frame if isinstance(frame, str) else frame.decode()
            if not self.ours:
                self.arrived[str(len(self.arrived))] = now
                continue
            message = json.loads(text)
            if message["type"] != "next":
                raise RuntimeError(f"unexpected frame: {text[:300]}")
            payload: dict[str, Any] = message["payload"]
            meeting = payload["data"]["meetingUpdated"]
            # Under load a frame may carry a later version than the event that caused it (its
            # current state): the versions it jumps over arrived with it.
            version = int(meeting["version"])
            previous = self._versions.get(meeting["id"], version - 1)
            for passed in range(previous + 1, version + 1):
                self.arrived[f"{meeting['id']}:{passed}"] = now
            self._versions[meeting["id"]] = max(version, previous)
            total = int(payload.get("extensions", {}).get("sqlStatements", 0))
            self.statements.append(total - self._statements_so_far)
            self._statements_so_far = total
            self.last_frame = text

    async def close(self) -> None:
        self.task.cancel()
        await self.socket.close()


async def wait_for_all(listeners: list[Listener], key: str) -> None:
    deadline = time.monotonic() + 120
    while any(key not in listener.arrived for listener in listeners):
        if time.monotonic() > deadline:
            raise TimeoutError(f"event {key} did not reach every subscriber")
        await asyncio.sleep(0.005)


@dataclass(frozen=True)
class Trigger:
    """What causes the events, sent from a process of its own: the listeners' work in this one
    must not delay the requests, or their latency would be the bench's, not the server's."""

    url: str
    meeting_id: str = ""
    expert_token: str = ""
    frame: str = ""
    """For the yardstick: the bytes to broadcast (else the expert changes the meeting)."""

    def send_paced(self, events: int) -> tuple[list[float], list[float], list[str]]:
        """Sends `events` at EVENTS_PER_SECOND (never two at once): when each went (perf_counter is
        one clock for every process), how long it took, and the key its frames arrive under."""
        return asyncio.run(self._send_paced(events))

    async def _send_paced(self, events: int) -> tuple[list[float], list[float], list[str]]:
        sent: list[float] = []
        took: list[float] = []
        keys: list[str] = []
        async with httpx.AsyncClient(base_url=self.url, timeout=60) as http:
            send = self._broadcaster(http) if self.frame else self._changer(Api(http))
            start = time.perf_counter()
            for i in range(events):
                await asyncio.sleep(max(0.0, start + i / EVENTS_PER_SECOND - time.perf_counter()))
                sent.append(time.perf_counter())
                keys.append(await send(i))
                took.append(time.perf_counter() - sent[-1])
        return sent, took, keys

    def _changer(self, api: Api) -> Callable[[int], Awaitable[str]]:
        expert = Person("", self.expert_token, "")
        offer_id = ""

        async def change(i: int) -> str:
            """An offer of another time, then its withdrawal."""
            nonlocal offer_id
            if i % 2 == 0:
                changed = await act(
                    api,
                    RESCHEDULE,
                    expert,
                    meetingId=self.meeting_id,
                    reason="EXPERT_SCHEDULE",
                    times=[hours_from_now(320 + i % 50)],
                )
                offer_id = changed["offers"][-1]["id"]
            else:
                changed = await act(api, WITHDRAW, expert, offerId=offer_id)
            return f"{self.meeting_id}:{changed['version']}"

        return change

    def _broadcaster(self, http: httpx.AsyncClient) -> Callable[[int], Awaitable[str]]:
        async def publish(i: int) -> str:
            (await http.post("/publish", content=self.frame.encode())).raise_for_status()
            return str(i)

        return publish


@dataclass
class Bench:
    pool: ProcessPoolExecutor
    api: Api
    base_url: str
    pid: int
    expert: Person
    client: Person
    service_id: str
    meetings: int = 0

    async def fresh_trigger(self, listeners: list["Listener"]) -> Trigger:
        """A new confirmed meeting for each round, so that its offers (and the mutations'
        answers, which list them) stay as short as a real meeting's."""
        self.meetings += 1
        booked = await book(self.api, self.client, self.service_id, hours_from_now(400 + 2 * self.meetings))
        agreed = await act(self.api, CONFIRM, self.expert, meetingId=booked["id"])
        if listeners:
            await wait_for_all(listeners, f"{booked['id']}:{agreed['version']}")
        return Trigger(self.base_url, booked["id"], self.expert.token)

    async def run_round(self, trigger: Trigger, listeners: list[Listener], pid: int, events: int = EVENTS) -> Round:
        """The trigger's events, until every listener has the last one; what it cost the server."""
        already = len(listeners[0].arrived) if trigger.frame and listeners else 0  # raw frames are counted
        cpu_before = cpu_seconds(pid)
        sent, took, keys = await asyncio.get_running_loop().run_in_executor(self.pool, trigger.send_paced, events)
        if trigger.frame:
            keys = [str(already + int(key)) for key in keys]
        if listeners:
            await wait_for_all(listeners, keys[-1])
        cpu = cpu_seconds(pid) - cpu_before
        deliveries = [listener.arrived[key] - at for listener in listeners for at, key in zip(sent, keys, strict=True)]
        return Round(deliveries, took, cpu, max(len(deliveries), events))

    async def profiled_round(self, listeners: list[Listener], title: str) -> None:
        trigger = await self.fresh_trigger(listeners)
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(
            None,
            lambda: profiled(
                self.pid,
                EVENTS / EVENTS_PER_SECOND + 2,
                lambda: asyncio.run_coroutine_threadsafe(self.run_round(trigger, listeners, self.pid), loop).result(),
                title,
                INTERESTING,
            ),
        )

    async def one_count(
        self, listeners: list[Listener], raw_url: str, raw_pid: int, alone: Round, with_profile: bool
    ) -> None:
        count = len(listeners)
        frame = listeners[0].last_frame
        raws = [Listener(await connect(raw_url.replace("http://", "ws://") + "/ws"), ours=False) for _ in range(count)]
        theirs = Trigger(raw_url, frame=frame)
        print(f"frame of {len(frame)} bytes")
        print(HEADER)
        ratios: list[float] = []
        fanout_ratios: list[float] = []
        statements_before = len(listeners[0].statements)
        for round_number in range(1, ROUNDS + 1):
            mine = await self.run_round(await self.fresh_trigger(listeners), listeners, self.pid)
            yardstick = await self.run_round(theirs, raws, raw_pid)
            ratios.append(mine.cpu_us_per_message / yardstick.cpu_us_per_message)
            fanout = mine.fanout_us_per_message(alone.cpu_seconds)
            fanout_ratios.append(fanout / yardstick.cpu_us_per_message)
            print(mine.line(f"{round_number} graphql"))
            print(
                yardstick.line(f"{round_number} raw")
                + f"  {ratios[-1]:5.1f}×  ({fanout:6.0f} µs, {fanout_ratios[-1]:4.1f}×)"
            )
        for raw_listener in raws:
            await raw_listener.close()
        statements = listeners[0].statements[statements_before:]
        print(
            f"CPU ratio (graphql / raw), median of rounds: {statistics.median(ratios):.1f}×, "
            f"fan-out only {statistics.median(fanout_ratios):.1f}×; "
            f"SQL per event (the group's stream): {statistics.mean(statements):.1f} (max {max(statements)}); "
            f"load average {os.getloadavg()[0]:.2f}"
        )
        if with_profile and count == max(SUBSCRIBER_COUNTS):
            await self.profiled_round(listeners, f"a {count}-subscriber round")


async def our_listeners(ws_url: str, client: Person, count: int) -> list[Listener]:
    listeners = []
    for _ in range(count):
        subscriber = await Subscriber.open(ws_url, client.token)
        await subscriber.expect_ack()
        await subscriber.subscribe(FRAME)
        listeners.append(Listener(subscriber.socket, ours=True))
    return listeners


async def measure(base_url: str, pid: int, admin_token: str, with_profile: bool) -> None:
    ws_url = base_url.replace("http://", "ws://") + "/graphql"
    raw, raw_url = start_raw("bench.raw_broadcast:app")
    try:
        async with httpx.AsyncClient(base_url=base_url, timeout=60) as http:
            api = Api(http)
            expert = await make_person(api, admin_token, expert=True)
            client = await make_person(api, admin_token, credits=100_000)
            service_id = await make_service(api, expert)
            with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
                bench = Bench(pool, api, base_url, pid, expert, client, service_id)
                alone = await bench.run_round(await bench.fresh_trigger([]), [], pid)
                print(
                    f"no subscriber: request p50 {statistics.median(alone.requests) * 1e3:.1f} ms, "
                    f"p99 {percentile(alone.requests, 0.99) * 1e3:.1f} ms; "
                    f"CPU per event {alone.cpu_seconds / EVENTS * 1e3:.2f} ms"
                )
                if with_profile:
                    await bench.profiled_round([], "the mutations alone")
                for count in SUBSCRIBER_COUNTS:
                    memory_before = rss_bytes(pid)
                    listeners = await our_listeners(ws_url, client, count)
                    try:
                        await bench.run_round(
                            await bench.fresh_trigger(listeners), listeners, pid, events=2
                        )  # all live
                        print(
                            f"\n{count} subscribers; memory per idle connection "
                            f"{(rss_bytes(pid) - memory_before) / count / 1024:.1f} KiB; ",
                            end="",
                        )
                        await bench.one_count(listeners, raw_url, raw.pid, alone, with_profile)
                    finally:
                        for listener in listeners:
                            await listener.close()
    finally:
        raw.terminate()
        raw.wait(timeout=10)


def main() -> None:
    with_profile = "--profile" in sys.argv
    print(f"meetingUpdated fan-out, one server process, {EVENTS} events per round at {EVENTS_PER_SECOND}/s")
    run_with_server_process(
        lambda url, pid, token: measure(url, pid, token, with_profile),
        MAX_SUBSCRIPTIONS_PER_USER="5000",
        TOKEN_CHECK_SECONDS="30",
        JOB_POLL_INTERVAL_SECONDS="0.2",
    )


if __name__ == "__main__":
    main()
