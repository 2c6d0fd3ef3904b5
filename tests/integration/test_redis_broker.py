"""The Redis broker against a real redis-server: events cross connections, subscriptions
come and go while it listens, and a restart of Redis resumes every subscription."""

import asyncio
from contextlib import AsyncExitStack
from datetime import UTC, datetime

from pytest_redis.executor import RedisExecutor
from redis.asyncio import Redis

from app.events.broker import RESUMED, Event
from app.events.redis_broker import RedisBroker
from tests.support.redis import redis_url

T0 = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)


def event(topic: str, n: int) -> Event:
    return Event(topic, "meeting", {"meeting_id": str(n), "version": n})


async def test_events_reach_subscribers_of_another_broker(redis_server: RedisExecutor) -> None:
    publisher, listener = (RedisBroker(redis_url(redis_server), lambda: T0) for _ in range(2))
    try:
        async with listener.subscribe(["a"]) as on_a:
            await publisher.publish([event("a", 1)])
            assert (await asyncio.wait_for(anext(on_a), 5)).payload["version"] == 1
            async with listener.subscribe(["b"]) as on_b:  # while the listener is reading
                await publisher.publish([event("b", 2), event("a", 3)])
                assert (await asyncio.wait_for(anext(on_b), 5)).payload["version"] == 2
                assert (await asyncio.wait_for(anext(on_a), 5)).payload["version"] == 3
        assert await publisher.ping()
    finally:
        await publisher.close()
        await listener.close()


async def test_subscriptions_opened_together_on_a_fresh_broker_all_hear(redis_server: RedisExecutor) -> None:
    """The first subscription starts the listener; the others arrive while it is still
    connecting, before it has a connection to subscribe them on."""
    publisher, listener = (RedisBroker(redis_url(redis_server), lambda: T0) for _ in range(2))
    topics = [f"t{n}" for n in range(8)]
    try:
        async with AsyncExitStack() as stack:
            opening = []
            for topic in topics:  # a turn of the loop apart: the listener connects meanwhile
                opening.append(asyncio.create_task(stack.enter_async_context(listener.subscribe([topic]))))
                await asyncio.sleep(0)
            streams = await asyncio.gather(*opening)
            async with Redis.from_url(redis_url(redis_server)) as redis:  # Redis's own count
                assert await redis.pubsub_numsub(*topics) == [(topic.encode(), 1) for topic in topics]
            await publisher.publish([event(topic, n) for n, topic in enumerate(topics)])
            heard = [(await asyncio.wait_for(anext(stream), 5)).payload["version"] for stream in streams]
            assert heard == list(range(len(topics)))
    finally:
        await publisher.close()
        await listener.close()


async def test_a_restart_of_redis_resumes_every_subscription(restartable_redis_server: RedisExecutor) -> None:
    redis_server = restartable_redis_server
    broker = RedisBroker(redis_url(redis_server), lambda: T0)
    try:
        async with broker.subscribe(["a"]) as on_a:
            redis_server.stop()
            assert not await broker.ping()
            await broker.publish([event("a", 1)])  # lost, and only logged
            redis_server.start()
            resumed = await asyncio.wait_for(anext(on_a), 10)
            assert (resumed.kind, resumed.payload["since"]) == (RESUMED, T0.isoformat())
            await broker.publish([event("a", 2)])
            assert (await asyncio.wait_for(anext(on_a), 5)).payload["version"] == 2
            assert await broker.ping()
    finally:
        await broker.close()
