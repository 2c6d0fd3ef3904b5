"""One read of a changed meeting per event, shared by every subscriber that hears of it.

Without it each subscriber re-read the meeting for each event: N subscribers, N
queries. Snapshots are keyed by (meeting, version announced), kept for the last
few hundred events, and never changed by a reader. Each snapshot also keeps what
it looks like to each viewer, decided and built once per viewer: the subscribers
of one viewer receive the very same object (which lets them share its execution).
"""

import asyncio
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar
from uuid import UUID

from app.domain.access import can_see_meeting
from app.domain.people import Actor, Parties
from app.models import Meeting

KEPT_EVENTS = 512
View = TypeVar("View")


class MeetingSnapshot:
    def __init__(self, row: Meeting) -> None:
        self.row = row
        self._views: dict[Actor, object] = {}

    def view_for(self, viewer: Actor, build: Callable[[Meeting, Actor], View]) -> View | None:
        """What `viewer` is shown of this version, or None when they may not see it; built on
        the first call for each viewer (`build` makes the same kind of view every time)."""
        if viewer not in self._views:
            visible = can_see_meeting(viewer, Parties(self.row.client_id, self.row.expert_id))
            self._views[viewer] = build(self.row, viewer) if visible else None
        return self._views[viewer]  # type: ignore[return-value]


class MeetingSnapshots:
    def __init__(self, kept: int = KEPT_EVENTS) -> None:
        self._kept = kept
        self._loads: OrderedDict[tuple[UUID, int], asyncio.Future[MeetingSnapshot | None]] = OrderedDict()
        self.reads = 0
        """How many times the database was asked (the bench prints it per event)."""

    async def meeting(self, meeting_id: UUID, version: int) -> Meeting | None:
        snapshot = await self.snapshot(meeting_id, version)
        return snapshot.row if snapshot is not None else None

    async def snapshot(self, meeting_id: UUID, version: int) -> MeetingSnapshot | None:
        key = (meeting_id, version)
        load = self._loads.get(key)
        if load is None:
            load = asyncio.ensure_future(self._read(meeting_id))
            self._loads[key] = load
            while len(self._loads) > self._kept:
                self._loads.popitem(last=False)
        try:
            return await asyncio.shield(load)
        except Exception:
            self._loads.pop(key, None)
            raise

    async def _read(self, meeting_id: UUID) -> MeetingSnapshot | None:
        self.reads += 1
        row = await Meeting.filter(id=meeting_id).first()
        return MeetingSnapshot(row) if row is not None else None
