from collections.abc import AsyncIterator, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID, uuid4

import pytest

from app.domain.availability import Weekday, WeeklyRule, Window
from app.domain.catalog import Offering
from app.domain.meetings import MeetingMode
from app.domain.people import Actor
from app.services import availability, catalog, users
from app.services.runtime import Runtime, build_runtime
from app.services.unit_of_work import track_written_tables, untrack_written_tables
from app.settings import Settings
from tests.support.migrations import migrated_sqlite
from tests.support.postgres import fresh_database
from tests.support.tables import FixedClock, orm_on

T0 = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)
"""A Monday; every integration test starts its clock here."""


@pytest.fixture(params=["sqlite", "postgres"])
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A migrated database (a copy of a template) with the ORM bound to it, in this test's loop:
    each test runs on SQLite and on PostgreSQL. Its DATABASE_URL."""
    with ExitStack() as stack:
        if request.param == "postgres":
            url = stack.enter_context(fresh_database(request.getfixturevalue("postgresql_server")))
        else:
            url = migrated_sqlite(tmp_path / "integration.sqlite3")
        async with orm_on(url):
            yield url


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(T0)


@pytest.fixture
def runtime(database: str, tmp_path: Path, clock: FixedClock) -> Iterator[Runtime]:
    """The ORM is already bound to `database`; the runtime never opens a connection itself. As
    in the server under test, a write to public data that does not name what it changed fails."""
    settings = Settings(data_dir=tmp_path, jwt_secret="integration-test-secret-0123456789abcdef", testing=True)
    runtime = build_runtime(settings, clock=clock)
    track_written_tables(runtime, strict=True)
    yield runtime
    untrack_written_tables()


@dataclass(frozen=True)
class Cast:
    """An admin, an expert with one 60-minute service at 50 credits, and a client with 500."""

    admin: Actor
    expert: Actor
    client: Actor
    service_id: UUID


async def make_actor(runtime: Runtime, admin: Actor, *, expert: bool = False, credits: int = 0) -> Actor:
    user = await users.create_user(
        runtime,
        admin,
        users.NewUser(
            name="Expert" if expert else "Client",
            email=f"{uuid4().hex[:12]}@example.com",
            time_zone="Europe/London",
            expert_skills=["coaching"] if expert else None,
        ),
    )
    if expert:
        await availability.set_weekly_availability(
            runtime,
            admin,
            user.id,
            availability.AvailabilityChange(
                rules=[WeeklyRule(day, Window(0, 24 * 60)) for day in Weekday],
                minimum_notice_minutes=0,
                horizon_days=365,
            ),
        )
    if credits:
        await users.grant_credits(runtime, admin, user.id, credits, "test")
    return Actor(user.id)


@pytest.fixture
async def cast(runtime: Runtime) -> Cast:
    admin_row = await users.ensure_admin(runtime)
    admin = Actor(admin_row.id, is_admin=True)
    expert = await make_actor(runtime, admin, expert=True)
    client = await make_actor(runtime, admin, credits=500)
    service = await catalog.create_service(
        runtime,
        expert,
        catalog.NewService(
            title="Coaching",
            description="",
            offerings=[Offering(60, 50)],
            modes=[MeetingMode.VIDEO, MeetingMode.IN_PERSON],
            location="1 High Street",
        ),
    )
    return Cast(admin, expert, client, service.id)
