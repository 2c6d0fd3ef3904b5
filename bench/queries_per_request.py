"""Prints SQL statements per request and request latency for listing meetings.

Starts a real server on 127.0.0.1 with a scratch database, books meetings
through the API, then lists them at several page sizes. Bounded: 50 meetings,
200 timed requests per page size.

    make bench    (or: python -m bench.queries_per_request)
"""

import statistics
import time

import httpx

from bench.server import run_against_server
from tests.support.factories import book, hours_from_now, make_person, make_service
from tests.support.graphql import Api

LIST = """query($first: Int!) { meetings(first: $first) { edges { node {
  id status client { name } expert { name headline } service { title } timeline { type at } } } } }"""
MEETINGS = 50
TIMED_REQUESTS = 200


async def measure(base_url: str, admin_token: str) -> None:
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as http:
        api = Api(http)
        client = await make_person(api, admin_token, credits=10_000)
        experts = [await make_person(api, admin_token, expert=True) for _ in range(5)]
        services = [await make_service(api, e, price=1) for e in experts]
        for i in range(MEETINGS):
            await book(api, client, services[i % 5], hours_from_now(100 + 2 * i))
        print(f"{'page size':>10} {'SQL statements':>15} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
        for first in (1, 5, 20, 50):
            body = (await api.raw(LIST, {"first": first}, client.token)).json()
            statements = body["extensions"]["sqlStatements"]
            timings = []
            for _ in range(TIMED_REQUESTS):
                started = time.perf_counter()
                await api.raw(LIST, {"first": first}, client.token)
                timings.append((time.perf_counter() - started) * 1000)
            q = statistics.quantiles(timings, n=100)
            print(f"{first:>10} {statements:>15} {q[49]:>8.1f} {q[94]:>8.1f} {q[98]:>8.1f}")


def main() -> None:
    run_against_server(measure)


if __name__ == "__main__":
    main()
