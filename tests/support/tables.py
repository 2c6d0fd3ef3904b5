"""What is stored, read through the ORM so the same tests can run on PostgreSQL."""

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeGuard

from tortoise import Tortoise
from tortoise.backends.base.executor import EXECUTOR_CACHE
from tortoise.expressions import Q
from tortoise.models import Model

from app.db import tortoise_config
from app.models import LedgerEntry, Meeting, ScheduledJob
from app.models.jobs import JobStatus


def stored_models() -> list[type[Model]]:
    """Every table the app has (all its models, new ones included): a refused action must
    leave each of them alone."""
    return sorted(Tortoise.apps["models"].values(), key=lambda model: model.__name__)


Snapshot = dict[str, list[dict[str, Any]]]


@asynccontextmanager
async def orm_on(database_url: str) -> AsyncIterator[None]:
    """The ORM bound to a server's database, in this test's event loop.

    Tortoise keeps each model's SQL per connection name, and a test process moves between
    SQLite and PostgreSQL under the one name "default": the kept SQL is dropped first (a
    server process only ever has one database)."""
    EXECUTOR_CACHE.clear()
    await Tortoise.init(config=tortoise_config(database_url))
    try:
        yield
    finally:
        await Tortoise.close_connections()


async def snapshot() -> Snapshot:
    return {model.__name__: sorted((await model.all().values()), key=repr) for model in stored_models()}


def is_snapshot(value: object) -> TypeGuard[Snapshot]:
    return isinstance(value, dict) and "Meeting" in value and "ScheduledJob" in value


def snapshot_difference(before: Snapshot, after: Snapshot) -> list[str]:
    """Each table's rows that a change removed (-) or added (+), for a readable failure."""
    lines = []
    for table in sorted(set(before) | set(after)):
        old = [repr(row) for row in before.get(table, [])]
        new = [repr(row) for row in after.get(table, [])]
        lines += [f"{table} - {row}" for row in old if row not in new]
        lines += [f"{table} + {row}" for row in new if row not in old]
    return lines


class FixedClock:
    """A clock that moves only when a test moves it."""

    def __init__(self, now: datetime) -> None:
        self.moment = now

    def now(self) -> datetime:
        return self.moment


async def quiet_snapshot(clock_path: Path) -> Snapshot:
    """A snapshot taken once no timed job is due at the server's clock, so that only the
    request under test can change what follows."""
    text = clock_path.read_text().strip() if clock_path.exists() else ""
    # A second ahead: a job made by the request just before counts even when SQLite compares
    # its due time as text within the same second ("…:36.5+00:00" sorts after "…:36+00:00").
    now = (datetime.fromisoformat(text) if text else datetime.now(UTC)) + timedelta(seconds=1)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        # One statement: asked in two, a job claimed between them would be in neither.
        busy = await ScheduledJob.filter(
            Q(status=JobStatus.RUNNING) | Q(status=JobStatus.PENDING, due_at__lte=now)
        ).exists()
        if not busy:
            return await snapshot()
        await asyncio.sleep(0.05)
    raise AssertionError("the server's timed jobs did not settle within 10 s")


async def ledger_of(meeting_id: str) -> list[tuple[str, int]]:
    """A meeting's ledger entries, oldest first, as (kind, amount)."""
    rows = await LedgerEntry.filter(meeting_id=meeting_id).order_by("id").values_list("kind", "amount")
    return [(str(kind), int(amount)) for kind, amount in rows]


async def status_of(meeting_id: str) -> str:
    return str((await Meeting.get(id=meeting_id)).status)
