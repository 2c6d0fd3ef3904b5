"""Events through Redis pub/sub, for several server processes (REDIS_URL).

A process publishes each event to Redis (one channel per topic) after its
transaction commits; every process with a subscriber of that topic hears it and
hands it to its own subscriptions through an in-process broker (bounded queues,
delivery in turns, slow consumers dropped). One pub/sub connection per process
carries every topic it listens to; a subscription is live once Redis has
confirmed its topics.

When Redis goes away, publishing logs and goes on (the change is committed and
subscribers catch up), and the listener reconnects with back-off, subscribes its
topics again, and then tells every local subscription RESUMED, with the moment
the connection was lost: each sends the current state of what it watches.
"""

import asyncio
import json
import logging
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager, suppress
from datetime import datetime

from redis.asyncio import Redis
from redis.asyncio.client import PubSub
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

from app.events.broker import RESUMED, Event, InProcessBroker, Subscription

log = logging.getLogger("app.events")

RECONNECT_SECONDS = (0.1, 0.25, 0.5, 1.0, 2.0, 5.0)
"""Waits between reconnection attempts; the last repeats."""
CONFIRM_SECONDS = 2.0
"""How long a new subscription waits for Redis to confirm its topics (if Redis is down,
it starts anyway and is told RESUMED once Redis is back)."""
PROCESS_CHANNEL = "broker:listening"
"""Always subscribed, so that the pub/sub connection exists before any topic is."""


class RedisBroker:
    def __init__(self, url: str, now: Callable[[], datetime], queue_size: int = 256) -> None:
        # No silent retries inside redis-py: a lost connection must be seen, to resume subscribers.
        self._redis = Redis.from_url(url, retry=Retry(NoBackoff(), 0), socket_connect_timeout=2)
        self._local = InProcessBroker(queue_size)
        self._now = now
        self._topics: Counter[str] = Counter()
        self._confirmations: dict[str, asyncio.Future[None]] = {}
        self._pubsub: PubSub | None = None
        self._listening: asyncio.Task[None] | None = None

    async def publish(self, events: Iterable[Event]) -> None:
        for event in events:
            message = json.dumps({"topic": event.topic, "kind": event.kind, "payload": event.payload})
            try:
                await self._redis.publish(event.topic, message)
            except (RedisError, OSError) as exc:
                log.warning(
                    "event %s on %s not published (%s): subscribers resume when Redis is back",
                    event.kind,
                    event.topic,
                    exc,
                )

    @asynccontextmanager
    async def subscribe(self, topics: Iterable[str]) -> AsyncIterator[Subscription]:
        topic_list = list(topics)
        async with self._local.subscribe(topic_list) as subscription:
            await self._listen(topic_list)
            try:
                yield subscription
            finally:
                await self._stop_listening(topic_list)

    async def ping(self) -> bool:
        try:
            return bool(await asyncio.wait_for(self._redis.ping(), 2))
        except (RedisError, OSError, TimeoutError):
            return False

    async def close(self) -> None:
        if self._listening is not None:
            self._listening.cancel()
            with suppress(asyncio.CancelledError):
                await self._listening
        await self._redis.aclose()

    async def _listen(self, topics: list[str]) -> None:
        new = [topic for topic in topics if self._topics[topic] == 0]
        self._topics.update(topics)
        if self._listening is None or self._listening.done():
            self._listening = asyncio.create_task(self._listen_forever())
        loop = asyncio.get_running_loop()
        waits = [self._confirmations.setdefault(topic, loop.create_future()) for topic in new]
        if self._pubsub is not None and new:
            with suppress(RedisError, OSError):  # down: the listener subscribes them on reconnecting
                await self._pubsub.subscribe(*new)
        if waits:
            await asyncio.wait(waits, timeout=CONFIRM_SECONDS)

    async def _stop_listening(self, topics: list[str]) -> None:
        self._topics.subtract(topics)
        gone = [topic for topic in set(topics) if self._topics[topic] <= 0]
        for topic in gone:
            del self._topics[topic]
            self._confirmations.pop(topic, None)
        if self._pubsub is not None and gone:
            with suppress(RedisError, OSError):
                await self._pubsub.unsubscribe(*gone)

    async def _listen_forever(self) -> None:
        lost_at: datetime | None = None
        failures = 0
        while True:
            pubsub = self._redis.pubsub()
            try:
                asked = set(self._topics)
                await pubsub.subscribe(PROCESS_CHANNEL, *asked)
                self._pubsub = pubsub
                # Topics added or dropped while that was in flight found no connection to use.
                if added := set(self._topics) - asked:
                    await pubsub.subscribe(*added)
                if dropped := asked - set(self._topics):
                    await pubsub.unsubscribe(*dropped)
                failures = 0
                while True:
                    message = await pubsub.get_message(timeout=None)
                    if message is not None:
                        await self._receive(message, lost_at)
                        if message["type"] == "subscribe" and message["channel"] == PROCESS_CHANNEL.encode():
                            lost_at = None  # RESUMED has gone out with the first confirmation
            except (RedisError, OSError) as exc:
                if lost_at is None:
                    lost_at = self._now()
                    log.warning("lost the connection to Redis (%s): reconnecting", exc)
                self._pubsub = None
                with suppress(RedisError, OSError):
                    await pubsub.aclose()
                await asyncio.sleep(RECONNECT_SECONDS[min(failures, len(RECONNECT_SECONDS) - 1)])
                failures += 1

    async def _receive(self, message: dict[str, object], lost_at: datetime | None) -> None:
        channel = message["channel"]
        topic = channel.decode() if isinstance(channel, bytes) else str(channel)
        if message["type"] == "subscribe":
            if topic == PROCESS_CHANNEL and lost_at is not None:
                log.info("reconnected to Redis: subscriptions resume")
                since: dict[str, str | int | None] = {"since": lost_at.isoformat()}
                await self._local.publish([Event(topic, RESUMED, since) for topic in list(self._topics)])
            confirmation = self._confirmations.get(topic)
            if confirmation is not None and not confirmation.done():
                confirmation.set_result(None)
        elif message["type"] == "message" and isinstance(message["data"], bytes):
            event = json.loads(message["data"])
            await self._local.publish([Event(event["topic"], event["kind"], event["payload"])])
