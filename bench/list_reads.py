"""Prints what reading a dashboard page costs in process, by way of reading it: the reads the
server makes today, and the one-statement alternatives the performance issue proposed.

The list benchmark's database shape (10 experts, a client with 50 meetings, 5,000 others),
written straight through the ORM into a temporary SQLite file; each way is run 300 times in
one event loop, and the process's CPU per page is printed (aiosqlite's worker thread
included). The ways:

- as shipped: `meeting_queries.list_meetings` (the page as Meeting models) and one batch
  each of people, profiles and services through the loaders' batch functions;
- select_related: the same page with its people, profile and service joined into one
  statement and hydrated by Tortoise;
- values, joined: one statement with the joins, read as tuples (`values_list`);
- of which building the SQL: Tortoise and pypika turning that query into text;
- of which running it: the same text and parameters executed through the connection.

    python -m bench.list_reads
"""

import asyncio
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal
from uuid import UUID, uuid4

from tortoise import connections
from tortoise.queryset import ValuesListQuery

from app.db import apply_migrations
from app.domain.meetings import CreditStatus, MeetingMode, MeetingStatus
from app.domain.people import Actor, Side
from app.models import ExpertProfile, Meeting, Service, User
from app.schema.loaders import Loaders
from app.services import meeting_queries
from app.services.meeting_queries import MeetingFilter
from app.settings import Settings
from tests.support.tables import orm_on

EXPERTS = 10
CLIENT_MEETINGS = 50
OTHER_MEETINGS = 5000
PAGE = 20
RUNS = 300
WARM_UP = 50
JOINED_COLUMNS = (
    *(name for name in Meeting._meta.db_fields),
    *(f"client__{name}" for name in ("name", "time_zone", "is_admin", "email", "calendar_token")),
    *(f"expert__{name}" for name in ("name", "time_zone")),
    *(
        f"expert__expert_profile__{name}"
        for name in ("headline", "skills", "join_window_minutes", "no_show_grace_minutes", "notes_window_minutes")
    ),
    *(f"service__{name}" for name in ("title", "description", "offerings", "modes", "location")),
)


async def seed() -> UUID:
    now = datetime.now(UTC)
    experts = [
        User(id=uuid4(), email=f"expert{i}@example.com", name=f"Expert {i}", time_zone="UTC", created_at=now)
        for i in range(EXPERTS)
    ]
    client, other = (
        User(id=uuid4(), email=f"{name}@example.com", name=name, time_zone="UTC", created_at=now)
        for name in ("client", "other")
    )
    await User.bulk_create([*experts, client, other])
    await ExpertProfile.bulk_create(
        [ExpertProfile(user_id=e.id, headline="Helps", skills=["python"], created_at=now) for e in experts]
    )
    offerings = [{"duration_minutes": 60, "price_credits": 10}]
    services = [
        Service(id=uuid4(), expert_id=e.id, title="Help", offerings=offerings, modes=["VIDEO"], created_at=now)
        for e in experts
    ]
    await Service.bulk_create(services)
    meetings = []
    for i in range(CLIENT_MEETINGS + OTHER_MEETINGS):
        starts_at = now + timedelta(hours=30 + 3 * i)
        meetings.append(
            Meeting(
                id=uuid4(),
                client_id=(client if i < CLIENT_MEETINGS else other).id,
                expert_id=experts[i % EXPERTS].id,
                service_id=services[i % EXPERTS].id,
                mode=MeetingMode.VIDEO,
                starts_at=starts_at,
                ends_at=starts_at + timedelta(hours=1),
                duration_minutes=60,
                price_credits=10,
                status=MeetingStatus.AWAITING_APPROVAL,
                client_approved=True,
                expert_approved=False,
                credit_status=CreditStatus.BLOCKED,
                created_by_side=Side.CLIENT,
                created_at=now,
                updated_at=now,
            )
        )
    await Meeting.bulk_create(meetings, batch_size=500)
    return client.id


async def as_shipped(actor: Actor) -> object:
    page = await meeting_queries.list_meetings(actor, MeetingFilter(), PAGE, None)
    rows = [row for _cursor, row in page.items]
    loaders = Loaders()
    return await asyncio.gather(
        loaders.user.load_fn(list({*(r.client_id for r in rows), *(r.expert_id for r in rows)})),
        loaders.expert_profile.load_fn(list({r.expert_id for r in rows})),
        loaders.service.load_fn(list({r.service_id for r in rows})),
    )


def _page(actor: Actor) -> Any:
    return meeting_queries._soonest_first(meeting_queries._visible(actor, None)).limit(PAGE + 1)


async def select_related(actor: Actor) -> object:
    return await _page(actor).select_related("client", "expert__expert_profile", "service")


def _joined(actor: Actor) -> ValuesListQuery[Literal[False]]:
    query: ValuesListQuery[Literal[False]] = _page(actor).values_list(*JOINED_COLUMNS)
    return query


async def values_joined(actor: Actor) -> object:
    return await _joined(actor)


async def building_sql(actor: Actor) -> object:
    return _joined(actor).sql()


async def measure(name: str, way: Callable[[], Awaitable[object]]) -> None:
    for _ in range(WARM_UP):
        await way()
    started = time.process_time()
    for _ in range(RUNS):
        await way()
    print(f"{name:>22}  {(time.process_time() - started) / RUNS * 1000:6.2f} ms")


async def main() -> None:
    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite://{Path(directory) / 'bench.sqlite3'}"
        await apply_migrations(Settings(database_url=url))
        async with orm_on(url):
            actor = Actor(await seed())
            built = _joined(actor)
            built.sql()
            sql, parameters = built.query.get_parameterized_sql()
            connection = connections.get("default")
            print(f"a page of {PAGE} of the client's {CLIENT_MEETINGS} meetings; CPU per page, {RUNS} runs each")
            await measure("as shipped (4 reads)", lambda: as_shipped(actor))
            await measure("select_related", lambda: select_related(actor))
            await measure("values, joined", lambda: values_joined(actor))
            await measure("  building the SQL", lambda: building_sql(actor))
            await measure("  running it", lambda: connection.execute_query(sql, parameters))


if __name__ == "__main__":
    asyncio.run(main())
