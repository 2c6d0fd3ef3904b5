"""A changed meeting is read once per event, however many subscribers hear of it."""

import asyncio
from datetime import timedelta

from app.domain.booking import Choice
from app.domain.meetings import MeetingMode
from app.services import booking
from app.services.meeting_snapshots import MeetingSnapshots
from app.services.runtime import Runtime
from tests.integration.conftest import T0, Cast


async def test_a_thousand_subscribers_share_one_read_per_event(runtime: Runtime, cast: Cast) -> None:
    choice = Choice(T0 + timedelta(days=2), 60, MeetingMode.VIDEO)
    row = await booking.book_meeting(runtime, cast.client, cast.service_id, choice)
    snapshots = MeetingSnapshots(kept=4)
    rows = await asyncio.gather(*(snapshots.meeting(row.id, row.version) for _ in range(1000)))
    assert snapshots.reads == 1 and {r.id for r in rows if r} == {row.id}
    await snapshots.meeting(row.id, row.version + 1)  # a later event is a new read
    assert snapshots.reads == 2
    for version in range(3, 10):  # only the last few events are kept
        await snapshots.meeting(row.id, version)
    await snapshots.meeting(row.id, row.version)
    assert snapshots.reads == 10
