"""Prints what browsing costs with the response cache, next to raw Starlette answering the same bytes.

Visitors, each: the experts list, then one expert's free slots for the next 14 days; one visitor
in 50 books one of those slots (each a fresh one), which changes that expert's slots and the list
(the expert has a meeting more). A real server on 127.0.0.1 (one uvicorn worker, real clock)
with 10 experts bookable round the clock; wrk (1 thread, 10 connections) sends the visitors'
requests in turn for 5 s a round; raw Starlette (bench/raw_app.py) answers each read with the
bytes the server answered it, and a booking with a booking's answer; 5 interleaved rounds.
Printed per round: requests/s, p50/p99, server CPU per request, the ratio of throughputs, the
cache's hits; then medians and the load average.

    python -m bench.browse_mix            (needs wrk)
    RESPONSE_CACHE=false python -m bench.browse_mix   (the same mix uncached)
"""

import hashlib
import json
import os
import statistics
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from bench.server import run_with_server_process, start_raw
from bench.wrk import Load, mixed_load
from tests.support.factories import BOOK, Person, make_person, make_service
from tests.support.graphql import Api

EXPERTS = 10
DAYS = 14
BOOKING_EVERY = 50
"""One visitor in this many books (2 %)."""
VISITORS_PER_ROUND = 6_000
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
SECONDS = 5
CONNECTIONS = 10

LIST = """query Directory { experts(first: 10) { edges { node { id name headline skills reviewCount averageRating
  responseTimeMinutes services { id title offerings { durationMinutes priceCredits } modes } } } } }"""
SLOTS = """query Slots($expert: ID!, $service: ID!, $from: DateTime!, $to: DateTime!) {
  availableSlots(expertId: $expert, serviceId: $service, durationMinutes: 60, from: $from, to: $to) {
    startsAt endsAt } }"""


def body(query: str, variables: dict[str, object] | None = None) -> str:
    return json.dumps({"query": query, "variables": variables or {}})


async def seed(api: Api, admin_token: str) -> tuple[list[tuple[Person, str]], Person]:
    experts = []
    for i in range(EXPERTS):
        expert = await make_person(api, admin_token, expert=True, name=f"Expert {i}")
        experts.append((expert, await make_service(api, expert, price=1)))
    client = await make_person(api, admin_token, credits=1_000_000, name="Visitor")
    return experts, client


def visitors(
    experts: list[tuple[Person, str]], client: Person, start: datetime, bookings: list[tuple[int, datetime]]
) -> list[tuple[str, dict[str, str]]]:
    """A round's requests: VISITORS_PER_ROUND visitors, each booking taken from `bookings`."""
    window = {"from": start.isoformat(), "to": (start + timedelta(days=DAYS)).isoformat()}
    requests: list[tuple[str, dict[str, str]]] = []
    for visitor in range(VISITORS_PER_ROUND):
        expert, service = experts[visitor % EXPERTS]
        requests.append((body(LIST), {}))
        requests.append((body(SLOTS, {"expert": expert.id, "service": service, **window}), {}))
        if visitor % BOOKING_EVERY == BOOKING_EVERY - 1 and bookings:
            index, starts_at = bookings.pop()
            booking = {
                "serviceId": experts[index][1],
                "startsAt": starts_at.isoformat(),
                "durationMinutes": 60,
                "mode": "VIDEO",
            }
            requests.append((body(BOOK, {"input": booking}), {"authorization": f"Bearer {client.token}"}))
    return requests


async def answers_of(base_url: str, requests: list[tuple[str, dict[str, str]]]) -> dict[str, str]:
    """Each distinct read's answer, keyed as raw_app looks them up."""
    found: dict[str, str] = {}
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as http:
        for sent, headers in requests:
            digest = hashlib.sha256(sent.encode()).hexdigest()
            if digest not in found and "authorization" not in headers:
                response = await http.post(
                    "/graphql", content=sent, headers={"content-type": "application/json", **headers}
                )
                assert response.status_code == 200 and "errors" not in response.json(), response.text[:300]
                found[digest] = response.text
    return found


async def cache_hits(base_url: str) -> float:
    """Hits so far, from /metrics."""
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as http:
        text = (await http.get("/metrics", headers={"authorization": f"Bearer {METRICS_TOKEN}"})).text
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith('response_cache_requests_total{outcome="hit"}')
    )


METRICS_TOKEN = "browse-mix-metrics-token"


async def measure(base_url: str, pid: int, admin_token: str) -> None:
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as http:
        experts, client = await seed(Api(http), admin_token)
    start = (datetime.now(UTC) + timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)
    # Every expert's slots two hours apart, latest first: each booking takes a slot nobody took.
    bookings = [
        (index, start + timedelta(hours=2 * step)) for step in range(DAYS * 12 - 1) for index in range(EXPERTS)
    ][::-1]
    first_round = visitors(experts, client, start, list(bookings))
    recorded = await answers_of(base_url, first_round)
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as http:
        sample = bookings.pop(0)
        booking = {
            "serviceId": experts[sample[0]][1],
            "startsAt": sample[1].isoformat(),
            "durationMinutes": 60,
            "mode": "VIDEO",
        }
        booked = await Api(http).raw(BOOK, {"input": booking}, client.token)
        assert booked.json()["data"]["bookMeeting"]["__typename"] == "Meeting", booked.text
    with tempfile.TemporaryDirectory() as scratch:
        (Path(scratch) / "booking.json").write_bytes(booked.content)
        (Path(scratch) / "map.json").write_text(json.dumps(recorded))
        raw, raw_url = start_raw(
            "bench.raw_app:app",
            BENCH_BODY_FILE=str(Path(scratch) / "booking.json"),
            BENCH_BODY_MAP=str(Path(scratch) / "map.json"),
        )
        sizes = [len(answer) for answer in recorded.values()]
        print(
            f"browse mix: experts list ({sizes[0]:,} bytes) then {DAYS} days of one expert's slots "
            f"(~{statistics.median(sizes[1:]):,.0f} bytes); 1 visitor in {BOOKING_EVERY} books; "
            f"{ROUNDS} rounds of {SECONDS} s, {CONNECTIONS} connections; "
            f"response cache {'off' if os.environ.get('RESPONSE_CACHE') == 'false' else 'on'}"
        )
        print(
            f"{'round':>5} {'':>8} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'CPU ms/req':>11} {'ratio':>7} {'hits':>6}"
        )
        ours: list[Load] = []
        theirs: list[Load] = []
        try:
            for round_number in range(1, ROUNDS + 1):
                requests = visitors(experts, client, start, bookings)
                hits_before = await cache_hits(base_url)
                graphql = mixed_load(f"{base_url}/graphql", requests, pid, SECONDS, CONNECTIONS)
                served = graphql.requests_per_second * SECONDS
                hit_share = (await cache_hits(base_url) - hits_before) / served if served else 0.0
                yardstick = mixed_load(f"{raw_url}/graphql", requests, raw.pid, SECONDS, CONNECTIONS)
                ours.append(graphql)
                theirs.append(yardstick)
                ratio = graphql.requests_per_second / yardstick.requests_per_second
                for name, load in (("graphql", graphql), ("raw", yardstick)):
                    line = (
                        f"{round_number:>5} {name:>8} {load.requests_per_second:>8.0f} {load.p50_ms:>8.1f} "
                        f"{load.p99_ms:>8.1f} {load.cpu_ms_per_request:>11.2f}"
                    )
                    print(line + (f" {ratio:>7.3f}" if name == "raw" else f" {'':>7} {hit_share:>6.0%}"))
            for name, loads in (("graphql", ours), ("raw", theirs)):
                print(
                    f"{'median':>5} {name:>8} {statistics.median(x.requests_per_second for x in loads):>8.0f} "
                    f"{statistics.median(x.p50_ms for x in loads):>8.1f} {statistics.median(x.p99_ms for x in loads):>8.1f} "
                    f"{statistics.median(x.cpu_ms_per_request for x in loads):>11.2f}"
                )
            ratios = [a.requests_per_second / b.requests_per_second for a, b in zip(ours, theirs, strict=True)]
            print(f"ratio (graphql / raw), median of rounds: {statistics.median(ratios):.4f}")
            print(f"bookings left unused: {len(bookings)}")
            print(f"load average: {Path('/proc/loadavg').read_text().split()[:3]}")
        finally:
            raw.terminate()
            raw.wait(timeout=10)


def main() -> None:
    run_with_server_process(
        measure, METRICS_TOKEN=METRICS_TOKEN, RESPONSE_CACHE=os.environ.get("RESPONSE_CACHE", "true")
    )


if __name__ == "__main__":
    main()
