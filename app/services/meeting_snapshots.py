"""One read of a changed meeting per event, shared by every subscriber that hears of it.

Without it each subscriber re-read the meeting for each event: N subscribers, N
queries. Rows are keyed by (meeting, version announced), kept for the last few
hundred events, and never changed by a reader.
"""

import asyncio
from collections import OrderedDict
from uuid import UUID

from app.models import Meeting

KEPT_EVENTS = 512


class MeetingSnapshots:
    def __init__(self, kept: int = KEPT_EVENTS) -> None:
        self._kept = kept
        self._loads: OrderedDict[tuple[UUID, int], asyncio.Future[Meeting | None]] = OrderedDict()
        self.reads = 0
        """How many times the database was asked (the bench prints it per event)."""

    async def meeting(self, meeting_id: UUID, version: int) -> Meeting | None:
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

    async def _read(self, meeting_id: UUID) -> Meeting | None:
        self.reads += 1
        return await Meeting.filter(id=meeting_id).first()
