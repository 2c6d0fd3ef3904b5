"""One transaction per use case; its events are published only after it commits.

A use case called inside another (a timed job applying a meeting change, a mutation
answered once under an Idempotency-Key) joins the outer unit of work: one transaction,
events published once, after it. It runs in a savepoint of its own, so that one refused
inside the other leaves nothing behind, its events included.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar

from tortoise.transactions import in_transaction

from app.events.broker import Event
from app.services.runtime import Runtime


class UnitOfWork:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.events: list[Event] = []

    def publish_after_commit(self, *events: Event) -> None:
        self.events.extend(events)


_current: ContextVar[UnitOfWork | None] = ContextVar("unit_of_work", default=None)


@asynccontextmanager
async def unit_of_work(runtime: Runtime) -> AsyncIterator[UnitOfWork]:
    outer = _current.get()
    if outer is not None:
        announced = len(outer.events)
        try:
            async with in_transaction():  # a savepoint
                yield outer
        except BaseException:
            del outer.events[announced:]
            raise
        return
    uow = UnitOfWork(runtime)
    token = _current.set(uow)
    try:
        async with in_transaction():
            yield uow
    finally:
        _current.reset(token)
    await runtime.broker.publish(uow.events)
