"""The database itself refuses double booking, whatever code writes to it.

Each overlap the service refuses (tests/integration/test_use_cases.py) is
refused here too when rows are written directly: the expert's own meetings,
the expert's time as someone's client, an expert approving over another
meeting. Buffers and imported calendar blocks are availability, not the guard
(migration 0006 says why).
"""

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest
from tortoise import connections
from tortoise.exceptions import IntegrityError

from app.domain.meetings import CreditStatus, MeetingMode, MeetingStatus
from app.domain.offers import OfferPurpose, OfferStatus
from app.domain.people import Side
from app.models import Meeting, Offer, OfferTime, Service, User

T0 = datetime(2027, 1, 4, 10, 0, tzinfo=UTC)


async def person(name: str) -> User:
    return await User.create(
        id=uuid4(), email=f"{uuid4().hex[:10]}@example.com", name=name, time_zone="UTC", created_at=T0
    )


async def meeting(expert: User, client: User, service: Service, start: datetime, **fields: Any) -> Meeting:
    values: dict[str, Any] = {
        "id": uuid4(),
        "client": client,
        "expert": expert,
        "service": service,
        "mode": MeetingMode.VIDEO,
        "starts_at": start,
        "ends_at": start + timedelta(hours=1),
        "duration_minutes": 60,
        "price_credits": 0,
        "status": MeetingStatus.AGREED,
        "client_approved": True,
        "expert_approved": True,
        "credit_status": CreditStatus.NONE,
        "created_by_side": Side.CLIENT,
        "created_at": T0,
        "updated_at": T0,
    }
    values.update(fields)
    return await Meeting.create(**values)


@pytest.fixture
async def people(database: str) -> tuple[User, User, Service]:
    expert, client = await person("Expert"), await person("Client")
    service = await Service.create(id=uuid4(), expert=expert, title="S", offerings=[], modes=["VIDEO"], created_at=T0)
    return expert, client, service


async def test_an_overlapping_active_meeting_is_refused(people: tuple[User, User, Service]) -> None:
    expert, client, service = people
    await meeting(expert, client, service, T0)
    with pytest.raises(IntegrityError, match="meeting_overlap"):
        await meeting(expert, client, service, T0 + timedelta(minutes=30))
    with pytest.raises(IntegrityError, match="meeting_overlap"):
        await meeting(expert, client, service, T0, status=MeetingStatus.AWAITING_APPROVAL)
    assert await Meeting.filter(expert=expert).count() == 1


async def test_touching_inactive_other_expert_and_acknowledged_meetings_are_allowed(
    people: tuple[User, User, Service],
) -> None:
    expert, client, service = people
    await meeting(expert, client, service, T0)
    await meeting(expert, client, service, T0 + timedelta(hours=1))
    await meeting(expert, client, service, T0, status=MeetingStatus.CANCELLED)
    await meeting(expert, client, service, T0, status=MeetingStatus.REJECTED)
    await meeting(expert, client, service, T0, overlap_acknowledged=True)
    other_expert = await person("Other")
    await meeting(other_expert, client, service, T0)
    assert await Meeting.filter(expert=expert).count() == 5


async def test_reactivating_or_moving_into_an_overlap_is_refused(
    people: tuple[User, User, Service],
) -> None:
    expert, client, service = people
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


async def test_an_expert_booked_as_someones_client_is_busy_too(
    people: tuple[User, User, Service],
) -> None:
    expert, client, service = people
    other_expert = await person("Other")
    await meeting(other_expert, expert, service, T0)  # our expert attends as a client
    with pytest.raises(IntegrityError, match="meeting_overlap"):
        await meeting(expert, client, service, T0 + timedelta(minutes=30))
    await meeting(expert, client, service, T0 + timedelta(minutes=30), overlap_acknowledged=True)


async def test_an_expert_approving_over_another_meeting_must_acknowledge_it(
    people: tuple[User, User, Service],
) -> None:
    expert, client, service = people
    waiting = await meeting(expert, client, service, T0, status=MeetingStatus.AWAITING_APPROVAL, expert_approved=False)
    await meeting(expert, client, service, T0, overlap_acknowledged=True)
    with pytest.raises(IntegrityError, match="meeting_overlap"):
        await Meeting.filter(id=waiting.id).update(status=MeetingStatus.AGREED, expert_approved=True)
    await Meeting.filter(id=waiting.id).update(
        status=MeetingStatus.AGREED, expert_approved=True, overlap_acknowledged=True
    )
    with pytest.raises(IntegrityError, match="meeting_overlap"):
        await Meeting.filter(id=waiting.id).update(overlap_acknowledged=False)


async def test_a_meeting_keeps_its_time_when_an_acknowledged_one_overlaps_it_later(
    people: tuple[User, User, Service],
) -> None:
    expert, client, service = people
    first = await meeting(expert, client, service, T0)
    await meeting(expert, client, service, T0, overlap_acknowledged=True)
    await Meeting.filter(id=first.id).update(client_joined_at=T0, status=MeetingStatus.IN_PROGRESS)
    assert (await Meeting.get(id=first.id)).status is MeetingStatus.IN_PROGRESS


async def test_a_client_may_overlap_their_own_other_sessions(
    people: tuple[User, User, Service],
) -> None:
    expert, client, service = people
    other_expert = await person("Other")
    await meeting(expert, client, service, T0)
    await meeting(other_expert, client, service, T0)
    assert await Meeting.filter(client=client).count() == 2


async def hold(owner: Meeting, start: datetime, *, held: bool = True, acknowledged: bool = False) -> OfferTime:
    """`owner`'s pending expert offer (made once) holding `start` for an hour, written directly."""
    offer = await Offer.filter(meeting=owner).first() or await Offer.create(
        id=uuid4(),
        meeting=owner,
        purpose=OfferPurpose.EXPERT_RESCHEDULE,
        made_by_side=Side.EXPERT,
        status=OfferStatus.PENDING,
        expires_at=start,
        created_at=T0,
    )
    return await OfferTime.create(
        offer=offer,
        meeting_id=owner.id,
        expert_id=owner.expert_id,
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        held=held,
        overlap_acknowledged=acknowledged,
    )


async def test_a_held_time_refuses_any_other_meeting_until_released(people: tuple[User, User, Service]) -> None:
    expert, client, service = people
    owner = await meeting(expert, client, service, T0)
    held = await hold(owner, T0 + timedelta(hours=3))
    third = await person("Third")
    with pytest.raises(IntegrityError, match="meeting_overlap"):
        await meeting(expert, third, service, T0 + timedelta(hours=3, minutes=30))
    other = await meeting(expert, third, service, T0 + timedelta(hours=5))
    with pytest.raises(IntegrityError, match="meeting_overlap"):
        await Meeting.filter(id=other.id).update(starts_at=T0 + timedelta(hours=3), ends_at=T0 + timedelta(hours=4))
    # The offer's own meeting may move into it (a pick), and once released anyone may book it.
    await Meeting.filter(id=owner.id).update(starts_at=T0 + timedelta(hours=3), ends_at=T0 + timedelta(hours=4))
    await Meeting.filter(id=owner.id).update(starts_at=T0, ends_at=T0 + timedelta(hours=1))
    await OfferTime.filter(id=held.id).update(held=False)
    await meeting(expert, third, service, T0 + timedelta(hours=3))


async def test_a_time_is_held_only_while_free(people: tuple[User, User, Service]) -> None:
    expert, client, service = people
    owner = await meeting(expert, client, service, T0)
    busy = await meeting(expert, client, service, T0 + timedelta(hours=2))
    with pytest.raises(IntegrityError, match="meeting_overlap"):
        await hold(owner, T0 + timedelta(hours=2, minutes=30))
    await hold(owner, T0 + timedelta(hours=2, minutes=30), acknowledged=True)  # knowingly: let through
    await hold(owner, T0, held=True)  # its own time is no one else's
    another = await meeting(expert, client, service, T0 + timedelta(hours=6))
    await hold(another, T0 + timedelta(hours=8))
    with pytest.raises(IntegrityError, match="meeting_overlap"):
        await hold(owner, T0 + timedelta(hours=8, minutes=30))
    unheld = await hold(owner, T0 + timedelta(hours=8), held=False)
    with pytest.raises(IntegrityError, match="meeting_overlap"):
        await OfferTime.filter(id=unheld.id).update(held=True)
    assert busy.status is MeetingStatus.AGREED


async def test_a_meeting_has_at_most_one_pending_offer(people: tuple[User, User, Service]) -> None:
    expert, client, service = people
    owner = await meeting(expert, client, service, T0)
    first = (await hold(owner, T0 + timedelta(hours=2))).offer_id
    with pytest.raises(IntegrityError, match=r"UNIQUE|unique constraint"):
        await Offer.create(
            id=uuid4(),
            meeting=owner,
            purpose=OfferPurpose.CLIENT_PROPOSAL,
            made_by_side=Side.CLIENT,
            status=OfferStatus.PENDING,
            expires_at=T0,
            created_at=T0,
        )
    await Offer.filter(id=first).update(status=OfferStatus.WITHDRAWN)
    await Offer.create(
        id=uuid4(),
        meeting=owner,
        purpose=OfferPurpose.CLIENT_PROPOSAL,
        made_by_side=Side.CLIENT,
        status=OfferStatus.PENDING,
        expires_at=T0,
        created_at=T0,
    )


@pytest.mark.parametrize("database", ["postgres"], indirect=True)  # SQLite has the triggers only
async def test_on_postgresql_a_constraint_refuses_overlaps_even_without_the_trigger(
    people: tuple[User, User, Service],
) -> None:
    expert, client, service = people
    connection = connections.get("default")
    await connection.execute_script("ALTER TABLE meeting DISABLE TRIGGER meeting_no_overlap")
    try:
        await meeting(expert, client, service, T0)
        with pytest.raises(IntegrityError, match="meeting_overlap_excluded"):
            await meeting(expert, client, service, T0 + timedelta(minutes=30))
        await meeting(expert, client, service, T0 + timedelta(minutes=30), overlap_acknowledged=True)  # let through
    finally:
        await connection.execute_script("ALTER TABLE meeting ENABLE TRIGGER meeting_no_overlap")
    assert await Meeting.filter(expert=expert).count() == 2
