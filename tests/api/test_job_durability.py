"""Timed work survives a restart and runs once even with two server processes."""

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from tortoise.queryset import QuerySet

from app.domain.ledger import LedgerKind
from app.domain.meetings import MeetingStatus, TimelineEventType
from app.domain.schedule import JobKind
from app.models import LedgerEntry, Meeting, Notification, Offer, ScheduledJob, TimelineEvent
from app.models.jobs import JobStatus
from tests.support.factories import CONFIRM, RESCHEDULE, act, book, make_person, make_service
from tests.support.graphql import Api
from tests.support.postgres import fresh_database
from tests.support.server import (
    ServerClock,
    assert_no_traceback,
    free_port,
    run_cli,
    server_env,
    start_servers,
    stop_server,
)
from tests.support.tables import ledger_of, orm_on, status_of
from tests.support.waiting import eventually

JOIN = "mutation($id: ID!) { joinMeeting(input: {meetingId: $id}) { __typename } }"


@contextmanager
def servers(env: dict[str, str], count: int) -> Iterator[list[str]]:
    ports = [free_port() for _ in range(count)]
    processes = start_servers(env, ports)
    try:
        yield [f"http://127.0.0.1:{port}" for port in ports]
    finally:
        for process in processes:
            stop_server(process)
    for port in ports:
        assert_no_traceback(env, port)


@asynccontextmanager
async def api_at(url: str) -> AsyncIterator[Api]:
    async with httpx.AsyncClient(base_url=url, timeout=30) as http:
        yield Api(http)


@dataclass(frozen=True)
class Scratch:
    """A data directory of our own, for servers this test starts and stops itself."""

    env: dict[str, str]
    clock: ServerClock
    admin_token: str
    start: datetime


def scratch(tmp_path: Path, **settings: str) -> Scratch:
    env = server_env(tmp_path, **settings)
    clock = ServerClock(Path(env["TEST_CLOCK_FILE"]))
    now = datetime.now(UTC)
    start = now.replace(minute=now.minute // 30 * 30, second=0, microsecond=0)
    clock.set(start)
    return Scratch(env, clock, run_cli(env, "admin-token"), start)


async def per_meeting(query: QuerySet[Any]) -> Counter[str]:
    """How many rows each meeting has in `query`."""
    return Counter(str(m) for m in await query.values_list("meeting_id", flat=True))


async def test_overdue_work_runs_once_after_a_restart_and_stale_reminders_are_dropped(tmp_path: Path) -> None:
    setup = scratch(tmp_path)
    env, clock, admin_token, start = setup.env, setup.clock, setup.admin_token, setup.start
    with servers(env, 1) as [url]:
        async with api_at(url) as api:
            expert = await make_person(api, admin_token, expert=True)
            client = await make_person(api, admin_token, credits=500)
            service = await make_service(api, expert)
            attended = await book(api, client, service, (start + timedelta(hours=2)).isoformat())
            missed = await book(api, client, service, (start + timedelta(hours=4)).isoformat())
            for meeting in (attended, missed):
                await act(api, CONFIRM, expert, meetingId=meeting["id"])
            clock.set(start + timedelta(hours=2))
            for person in (client, expert):
                await api.query(JOIN, {"id": attended["id"]}, person.token)
    # The server is down while both meetings' moments pass.
    clock.set(start + timedelta(hours=6))
    with servers(env, 1):
        async with orm_on(env["DATABASE_URL"]):

            async def settled() -> bool:
                return (await status_of(attended["id"]), await status_of(missed["id"])) == ("COMPLETED", "NO_SHOW")

            await eventually(settled)
            for meeting_id, event in ((attended["id"], "COMPLETED"), (missed["id"], "NO_SHOW")):
                assert await TimelineEvent.filter(meeting_id=meeting_id, type=event).count() == 1
            reminders = Notification.filter(meeting_id=missed["id"], type__startswith="REMINDER")
            assert await reminders.count() == 0  # their moments passed while the server was down
            assert [kind for kind, _ in await ledger_of(attended["id"])] == [
                "BLOCK",
                "CHARGE",
                "EARNING",
                "PLATFORM_FEE",
            ]


async def test_two_server_processes_never_run_a_job_twice(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    # Several processes need PostgreSQL (a second server on one SQLite file refuses to start).
    with fresh_database(request.getfixturevalue("postgresql_server")) as database_url:
        await two_pollers_race_for_200_due_jobs(scratch(tmp_path, DATABASE_URL=database_url))


async def two_pollers_race_for_200_due_jobs(setup: Scratch) -> None:
    env, clock, admin_token, start = setup.env, setup.clock, setup.admin_token, setup.start
    with servers(env, 1) as [url]:
        async with api_at(url) as api:
            expert = await make_person(api, admin_token, expert=True)
            client = await make_person(api, admin_token, credits=1000)
            service = await make_service(api, expert, price=1, duration=30)
            for first in range(0, 200, 10):  # ten at a time: different slots, no contention
                bookings = await asyncio.gather(
                    *(
                        book(
                            api, client, service, (start + timedelta(hours=1, minutes=30 * i)).isoformat(), duration=30
                        )
                        for i in range(first, first + 10)
                    )
                )
                assert all(booked["__typename"] == "Meeting" for booked in bookings), bookings
    # Two pollers race for the same due jobs, in small batches so that neither takes them all
    # in one go.
    with servers({**env, "JOB_BATCH_SIZE": "5"}, 2):
        async with orm_on(env["DATABASE_URL"]):
            # Every meeting waits for the expert; at its start it expires. All 200 are now due at once.
            moment = start + timedelta(hours=120)
            clock.set(moment)

            async def all_done() -> bool:
                nonlocal moment
                open_jobs = await ScheduledJob.exclude(status=JobStatus.DONE).count()
                if open_jobs:
                    moment += timedelta(seconds=30)  # lets any retry with back-off fall due
                    clock.set(moment)
                return open_jobs == 0

            await eventually(all_done, timeout=60)
            assert await Meeting.filter(status=MeetingStatus.EXPIRED).count() == 200
            expiries = await per_meeting(TimelineEvent.filter(type=TimelineEventType.EXPIRED))
            assert len(expiries) == 200 and set(expiries.values()) == {1}
            releases = await per_meeting(LedgerEntry.filter(kind=LedgerKind.RELEASE))
            assert len(releases) == 200 and set(releases.values()) == {1}
            expiry_jobs = ScheduledJob.filter(kind=JobKind.EXPIRE_UNAPPROVED, status=JobStatus.DONE)
            assert await expiry_jobs.count() == 200


async def test_an_offer_that_expired_while_the_server_was_down_cancels_and_refunds_once(tmp_path: Path) -> None:
    setup = scratch(tmp_path)
    env, clock, admin_token, start = setup.env, setup.clock, setup.admin_token, setup.start
    with servers(env, 1) as [url]:
        async with api_at(url) as api:
            expert = await make_person(api, admin_token, expert=True)
            client = await make_person(api, admin_token, credits=500)
            service = await make_service(api, expert)
            meeting = await book(api, client, service, (start + timedelta(hours=60)).isoformat())
            await act(api, CONFIRM, expert, meetingId=meeting["id"])
            offered = await act(
                api,
                RESCHEDULE,
                expert,
                meetingId=meeting["id"],
                reason="EXPERT_SCHEDULE",
                times=[(start + timedelta(hours=70)).isoformat()],
            )
            assert offered["__typename"] == "Meeting", offered
    clock.set(start + timedelta(hours=30))  # past the 24-hour expiry while down
    with servers(env, 1):
        async with orm_on(env["DATABASE_URL"]):

            async def cancelled() -> bool:
                return await status_of(meeting["id"]) == "CANCELLED"

            await eventually(cancelled)
            assert await ledger_of(meeting["id"]) == [("BLOCK", 50), ("RELEASE", 50)]
            expired = TimelineEvent.filter(meeting_id=meeting["id"], type=TimelineEventType.OFFER_EXPIRED)
            assert await expired.count() == 1
            statuses = await Offer.filter(meeting_id=meeting["id"]).values_list("status", flat=True)
            assert [str(s) for s in statuses] == ["EXPIRED"]
