"""The broker seam: in-process by default; a Redis implementation plugs in for scale-out.

A subscriber gets a bounded queue, and publishing never waits for it (nor for
the delivery itself, which runs in turns beside the publisher's own work). A
subscriber whose queue fills up (a consumer too slow to keep up) is cut off:
its next read raises `SlowConsumer`, and the subscription ends with a clear
error; the client reconnects and catches up (`meetings(filter: {updatedSince})`).
"""

import asyncio
from collections import defaultdict, deque
from collections.abc import AsyncIterator, Iterable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from typing import Protocol

RESUMED = "resumed"
"""The kind of event a broker hands every subscription after it lost events (Redis was
away); its payload's `since` is when: each subscription sends the current state of what
it watches."""


@dataclass(frozen=True)
class Event:
    topic: str
    kind: str
    payload: dict[str, str | int | None]


class SlowConsumer(Exception):
    """The subscriber fell a whole queue behind; it is dropped, the others are not slowed."""


SLOW_CONSUMER_MESSAGE = (
    "this subscription fell too far behind and was dropped; subscribe again, then catch up "
    "with meetings(filter: {updatedSince})"
)
"""What a dropped subscriber is told (code SLOW_CONSUMER)."""


class Subscription:
    def __init__(self, maxsize: int) -> None:
        self._queue: asyncio.Queue[Event] = asyncio.Queue(maxsize=maxsize)
        self.overflowed = False

    def deliver(self, event: Event) -> None:
        if self._queue.full():
            self.overflowed = True  # a full queue has no reader waiting: its next read raises
        if not self.overflowed:
            self._queue.put_nowait(event)

    async def __anext__(self) -> Event:
        if self.overflowed:
            raise SlowConsumer(f"more than {self._queue.maxsize} events behind")
        return await self._queue.get()

    def __aiter__(self) -> "Subscription":
        return self


class Broker(Protocol):
    async def publish(self, events: Iterable[Event]) -> None: ...

    def subscribe(self, topics: Iterable[str]) -> AbstractAsyncContextManager[Subscription]: ...

    async def ping(self) -> bool: ...

    async def close(self) -> None: ...


DELIVERY_BATCH = 32
"""Subscribers woken per turn of the event loop: a thousand subscribers of one event are
served in turns, and requests in flight (the publishing mutation's own) get theirs in between."""


class InProcessBroker:
    def __init__(self, queue_size: int = 256) -> None:
        self._queue_size = queue_size
        self._subscribers: defaultdict[str, set[Subscription]] = defaultdict(set)
        self._outbox: deque[Event] = deque()
        self._delivering: asyncio.Task[None] | None = None

    async def publish(self, events: Iterable[Event]) -> None:
        """Returns at once: a delivery task hands the events out, in order, a batch at a time."""
        self._outbox.extend(events)
        loop = asyncio.get_running_loop()
        if self._delivering is None or self._delivering.done() or self._delivering.get_loop() is not loop:
            self._delivering = loop.create_task(self._deliver())

    async def _deliver(self) -> None:
        while self._outbox:
            event = self._outbox.popleft()
            subscriptions = list(self._subscribers.get(event.topic, ()))
            for start in range(0, len(subscriptions), DELIVERY_BATCH):
                for subscription in subscriptions[start : start + DELIVERY_BATCH]:
                    subscription.deliver(event)
                await asyncio.sleep(0)

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

    async def close(self) -> None:
        return None
