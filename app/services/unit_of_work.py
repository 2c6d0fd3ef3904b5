"""One transaction per use case; its events are published only after it commits."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from tortoise.transactions import in_transaction

from app.events.broker import Event
from app.services.runtime import Runtime


class UnitOfWork:
    def __init__(self) -> None:
        self.events: list[Event] = []

    def publish_after_commit(self, *events: Event) -> None:
        self.events.extend(events)


@asynccontextmanager
async def unit_of_work(runtime: Runtime) -> AsyncIterator[UnitOfWork]:
    uow = UnitOfWork()
    async with in_transaction():
        yield uow
    await runtime.broker.publish(uow.events)
