"""Prints the lag between a job's due time and its run, on the real clock, with 10,000 pending.

Seeds a scratch database directly (one meeting, 9,800 jobs due next year as a
backlog, 200 due over the ten seconds after the server starts), starts a real
server with the default poll interval, and reads back when each due job ran.

    python -m bench.job_lag
"""

import asyncio
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import uuid4

from tortoise import Tortoise

from app.db import tortoise_config
from app.domain.meetings import CreditStatus, MeetingMode, MeetingStatus
from app.domain.people import Side
from app.domain.schedule import JobKind
from app.models import ExpertProfile, Meeting, ScheduledJob, Service, User
from app.models.jobs import JobStatus
from tests.support.server import free_port, run_cli, server_env, start_server, stop_server
from tests.support.tables import orm_on

BACKLOG = 9_800
DUE_SOON = 200
SPREAD_SECONDS = 10.0


async def seed(database_url: str, first_due: datetime) -> None:
    await Tortoise.init(config=tortoise_config(database_url))
    now = datetime.now(UTC)
    expert = await User.create(id=uuid4(), email="e@example.com", name="E", time_zone="UTC", created_at=now)
    client = await User.create(id=uuid4(), email="c@example.com", name="C", time_zone="UTC", created_at=now)
    await ExpertProfile.create(user=expert, created_at=now)
    service = await Service.create(id=uuid4(), expert=expert, title="S", offerings=[], modes=["VIDEO"], created_at=now)
    starts_at = now + timedelta(days=400)
    meeting = await Meeting.create(
        id=uuid4(),
        client=client,
        expert=expert,
        service=service,
        mode=MeetingMode.VIDEO,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1),
        duration_minutes=60,
        price_credits=0,
        status=MeetingStatus.AGREED,
        client_approved=True,
        expert_approved=True,
        credit_status=CreditStatus.NONE,
        created_by_side=Side.CLIENT,
        created_at=now,
        updated_at=now,
    )

    def job(due_at: datetime) -> ScheduledJob:
        return ScheduledJob(
            kind=JobKind.JOIN_WINDOW_OPENS,
            meeting_id=meeting.id,
            meeting_version=1,
            due_at=due_at,
            status=JobStatus.PENDING,
            created_at=now,
        )

    backlog = [job(now + timedelta(days=365, seconds=i)) for i in range(BACKLOG)]
    soon = [job(first_due + timedelta(seconds=SPREAD_SECONDS * i / DUE_SOON)) for i in range(DUE_SOON)]
    await ScheduledJob.bulk_create(backlog + soon, batch_size=1000)
    await Tortoise.close_connections()


async def read_back(database_url: str) -> tuple[list[tuple[datetime, datetime]], int]:
    """(due, finished) of every job that ran, and how many are still pending."""
    async with orm_on(database_url):
        done = await ScheduledJob.filter(status=JobStatus.DONE).values_list("due_at", "finished_at")
        pending = await ScheduledJob.filter(status=JobStatus.PENDING).count()
    return [(due, finished) for due, finished in done], pending


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        env = server_env(Path(scratch))
        del env["TEST_CLOCK_FILE"]  # the real clock
        run_cli(env, "admin-token")  # applies the migrations
        first_due = datetime.now(UTC) + timedelta(seconds=8)
        asyncio.run(seed(env["DATABASE_URL"], first_due))
        env["JOB_POLL_INTERVAL_SECONDS"] = "0.2"  # the production default
        process = start_server(env, free_port())
        try:
            time.sleep(max(0.0, (first_due - datetime.now(UTC)).total_seconds()) + SPREAD_SECONDS + 2)
        finally:
            stop_server(process)
        done, pending = asyncio.run(read_back(env["DATABASE_URL"]))
    lags = [(finished - due).total_seconds() * 1000 for due, finished in done]
    q = statistics.quantiles(lags, n=100)
    print(
        f"jobs pending at start: {BACKLOG + DUE_SOON}; due during the run: {DUE_SOON}; ran: {len(lags)}; "
        f"still pending (backlog): {pending}"
    )
    print(
        f"lag from due time to run, ms: p50 {q[49]:.0f}  p95 {q[94]:.0f}  p99 {q[98]:.0f}  max {max(lags):.0f}"
        "  (poll interval 200 ms)"
    )


if __name__ == "__main__":
    main()
