"""The in-process broker: publishing never waits, and a subscriber too slow is cut off alone."""

import asyncio

import pytest

from app.events.broker import Event, InProcessBroker, SlowConsumer


def event(n: int) -> Event:
    return Event("t", "meeting", {"meeting_id": str(n), "version": n})


async def test_a_slow_subscriber_is_dropped_and_the_others_keep_everything() -> None:
    broker = InProcessBroker(queue_size=3)
    async with broker.subscribe(["t"]) as slow, broker.subscribe(["t"]) as keen:
        received = []
        for n in range(10):
            await broker.publish([event(n)])  # returns at once, whoever is behind
            received.append((await anext(keen)).payload["version"])
        assert received == list(range(10))
        with pytest.raises(SlowConsumer):
            await anext(slow)


async def test_a_subscriber_that_keeps_up_is_never_dropped() -> None:
    broker = InProcessBroker(queue_size=2)
    async with broker.subscribe(["t"]) as steady:
        for n in range(50):
            await broker.publish([event(n)])
            assert (await asyncio.wait_for(anext(steady), 1)).payload["version"] == n
        assert not steady.overflowed
