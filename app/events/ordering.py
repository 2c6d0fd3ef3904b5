"""Meeting events in version order, per meeting.

Each change publishes after its commit, so two changes of one meeting committed back to
back by two processes (or two connections to Redis) can reach a subscriber later version
first. A subscriber that showed version 3 would then drop version 2 as old: a skipped
version. Here an event that arrives ahead of the version it follows waits, a moment at
most, for the ones in between; any event in between releases what it completes. A
version that never comes (its publish failed) costs its followers that moment, not
their delivery.
"""

import asyncio
from collections import deque
from collections.abc import AsyncIterator

from app.events.broker import RESUMED, Event

PATIENCE_SECONDS = 0.25
"""How long a version waits for the one before it."""


def meeting_version(event: Event) -> tuple[str, int] | None:
    """(meeting, version) of a meeting's change; None for other events."""
    if event.kind != "meeting":
        return None
    return str(event.payload["meeting_id"]), int(event.payload["version"] or 0)


class InVersionOrder:
    """Wraps a subscription's events; not a generator, so a timeout while it waits for the
    next event cancels only that wait (the subscription's queue keeps what it holds)."""

    def __init__(self, events: AsyncIterator[Event], patience_seconds: float = PATIENCE_SECONDS) -> None:
        self._events = events
        self._patience = patience_seconds
        self._heard: dict[str, int] = {}
        self._held: dict[str, dict[int, Event]] = {}
        self._ready: deque[Event] = deque()
        self._deadline: float | None = None

    def __aiter__(self) -> "InVersionOrder":
        return self

    async def __anext__(self) -> Event:
        while not self._ready:
            try:
                async with asyncio.timeout_at(self._deadline):
                    event = await anext(self._events)
            except TimeoutError:
                self._release_all()
                continue
            self._take(event)
        return self._ready.popleft()

    def _take(self, event: Event) -> None:
        versioned = meeting_version(event)
        if versioned is None:
            if event.kind == RESUMED:  # events were lost: nothing more is coming for the held ones
                self._release_all()
            self._ready.append(event)
            return
        meeting, version = versioned
        last = self._heard.get(meeting)
        if last is not None and version > last + 1:
            self._held.setdefault(meeting, {})[version] = event
            if self._deadline is None:
                self._deadline = asyncio.get_running_loop().time() + self._patience
            return
        self._ready.append(event)
        self._heard[meeting] = max(version, last or 0)
        held = self._held.get(meeting)
        while held and (following := held.pop(self._heard[meeting] + 1, None)) is not None:
            self._ready.append(following)
            self._heard[meeting] += 1
        if held is not None and not held:
            del self._held[meeting]
        if not self._held:
            self._deadline = None

    def _release_all(self) -> None:
        for meeting, held in self._held.items():
            for version in sorted(held):
                self._ready.append(held[version])
            self._heard[meeting] = max(self._heard[meeting], *held)
        self._held.clear()
        self._deadline = None
