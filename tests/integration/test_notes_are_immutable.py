"""The database refuses to edit or delete a session note, whatever code asks."""

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
from tortoise.exceptions import IntegrityError

from app.domain.meetings import CreditStatus, MeetingMode, MeetingStatus
from app.domain.people import Side
from app.models import Meeting, Note, Service, User

T0 = datetime(2027, 1, 4, 10, 0, tzinfo=UTC)


async def test_a_note_cannot_be_updated_or_deleted(database: str) -> None:
    expert = await User.create(id=uuid4(), email="e@example.com", name="E", time_zone="UTC", created_at=T0)
    client = await User.create(id=uuid4(), email="c@example.com", name="C", time_zone="UTC", created_at=T0)
    service = await Service.create(id=uuid4(), expert=expert, title="S", offerings=[], modes=["VIDEO"], created_at=T0)
    meeting = await Meeting.create(
        id=uuid4(),
        client=client,
        expert=expert,
        service=service,
        mode=MeetingMode.VIDEO,
        starts_at=T0,
        ends_at=T0 + timedelta(hours=1),
        duration_minutes=60,
        price_credits=0,
        status=MeetingStatus.COMPLETED,
        client_approved=True,
        expert_approved=True,
        credit_status=CreditStatus.NONE,
        created_by_side=Side.CLIENT,
        created_at=T0,
        updated_at=T0,
    )
    note = await Note.create(id=uuid4(), meeting=meeting, author=expert, text="Original", created_at=T0)
    with pytest.raises(IntegrityError, match="note_immutable"):
        await Note.filter(id=note.id).update(text="Changed")
    with pytest.raises(IntegrityError, match="note_immutable"):
        await Note.filter(id=note.id).delete()
    assert (await Note.get(id=note.id)).text == "Original"
