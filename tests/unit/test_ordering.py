"""Meeting events in version order: a version that arrives early waits a moment for the one
before it; nothing else waits."""

import asyncio

from app.events.broker import RESUMED, Event, Subscription
from app.events.ordering import InVersionOrder


def change(meeting: str, version: int) -> Event:
    return Event("user-meetings", "meeting", {"meeting_id": meeting, "version": version})


def versions(events: list[Event]) -> list[tuple[str, object]]:
    return [(str(e.payload.get("meeting_id", e.kind)), e.payload.get("version")) for e in events]


async def read(ordered: InVersionOrder, count: int) -> list[Event]:
    return [await asyncio.wait_for(anext(ordered), 5) for _ in range(count)]


def ordered_over(*events: Event, patience_seconds: float = 60) -> tuple[Subscription, InVersionOrder]:
    subscription = Subscription(maxsize=100)
    for event in events:
        subscription.deliver(event)
    return subscription, InVersionOrder(subscription, patience_seconds=patience_seconds)


async def test_versions_in_order_pass_at_once() -> None:
    _, ordered = ordered_over(change("m", 1), change("m", 2), change("m", 3))
    assert versions(await read(ordered, 3)) == [("m", 1), ("m", 2), ("m", 3)]


async def test_a_version_ahead_of_the_one_before_it_waits_for_it() -> None:
    subscription, ordered = ordered_over(change("m", 1), change("m", 3))
    assert versions(await read(ordered, 1)) == [("m", 1)]
    waiting = asyncio.create_task(anext(ordered))
    for _ in range(10):
        await asyncio.sleep(0)
    assert not waiting.done()  # version 3 is held
    subscription.deliver(change("m", 2))
    assert versions([await waiting, *await read(ordered, 1)]) == [("m", 2), ("m", 3)]


async def test_a_version_that_never_comes_holds_its_followers_a_moment_only() -> None:
    subscription, ordered = ordered_over(change("m", 1), change("m", 3), change("m", 4), patience_seconds=0.01)
    assert versions(await read(ordered, 3)) == [("m", 1), ("m", 3), ("m", 4)]
    subscription.deliver(change("m", 5))
    assert versions(await read(ordered, 1)) == [("m", 5)]  # no wait once the gap is passed


async def test_other_meetings_and_other_events_do_not_wait_for_a_held_one() -> None:
    notification = Event("user-notifications", "notification", {"notification_id": "n"})
    _, ordered = ordered_over(change("m", 1), change("m", 3), change("other", 7), notification)
    assert versions(await read(ordered, 3)) == [("m", 1), ("other", 7), ("notification", None)]


async def test_lost_events_release_what_is_held_before_the_resume() -> None:
    resumed = Event("user-meetings", RESUMED, {"since": "2027-01-04T09:00:00+00:00"})
    _, ordered = ordered_over(change("m", 1), change("m", 3), resumed)
    assert versions(await read(ordered, 3)) == [("m", 1), ("m", 3), (RESUMED, None)]


async def test_old_versions_pass_for_the_subscriber_to_drop() -> None:
    _, ordered = ordered_over(change("m", 2), change("m", 1), change("m", 2))
    assert versions(await read(ordered, 3)) == [("m", 2), ("m", 1), ("m", 2)]
