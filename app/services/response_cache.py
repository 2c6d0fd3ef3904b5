"""Answers that are the same for every viewer of a class, kept until what they read changes.

An entry records the tags of what its answer read (`expert_tag`, `DIRECTORY`) and the change
sequence when its computation began. A committed write bumps its tags to a new sequence
number (`invalidate`), so an entry is valid while none of its tags has moved past its start:
an answer computed while a write committed is never served, whichever finished first. An
entry also ends at the instant its answer may change with nothing written (the notice period
moving past a slot), and after `max_age` in any case, which bounds what another process's
writes can leave behind when no broker carries its invalidations (a command beside the
server without Redis).

Concurrent misses of one key compute once: the others wait for that answer. Only answers
without errors are kept (the endpoint decides); the kill switch is RESPONSE_CACHE=false.
"""

import asyncio
import time
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from uuid import UUID

PUBLIC_TABLES = frozenset(
    {
        "expert_profile",
        "expert_skill",
        "date_override",
        "busy_block",
        "service",
        "meeting",
        "review",
        "offer_time",
    }
)
"""The tables whose rows cached answers read, besides the user table (an expert's name and time
zone: the use cases that change them name the expert; most writes to it are balances)."""

DIRECTORY = "experts"
"""The experts list: every expert's change is also its change."""


def expert_tag(expert_id: UUID | str) -> str:
    """Everything public about one expert: profile, policy, availability, services, busy times
    and the measures the directory ranks by."""
    return f"expert:{expert_id}"


@dataclass(frozen=True)
class CachedAnswer:
    body: bytes
    media_type: str
    tags: frozenset[str]
    as_of: int
    """The change sequence when its computation began."""
    computed_at: datetime
    changes_at: datetime | None
    """On the service's clock: when the answer may change with nothing written (before
    `computed_at` too: a clock set back, as tests do)."""
    expires: float
    """On the monotonic clock: `max_age` after it was computed."""


@dataclass
class AnswerHints:
    """What one operation's resolvers say its answer depends on (set during execution)."""

    tags: set[str] = field(default_factory=set)
    changes_at: datetime | None = None

    def read(self, *tags: str) -> None:
        self.tags.update(tags)

    def changes_by(self, instant: datetime | None) -> None:
        if instant is not None and (self.changes_at is None or instant < self.changes_at):
            self.changes_at = instant


class ResponseCache:
    def __init__(self, max_entries: int, max_age: timedelta) -> None:
        self.max_entries = max_entries
        self.max_age = max_age
        self._entries: OrderedDict[str, CachedAnswer] = OrderedDict()
        self._moved: dict[str, int] = {}
        """Each tag's last change sequence number."""
        self._sequence = 0
        self._cleared_at = 0
        self._computing: dict[str, asyncio.Future[None]] = {}

    @property
    def sequence(self) -> int:
        return self._sequence

    def get(self, key: str, now: datetime) -> CachedAnswer | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        if (
            now < entry.computed_at
            or (entry.changes_at is not None and now >= entry.changes_at)
            or time.monotonic() >= entry.expires
            or entry.as_of < self._cleared_at
            or self._moved_since(entry)
        ):
            del self._entries[key]
            return None
        self._entries.move_to_end(key)
        return entry

    def _moved_since(self, entry: CachedAnswer) -> bool:
        moved = self._moved
        return any(moved.get(tag, 0) > entry.as_of for tag in entry.tags)

    def put(self, key: str, entry: CachedAnswer) -> None:
        if entry.as_of < self._cleared_at or self._moved_since(entry):
            return  # a write committed while it was computed
        self._entries[key] = entry
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)

    def expires(self) -> float:
        return time.monotonic() + self.max_age.total_seconds()

    def invalidate(self, tags: Iterable[str]) -> None:
        self._sequence += 1
        for tag in tags:
            self._moved[tag] = self._sequence
            if tag.startswith("expert:"):
                self._moved[DIRECTORY] = self._sequence

    def clear(self) -> None:
        """Everything: a write that named no tag, or invalidations that may have been lost."""
        self._sequence += 1
        self._cleared_at = self._sequence
        self._entries.clear()
        self._moved.clear()

    async def wait_for_computation(self, key: str) -> bool:
        """Waits while another request computes this key's answer: True if it was computing
        (look again), False if this request is now the one computing it (call `computed`)."""
        running = self._computing.get(key)
        if running is None:
            self._computing[key] = asyncio.get_running_loop().create_future()
            return False
        await asyncio.shield(running)
        return True

    def computed(self, key: str) -> None:
        running = self._computing.pop(key, None)
        if running is not None and not running.done():
            running.set_result(None)

    def __len__(self) -> int:
        return len(self._entries)
