"""The broker seam: in-process by default; a Redis implementation plugs in for scale-out.

A subscriber gets a bounded queue. A slow subscriber loses its oldest events
rather than slowing publishers: every event names a meeting and its version,
and subscribers re-read current state, so a dropped event costs freshness,
never correctness.
"""

import asyncio
from collections import defaultdict
from collections.abc import AsyncIterator, Iterable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Event:
    topic: str
    kind: str
    payload: dict[str, str | int | None]


class Subscription:
    def __init__(self, maxsize: int) -> None:
        self._queue: asyncio.Queue[Event] = asyncio.Queue(maxsize=maxsize)

    def deliver(self, event: Event) -> None:
        if self._queue.full():
            self._queue.get_nowait()
        self._queue.put_nowait(event)

    async def __anext__(self) -> Event:
        return await self._queue.get()

    def __aiter__(self) -> "Subscription":
        return self


class Broker(Protocol):
    async def publish(self, events: Iterable[Event]) -> None: ...

    def subscribe(self, topics: Iterable[str]) -> AbstractAsyncContextManager[Subscription]: ...

    async def ping(self) -> bool: ...


class InProcessBroker:
    def __init__(self, queue_size: int = 256) -> None:
        self._queue_size = queue_size
        self._subscribers: defaultdict[str, set[Subscription]] = defaultdict(set)

    async def publish(self, events: Iterable[Event]) -> None:
        for event in events:
            for subscription in self._subscribers.get(event.topic, ()):
                subscription.deliver(event)

    @asynccontextmanager
    async def subscribe(self, topics: Iterable[str]) -> AsyncIterator[Subscription]:
        subscription = Subscription(self._queue_size)
        topic_list = list(topics)
        for topic in topic_list:
            self._subscribers[topic].add(subscription)
        try:
            yield subscription
        finally:
            for topic in topic_list:
                subscribers = self._subscribers[topic]
                subscribers.discard(subscription)
                if not subscribers:
                    del self._subscribers[topic]

    async def ping(self) -> bool:
        return True
