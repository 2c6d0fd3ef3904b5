"""An expert's busy times, read in one statement (a UNION of three queries), on SQLite and
PostgreSQL: their active meetings on either side, their held offer times, their imported blocks;
nobody else's, and no cancelled meeting or released time."""

from datetime import timedelta
from uuid import uuid4

from app.domain.availability import Interval
from app.domain.meetings import MeetingStatus
from app.models import BusyBlock, Service, User
from app.services.busy import busy_times
from tests.integration.test_double_booking_guard import T0, hold, meeting, people, person

__all__ = ["people"]  # the fixture, shared


def hour(at: int) -> Interval:
    return Interval(T0 + timedelta(hours=at), T0 + timedelta(hours=at + 1))


async def test_busy_times_read_every_kind_of_busy_and_only_the_experts(people: tuple[User, User, Service]) -> None:
    expert, client, service = people
    other = await person("Other expert")
    other_service = await Service.create(
        id=uuid4(), expert=other, title="S", offerings=[], modes=["VIDEO"], created_at=T0
    )
    owner = await meeting(expert, client, service, T0)
    await meeting(expert, client, service, T0 + timedelta(hours=2), status=MeetingStatus.CANCELLED)
    await meeting(other, expert, other_service, T0 + timedelta(hours=12))  # the expert as someone's client
    await meeting(other, client, other_service, T0 + timedelta(hours=14))  # not theirs
    await hold(owner, T0 + timedelta(hours=3))
    await hold(owner, T0 + timedelta(hours=5), held=False)
    await BusyBlock.create(expert=expert, starts_at=T0 + timedelta(hours=8), ends_at=T0 + timedelta(hours=9))
    await BusyBlock.create(expert=other, starts_at=T0 + timedelta(hours=9), ends_at=T0 + timedelta(hours=10))

    busy = await busy_times(expert.id, T0 - timedelta(hours=1), T0 + timedelta(days=1))

    assert sorted(busy._intervals, key=lambda i: i.starts_at) == [hour(0), hour(3), hour(8), hour(12)]
    assert busy.overlaps(T0 + timedelta(hours=3, minutes=30), T0 + timedelta(hours=4))
    assert not busy.overlaps(T0 + timedelta(hours=5), T0 + timedelta(hours=6))
    later = await busy_times(expert.id, T0 + timedelta(hours=4), T0 + timedelta(hours=10))
    assert list(later._intervals) == [hour(8)]
