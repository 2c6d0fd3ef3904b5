"""The database itself refuses double booking, whatever code writes to it."""

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from tortoise.exceptions import IntegrityError

from app.domain.meetings import CreditStatus, MeetingMode, MeetingStatus
from app.domain.people import Side
from app.models import Meeting, Service, User

T0 = datetime(2027, 1, 4, 10, 0, tzinfo=UTC)


async def person(name: str) -> User:
    return await User.create(
        id=uuid4(), email=f"{uuid4().hex[:10]}@example.com", name=name, time_zone="UTC", created_at=T0
    )


async def meeting(expert: User, client: User, service: Service, start: datetime, **fields: Any) -> Meeting:
    values: dict[str, Any] = dict(
        id=uuid4(), client=client, expert=expert, service=service, mode=MeetingMode.VIDEO,
        starts_at=start, ends_at=start + timedelta(hours=1), duration_minutes=60, price_credits=0,
        status=MeetingStatus.AGREED, client_approved=True, expert_approved=True,
        credit_status=CreditStatus.NONE, created_by_side=Side.CLIENT, created_at=T0, updated_at=T0,
    )
    values.update(fields)
    return await Meeting.create(**values)


@pytest.fixture
async def cast(database: Path) -> tuple[User, User, Service]:
    expert, client = await person("Expert"), await person("Client")
    service = await Service.create(
        id=uuid4(), expert=expert, title="S", offerings=[], modes=["VIDEO"], created_at=T0
    )
    return expert, client, service


async def test_an_overlapping_active_meeting_is_refused(cast: tuple[User, User, Service]) -> None:
    expert, client, service = cast
    await meeting(expert, client, service, T0)
    with pytest.raises(IntegrityError, match="meeting_overlap"):
        await meeting(expert, client, service, T0 + timedelta(minutes=30))
    with pytest.raises(IntegrityError, match="meeting_overlap"):
        await meeting(expert, client, service, T0, status=MeetingStatus.AWAITING_APPROVAL)
    assert await Meeting.filter(expert=expert).count() == 1


async def test_touching_inactive_other_expert_and_acknowledged_meetings_are_allowed(
    cast: tuple[User, User, Service],
) -> None:
    expert, client, service = cast
    await meeting(expert, client, service, T0)
    await meeting(expert, client, service, T0 + timedelta(hours=1))
    await meeting(expert, client, service, T0, status=MeetingStatus.CANCELLED)
    await meeting(expert, client, service, T0, status=MeetingStatus.REJECTED)
    await meeting(expert, client, service, T0, overlap_acknowledged=True)
    other_expert = await person("Other")
    await meeting(other_expert, client, service, T0)
    assert await Meeting.filter(expert=expert).count() == 5


async def test_reactivating_or_moving_into_an_overlap_is_refused(
    cast: tuple[User, User, Service],
) -> None:
    expert, client, service = cast
    await meeting(expert, client, service, T0)
    cancelled = await meeting(expert, client, service, T0, status=MeetingStatus.CANCELLED)
    with pytest.raises(IntegrityError, match="meeting_overlap"):
        await Meeting.filter(id=cancelled.id).update(status=MeetingStatus.AGREED)
    later = await meeting(expert, client, service, T0 + timedelta(hours=3))
    with pytest.raises(IntegrityError, match="meeting_overlap"):
        await Meeting.filter(id=later.id).update(
            starts_at=T0 + timedelta(minutes=30), ends_at=T0 + timedelta(minutes=90)
        )
    stored = await Meeting.get(id=later.id)
    assert stored.starts_at == T0 + timedelta(hours=3)
