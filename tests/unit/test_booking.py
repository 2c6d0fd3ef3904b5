"""How a meeting comes to be: a client books or requests a service, an expert proposes one."""

from datetime import timedelta
from uuid import UUID, uuid4

import pytest

from app.domain import booking
from app.domain.booking import Choice, ServiceTerms
from app.domain.catalog import Offering
from app.domain.errors import ConflictNotAcknowledged, InvalidInput, NotAllowed, NotOffered, Refusal
from app.domain.meetings import CreditStatus, MeetingMode, MeetingStatus, TimelineEventType
from app.domain.offers import OfferPurpose, OfferStatus
from app.domain.people import Actor, Side
from tests.unit.test_meetings import NOW, START

CLIENT, EXPERT = uuid4(), uuid4()
TERMS = ServiceTerms(
    service_id=uuid4(),
    expert_id=EXPERT,
    offerings=(Offering(30, 30), Offering(60, 50)),
    modes=(MeetingMode.VIDEO, MeetingMode.IN_PERSON),
    location="1 High Street",
    expert_skills=("coaching", "go"),
)
VIDEO = Choice(START, 60, MeetingMode.VIDEO)


def test_a_booking_takes_the_services_price_for_the_duration_and_waits_for_the_expert() -> None:
    new = booking.book(TERMS, CLIENT, Choice(START, 30, MeetingMode.VIDEO, "go"), NOW)
    assert (new.parties.client_id, new.parties.expert_id, new.created_by, new.skill) == (
        CLIENT,
        EXPERT,
        Side.CLIENT,
        "go",
    )
    state = new.outcome.state
    assert (state.status, state.price_credits, state.credit_status) == (
        MeetingStatus.AWAITING_APPROVAL,
        30,
        CreditStatus.BLOCKED,
    )
    assert state.location is None


def test_an_in_person_meeting_is_at_the_services_address() -> None:
    new = booking.book(TERMS, CLIENT, Choice(START, 60, MeetingMode.IN_PERSON), NOW)
    assert new.outcome.state.location == "1 High Street"


@pytest.mark.parametrize(
    ("client_id", "choice", "refusal"),
    [
        (EXPERT, VIDEO, InvalidInput),  # one's own service
        (CLIENT, Choice(START, 45, MeetingMode.VIDEO), NotOffered),
        (CLIENT, Choice(START, 60, MeetingMode.CHAT), NotOffered),
        (CLIENT, Choice(START, 60, MeetingMode.VIDEO, "juggling"), InvalidInput),
        (CLIENT, Choice(NOW - timedelta(minutes=1), 60, MeetingMode.VIDEO), InvalidInput),
    ],
)
def test_refused_bookings(client_id: UUID, choice: Choice, refusal: type[Refusal]) -> None:
    with pytest.raises(refusal):
        booking.book(TERMS, client_id, choice, NOW)


def test_a_request_offers_up_to_five_times_with_no_start_yet_and_the_credits_blocked() -> None:
    times = [START + timedelta(hours=i) for i in range(3)]
    new, offer = booking.request(TERMS, CLIENT, times, 60, MeetingMode.VIDEO, NOW, message="  any of these  ")
    state = new.outcome.state
    assert (state.status, state.starts_at, state.credit_status) == (
        MeetingStatus.AWAITING_APPROVAL,
        None,
        CreditStatus.BLOCKED,
    )
    assert (state.client_approved, state.expert_approved) == (True, False)
    assert new.outcome.event is TimelineEventType.REQUESTED_BY_CLIENT
    assert (offer.purpose, offer.made_by_side, offer.status) == (
        OfferPurpose.SESSION_REQUEST,
        Side.CLIENT,
        OfferStatus.PENDING,
    )
    assert (list(offer.times), offer.message) == (times, "any of these")


def test_a_request_is_refused_like_a_booking() -> None:
    with pytest.raises(InvalidInput):
        booking.request(TERMS, EXPERT, [START], 60, MeetingMode.VIDEO, NOW)
    with pytest.raises(NotOffered):
        booking.request(TERMS, CLIENT, [START], 60, MeetingMode.AUDIO, NOW)


def test_an_expert_proposes_at_a_price_of_their_choosing_and_the_client_answers() -> None:
    new = booking.propose(
        TERMS, Actor(EXPERT), CLIENT, VIDEO, 5, NOW, overlaps_other_meeting=False, acknowledge_overlap=False
    )
    state = new.outcome.state
    assert (new.created_by, state.price_credits, state.credit_status) == (Side.EXPERT, 5, CreditStatus.NONE)
    assert (state.client_approved, state.expert_approved) == (False, True)


def test_an_admin_proposes_with_anyones_service() -> None:
    booking.require_may_propose(TERMS, Actor(uuid4(), is_admin=True), CLIENT)


@pytest.mark.parametrize(
    ("actor", "client_id", "overlaps", "refusal"),
    [
        (Actor(uuid4()), CLIENT, False, NotAllowed),  # someone else's service
        (Actor(EXPERT), EXPERT, False, InvalidInput),  # themself
        (Actor(EXPERT), CLIENT, True, ConflictNotAcknowledged),
    ],
)
def test_refused_proposals(actor: Actor, client_id: UUID, overlaps: bool, refusal: type[Refusal]) -> None:
    with pytest.raises(refusal):
        booking.propose(
            TERMS,
            actor,
            client_id,
            VIDEO,
            5,
            NOW,
            overlaps_other_meeting=overlaps,
            acknowledge_overlap=False,
        )
