"""Each announced version of a meeting is the row as that version left it, decoded once
per event however many subscribers hear of it."""

from datetime import timedelta

from app.domain.booking import Choice
from app.domain.meetings import MeetingMode, MeetingStatus
from app.models import Meeting
from app.services import answering, booking
from app.services.meeting_snapshots import MeetingSnapshots, row_payload
from app.services.runtime import Runtime
from tests.integration.conftest import T0, Cast


async def test_each_version_is_shown_as_it_was_written_not_as_the_table_is_now(runtime: Runtime, cast: Cast) -> None:
    choice = Choice(T0 + timedelta(days=2), 60, MeetingMode.VIDEO)
    booked = await booking.book_meeting(runtime, cast.client, cast.service_id, choice)
    first = row_payload(booked)
    agreed = await answering.confirm_meeting(runtime, cast.expert, booked.id, acknowledge_overlap=False)
    second = row_payload(agreed)
    snapshots = MeetingSnapshots()
    then = snapshots.snapshot(booked.id, booked.version, first).row
    now = snapshots.snapshot(agreed.id, agreed.version, second).row
    assert (then.version, then.status, now.version, now.status) == (
        1,
        MeetingStatus.AWAITING_APPROVAL,
        2,
        MeetingStatus.AGREED,
    )
    assert row_payload(then) == first and row_payload(now) == second  # every column, as stored
    stored = await Meeting.get(id=booked.id)
    assert row_payload(stored) == second


async def test_a_thousand_subscribers_share_one_decoding_per_event(runtime: Runtime, cast: Cast) -> None:
    choice = Choice(T0 + timedelta(days=2), 60, MeetingMode.VIDEO)
    row = await booking.book_meeting(runtime, cast.client, cast.service_id, choice)
    payload = row_payload(row)
    snapshots = MeetingSnapshots(kept=4)
    shared = {id(snapshots.snapshot(row.id, row.version, payload)) for _ in range(1000)}
    assert len(shared) == 1 and snapshots.decoded == 1
    for version in range(2, 10):  # only the last few events are kept
        snapshots.snapshot(row.id, version, payload)
    snapshots.snapshot(row.id, row.version, payload)
    assert snapshots.decoded == 10
