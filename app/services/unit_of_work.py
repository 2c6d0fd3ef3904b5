"""One transaction per use case; its events are published only after it commits.

A use case called inside another (a timed job applying a meeting change, a mutation
answered once under an Idempotency-Key) joins the outer unit of work: one transaction,
events published once, after it. It runs in a savepoint of its own, so that one refused
inside the other leaves nothing behind, its events included.

It also says what it changed for the response cache (services/response_cache.py): a use
case names each expert whose public data it wrote (`changed_expert`); after the commit
those tags are invalidated here and, through the broker, in every other process. Which
tables it wrote is read from the statements Tortoise logs (`WrittenTables`): a unit of work
that wrote a public table but named no expert clears the whole cache, and with TESTING=true
it is refused instead, as is a write to a public table outside any unit of work, so the
test suite fails on a write path that forgot either.
"""

import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from uuid import UUID

from tortoise.transactions import in_transaction

from app.events.broker import Event, SlowConsumer
from app.models import ScheduledJob
from app.services.response_cache import PUBLIC_TABLES, ResponseCache, expert_tag
from app.services.runtime import Runtime

CACHE_TOPIC = "cache"
"""Invalidations for the other processes' response caches (with Redis)."""

PROCESS = f"{os.getpid()}:{id(object())}"
"""This process, so that it skips its own invalidations coming back from the broker."""


class UndeclaredChange(Exception):
    """A write to public data that does not say what it changed (refused with TESTING=true)."""


class UnitOfWork:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.events: list[Event] = []
        self.changed: set[str] = set()
        """Tags of the response cache this change invalidates."""
        self.written: set[str] = set()
        """Tables written (from the statement log)."""
        self.planned_jobs: list[ScheduledJob] = []
        """Jobs to insert, all in one statement, before the commit."""

    def publish_after_commit(self, *events: Event) -> None:
        self.events.extend(events)

    def plan_jobs(self, *jobs: ScheduledJob) -> None:
        """Jobs written with the change, in one INSERT at its end (a change plans several:
        an e-mail per notification, the meeting's timed work)."""
        self.planned_jobs.extend(jobs)

    def changed_expert(self, expert_id: UUID) -> None:
        """This change wrote what public answers say about this expert."""
        self.changed.add(expert_tag(expert_id))

    def _check_declared(self) -> bool:
        """False when it wrote a public table without naming what changed."""
        undeclared = self.written & PUBLIC_TABLES
        if not undeclared or self.changed:
            return True
        message = f"a unit of work wrote {sorted(undeclared)} without naming the expert that changed"
        if self.runtime.settings.testing:
            raise UndeclaredChange(message)
        logging.getLogger("app.cache").warning("%s: the whole response cache is cleared", message)
        return False

    def _invalidate(self, declared: bool) -> list[Event]:
        cache = self.runtime.response_cache
        if not declared:
            cache.clear()
            return [Event(CACHE_TOPIC, "clear", {"origin": PROCESS})]
        if not self.changed:
            return []
        cache.invalidate(self.changed)
        return [Event(CACHE_TOPIC, "invalidate", {"origin": PROCESS, "tags": " ".join(sorted(self.changed))})]


_current: ContextVar[UnitOfWork | None] = ContextVar("unit_of_work", default=None)


@asynccontextmanager
async def unit_of_work(runtime: Runtime) -> AsyncIterator[UnitOfWork]:
    outer = _current.get()
    if outer is not None:
        announced, planned = len(outer.events), len(outer.planned_jobs)
        try:
            async with in_transaction():  # a savepoint
                yield outer
        except BaseException:
            del outer.events[announced:]
            del outer.planned_jobs[planned:]
            raise
        return
    uow = UnitOfWork(runtime)
    token = _current.set(uow)
    try:
        async with in_transaction():
            yield uow
            if uow.planned_jobs:
                await ScheduledJob.bulk_create(uow.planned_jobs)
            declared = uow._check_declared()
    finally:
        _current.reset(token)
    await runtime.broker.publish([*uow.events, *uow._invalidate(declared)])


def apply_invalidation(cache: ResponseCache, event: Event) -> None:
    """Another process's invalidation, as the broker delivered it."""
    if event.payload.get("origin") == PROCESS:
        return
    if event.kind == "invalidate":
        cache.invalidate(str(event.payload.get("tags") or "").split())
    else:
        cache.clear()  # "clear", or the broker lost events meanwhile ("resumed")


async def hear_invalidations(runtime: Runtime) -> None:
    """Applies the other processes' invalidations to this one's cache while the server runs
    (with Redis). Fallen behind: everything is cleared and it listens again."""
    while True:
        try:
            async with runtime.broker.subscribe([CACHE_TOPIC]) as subscription:
                async for event in subscription:
                    apply_invalidation(runtime.response_cache, event)
        except SlowConsumer:
            runtime.response_cache.clear()


_WRITE_VERBS = ("INSERT", "UPDATE", "DELETE", "insert", "update", "delete")


def written_table(statement: str) -> str | None:
    """The table an INSERT, UPDATE or DELETE statement writes, as Tortoise words them."""
    if not statement.startswith(_WRITE_VERBS):
        return None
    words = statement.split(None, 3)
    name = words[2] if words[0].upper() in ("INSERT", "DELETE") and len(words) > 2 else words[1]
    return name.strip('"`').split("(")[0].strip('"`')


class WrittenTables(logging.Handler):
    """Adds each table a statement writes to the current unit of work. Outside any: a write
    to a public table clears the cache, or with TESTING=true is refused (raised from `emit`,
    which `logging` does not catch, before the statement runs)."""

    def __init__(self, runtime: Runtime, strict: bool) -> None:
        super().__init__()
        self.runtime = runtime
        self.strict = strict

    def emit(self, record: logging.LogRecord) -> None:
        statement = record.args[0] if isinstance(record.args, tuple) and record.args else record.msg
        if not isinstance(statement, str) or (table := written_table(statement)) is None:
            return
        uow = _current.get()
        if uow is not None:
            uow.written.add(table)
        elif table in PUBLIC_TABLES:
            if self.strict:
                raise UndeclaredChange(f"{table} written outside a unit of work")
            self.runtime.response_cache.clear()


_tracking: WrittenTables | None = None


def track_written_tables(runtime: Runtime, strict: bool) -> None:
    """Once per process, at start-up (the last runtime installed wins)."""
    global _tracking
    untrack_written_tables()
    _tracking = WrittenTables(runtime, strict)
    db_logger = logging.getLogger("tortoise.db_client")
    db_logger.addHandler(_tracking)
    db_logger.setLevel(logging.DEBUG)


def untrack_written_tables() -> None:
    global _tracking
    if _tracking is not None:
        logging.getLogger("tortoise.db_client").removeHandler(_tracking)
        _tracking = None
