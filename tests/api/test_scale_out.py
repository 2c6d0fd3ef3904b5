"""Several server processes on one PostgreSQL: the guarantees of one process still hold."""

import asyncio
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.domain.ledger import LedgerKind
from app.models import LedgerEntry, Meeting
from tests.api.test_job_durability import api_at, servers
from tests.support.factories import book, hours_from_now, make_person, make_service
from tests.support.postgres import fresh_database
from tests.support.server import run_cli, server_env
from tests.support.tables import orm_on

CLIENTS = 20


@pytest.fixture
def postgres_env(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[dict[str, str]]:
    """Server settings for a fresh PostgreSQL database of this test's own."""
    with fresh_database(request.getfixturevalue("postgresql_server")) as database_url:
        yield server_env(tmp_path, DATABASE_URL=database_url)


async def test_twenty_bookings_of_one_slot_over_two_processes_have_one_winner(postgres_env: dict[str, str]) -> None:
    admin_token = run_cli(postgres_env, "admin-token")
    with servers(postgres_env, 2) as urls:
        async with api_at(urls[0]) as first, api_at(urls[1]) as second:
            expert = await make_person(first, admin_token, expert=True)
            service_id = await make_service(first, expert)
            clients = [await make_person(first, admin_token, credits=100) for _ in range(CLIENTS)]
            slot = hours_from_now(200)
            # Half the clients book through each process, all at once.
            outcomes = await asyncio.gather(*(
                book(first if i % 2 else second, client, service_id, slot) for i, client in enumerate(clients)
            ))
    kinds = Counter(outcome["__typename"] for outcome in outcomes)
    assert kinds == {"Meeting": 1, "SlotTaken": CLIENTS - 1}, outcomes
    (winner,) = [outcome for outcome in outcomes if outcome["__typename"] == "Meeting"]
    async with orm_on(postgres_env["DATABASE_URL"]):
        assert await Meeting.filter(service_id=service_id).count() == 1
        blocked = await LedgerEntry.filter(kind=LedgerKind.BLOCK).values_list("meeting_id", "amount")
        assert [(str(meeting_id), amount) for meeting_id, amount in blocked] == [(winner["id"], winner["priceCredits"])]
