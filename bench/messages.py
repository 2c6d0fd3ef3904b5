"""Prints what delivering a message costs, next to a `meetingUpdated` change, for 100 and 1,000
connected participants.

One server process on 127.0.0.1 (real clock). N WebSockets of one expert subscribe to
`messageAdded` (all of the expert's conversations); clients write to the expert, EVENTS
messages a round at 20 a second (the senders take turns: each may send 30 a minute). Printed
per round: send-to-receipt latency over every delivered frame (p50, p99, max), the sending
request's latency, and server CPU per delivered message (the sends included). Then, with N
sockets of one client watching `meetingUpdated`, the same figures for meeting changes (an offer
and its withdrawal, as bench/fanout.py makes them), so that the two compare in one run.

    python -m bench.messages   (BENCH_ROUNDS, BENCH_EVENTS: 2 rounds of 40 events)
"""

import asyncio
import json
import multiprocessing
import os
import statistics
import time
from concurrent.futures import ProcessPoolExecutor

import httpx
from websockets.asyncio.client import ClientConnection

from bench.fanout import Bench, Listener, our_listeners, percentile
from bench.server import run_with_server_process
from bench.wrk import cpu_seconds
from tests.support.factories import Person, act, make_person, make_service
from tests.support.graphql import Api, Subscriber

COUNTS = (100, 1000)
EVENTS = int(os.environ.get("BENCH_EVENTS", "40")) // 2 * 2
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "2"))
PER_SECOND = 20
SENDERS = 8
LIVE = "subscription Live { messageAdded { id } }"
SEND = """mutation Send($input: SendMessageInput!) {
  sendMessage(input: $input) { __typename ... on Message { id } ... on Problem { code message } } }"""


class MessageListener:
    """When each message arrived on one socket, by message id."""

    def __init__(self, socket: ClientConnection) -> None:
        self.socket = socket
        self.arrived: dict[str, float] = {}
        self.task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        async for frame in self.socket:
            now = time.perf_counter()
            message = json.loads(frame)
            if message["type"] != "next":
                raise RuntimeError(f"unexpected frame: {str(frame)[:300]}")
            self.arrived[message["payload"]["data"]["messageAdded"]["id"]] = now

    async def close(self) -> None:
        self.task.cancel()
        await self.socket.close()


async def listeners_of(ws_url: str, person: Person, count: int) -> list[MessageListener]:
    found = []
    for _ in range(count):
        subscriber = await Subscriber.open(ws_url, person.token)
        await subscriber.expect_ack()
        await subscriber.subscribe(LIVE)
        found.append(MessageListener(subscriber.socket))
    return found


async def all_have(listeners: list[MessageListener], message_id: str) -> None:
    deadline = time.monotonic() + 120
    while any(message_id not in listener.arrived for listener in listeners):
        if time.monotonic() > deadline:
            raise TimeoutError(f"message {message_id} did not reach every subscriber")
        await asyncio.sleep(0.005)


def line(label: str, deliveries: list[float], requests: list[float], cpu: float, delivered: int) -> str:
    return (
        f"{label:<26} {statistics.median(deliveries) * 1e3:7.1f} {percentile(deliveries, 0.99) * 1e3:7.1f} "
        f"{max(deliveries) * 1e3:7.1f} {statistics.median(requests) * 1e3:7.1f} {percentile(requests, 0.99) * 1e3:7.1f} "
        f"{cpu / max(delivered, 1) * 1e6:10.0f}"
    )


async def message_round(
    api: Api, pid: int, senders: list[Person], expert: Person, listeners: list[MessageListener], turn: int
) -> str:
    sent: dict[str, float] = {}
    requests: list[float] = []
    cpu_before = cpu_seconds(pid)
    start = time.perf_counter()
    for i in range(EVENTS):
        await asyncio.sleep(max(0.0, start + i / PER_SECOND - time.perf_counter()))
        sender = senders[(turn + i) % len(senders)]
        at = time.perf_counter()
        message = await act(api, SEND, sender, body=f"message {turn + i}", expertId=expert.id)
        requests.append(time.perf_counter() - at)
        sent[message["id"]] = at
    await all_have(listeners, list(sent)[-1])
    cpu = cpu_seconds(pid) - cpu_before
    deliveries = [listener.arrived[key] - at for listener in listeners for key, at in sent.items()]
    return line("messageAdded", deliveries, requests, cpu, len(deliveries))


async def measure(base_url: str, pid: int, admin_token: str) -> None:
    ws_url = base_url.replace("http://", "ws://") + "/graphql"
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as http:
        api = Api(http)
        expert = await make_person(api, admin_token, expert=True)
        senders = [await make_person(api, admin_token, name=f"Sender {n}") for n in range(SENDERS)]
        client = await make_person(api, admin_token, credits=100_000)
        service_id = await make_service(api, expert)
        print(
            f"{'round':<26} {'p50 ms':>7} {'p99 ms':>7} {'max ms':>7} {'req p50':>7} {'req p99':>7} {'CPU µs/msg':>10}"
        )
        turn = 0
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
            bench = Bench(pool, api, base_url, pid, expert, client, service_id)
            for count in COUNTS:
                print(f"{count} subscribers")
                readers = await listeners_of(ws_url, expert, count)
                watchers: list[Listener] = await our_listeners(ws_url, client, count)
                try:
                    warm = await act(api, SEND, senders[0], body="warm-up", expertId=expert.id)
                    await all_have(readers, warm["id"])
                    await bench.run_round(await bench.fresh_trigger(watchers), watchers, pid, events=2)
                    for _ in range(ROUNDS):
                        print(await message_round(api, pid, senders, expert, readers, turn))
                        turn += EVENTS
                        changes = await bench.run_round(await bench.fresh_trigger(watchers), watchers, pid)
                        print(
                            line(
                                "meetingUpdated",
                                changes.deliveries,
                                changes.requests,
                                changes.cpu_seconds,
                                changes.messages,
                            )
                        )
                finally:
                    for reader in readers:
                        await reader.close()
                    for watcher in watchers:
                        await watcher.close()
    print(f"load average {os.getloadavg()[0]:.2f}")


def main() -> None:
    print(f"message delivery next to meetingUpdated, one server process, {EVENTS} events per round at {PER_SECOND}/s")
    run_with_server_process(
        measure, MAX_SUBSCRIPTIONS_PER_USER="5000", TOKEN_CHECK_SECONDS="30", JOB_POLL_INTERVAL_SECONDS="0.2"
    )


if __name__ == "__main__":
    main()
