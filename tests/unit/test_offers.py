"""Offers and moves in the domain: what each answer does to the meeting, and every refusal."""

from dataclasses import replace
from datetime import timedelta

import pytest

from app.domain import offers
from app.domain.errors import (
    ConflictNotAcknowledged,
    InvalidInput,
    InvalidState,
    LimitExceeded,
    NotAllowed,
    TooLate,
)
from app.domain.meetings import (
    CreditStatus,
    DeclineReason,
    MeetingMode,
    MeetingState,
    MeetingStatus,
    TimelineEventType,
)
from app.domain.offers import OfferPurpose, OfferStatus
from app.domain.people import Side
from app.domain.policy import ExpertPolicy
from tests.unit.test_meetings import NOW, START, booked

POLICY = ExpertPolicy()
LATER = START + timedelta(days=1)


def agreed() -> MeetingState:
    return replace(booked(), status=MeetingStatus.AGREED, expert_approved=True)


def test_an_expert_offer_holds_its_times_and_expires_at_24_hours_or_the_start() -> None:
    made = offers.offer_times(agreed(), Side.EXPERT, [LATER + timedelta(hours=2), LATER], NOW)
    assert made.offer.times == (LATER, LATER + timedelta(hours=2))
    assert made.offer.holds_times and made.offer.purpose is OfferPurpose.EXPERT_RESCHEDULE
    assert made.offer.expires_at == NOW + timedelta(hours=24)
    assert made.meeting.state == agreed() and made.meeting.event is TimelineEventType.TIMES_OFFERED
    soon = replace(agreed(), starts_at=NOW + timedelta(hours=3))
    assert offers.offer_times(soon, Side.EXPERT, [LATER], NOW).offer.expires_at == soon.starts_at


def test_offered_times_are_one_to_five_new_valid_starts() -> None:
    with pytest.raises(InvalidInput):
        offers.offer_times(agreed(), Side.EXPERT, [], NOW)
    with pytest.raises(LimitExceeded):
        offers.offer_times(agreed(), Side.EXPERT, [LATER + timedelta(hours=i) for i in range(6)], NOW)
    with pytest.raises(InvalidInput):
        offers.offer_times(agreed(), Side.EXPERT, [NOW - timedelta(hours=1)], NOW)
    with pytest.raises(InvalidInput):
        offers.offer_times(agreed(), Side.EXPERT, [START], NOW)
    with pytest.raises(ConflictNotAcknowledged):
        offers.offer_times(agreed(), Side.EXPERT, [LATER], NOW, overlaps_other_meeting=True)
    with pytest.raises(InvalidState):
        offers.offer_times(replace(booked(), status=MeetingStatus.CANCELLED), Side.CLIENT, [LATER], NOW)
    with pytest.raises(TooLate):
        offers.offer_times(agreed(), Side.EXPERT, [LATER], START)


def test_picking_moves_the_meeting_and_rejecting_cancels_only_an_experts_offer() -> None:
    expert_offer = offers.offer_times(agreed(), Side.EXPERT, [LATER, LATER + timedelta(hours=2)], NOW).offer
    picked = offers.accept(expert_offer, agreed(), Side.CLIENT, NOW, starts_at=LATER)
    assert picked.offer.status is OfferStatus.ACCEPTED and picked.offer.picked_starts_at == LATER
    assert picked.meeting.state.starts_at == LATER and picked.meeting.state.status is MeetingStatus.AGREED
    with pytest.raises(InvalidInput):
        offers.accept(expert_offer, agreed(), Side.CLIENT, NOW)  # which of the two?
    with pytest.raises(NotAllowed):
        offers.accept(expert_offer, agreed(), Side.EXPERT, NOW, starts_at=LATER)
    with pytest.raises(TooLate):
        offers.accept(expert_offer, agreed(), Side.CLIENT, expert_offer.expires_at, starts_at=LATER)

    rejected = offers.reject(expert_offer, agreed(), Side.CLIENT, NOW).meeting.state
    assert (rejected.status, rejected.credit_status, rejected.cancelled_by_side) == (
        MeetingStatus.CANCELLED,
        CreditStatus.RETURNED,
        Side.EXPERT,
    )
    proposal = offers.offer_times(agreed(), Side.CLIENT, [LATER], NOW).offer
    assert offers.reject(proposal, agreed(), Side.EXPERT, NOW).meeting.state == agreed()
    with pytest.raises(ConflictNotAcknowledged):
        offers.accept(proposal, agreed(), Side.EXPERT, NOW, overlaps_other_meeting=True)


def test_only_the_maker_withdraws_and_only_pending_offers_change() -> None:
    proposal = offers.offer_times(agreed(), Side.CLIENT, [LATER], NOW).offer
    with pytest.raises(NotAllowed):
        offers.withdraw(proposal, agreed(), Side.EXPERT, NOW)
    withdrawn = offers.withdraw(proposal, agreed(), Side.CLIENT, NOW).offer
    with pytest.raises(InvalidState):
        offers.withdraw(withdrawn, agreed(), Side.CLIENT, NOW)
    with pytest.raises(InvalidState):
        offers.reject(withdrawn, agreed(), Side.EXPERT, NOW)
    with pytest.raises(InvalidState):
        offers.accept(withdrawn, agreed(), Side.EXPERT, NOW)
    assert offers.expire(withdrawn, agreed(), START) is None


def test_expiry_cancels_an_experts_offer_and_lets_a_proposal_lapse() -> None:
    expert_offer = offers.offer_times(agreed(), Side.EXPERT, [LATER], NOW).offer
    assert offers.expire(expert_offer, agreed(), expert_offer.expires_at - timedelta(seconds=1)) is None
    expired = offers.expire(expert_offer, agreed(), expert_offer.expires_at)
    assert expired is not None and expired.meeting.state.status is MeetingStatus.CANCELLED
    proposal = offers.offer_times(agreed(), Side.CLIENT, [LATER], NOW).offer
    lapsed = offers.expire(proposal, agreed(), START)
    assert lapsed is not None and lapsed.meeting.state == agreed()
    assert offers.outlived(proposal, agreed(), replace(agreed(), status=MeetingStatus.CANCELLED))
    assert offers.outlived(proposal, agreed(), replace(agreed(), starts_at=LATER))
    assert not offers.outlived(proposal, agreed(), replace(agreed(), client_joined_at=NOW))


def test_a_change_of_place_is_the_experts_and_drops_the_room_for_in_person() -> None:
    with_room = replace(agreed(), room_url="https://rooms/x")
    made = offers.offer_location(with_room, Side.EXPERT, MeetingMode.IN_PERSON, "2 Mill Lane", NOW)
    accepted = offers.accept(made.offer, with_room, Side.CLIENT, NOW).meeting.state
    assert (accepted.mode, accepted.location, accepted.room_url) == (MeetingMode.IN_PERSON, "2 Mill Lane", None)
    with pytest.raises(NotAllowed):
        offers.offer_location(with_room, Side.CLIENT, MeetingMode.IN_PERSON, "Here", NOW)
    with pytest.raises(InvalidInput):
        offers.offer_location(with_room, Side.EXPERT, MeetingMode.IN_PERSON, None, NOW)
    with pytest.raises(InvalidInput):
        offers.offer_location(with_room, Side.EXPERT, MeetingMode.VIDEO, None, NOW)


def test_only_an_expert_picking_a_clients_time_checks_it_against_their_other_meetings() -> None:
    experts = offers.offer_times(agreed(), Side.EXPERT, [LATER, LATER + timedelta(hours=2)], NOW).offer
    clients = offers.offer_times(agreed(), Side.CLIENT, [LATER, LATER + timedelta(hours=2)], NOW).offer
    assert offers.overlap_check_time(clients, Side.EXPERT, LATER) == LATER  # not held: the expert's pick
    with pytest.raises(InvalidInput):  # two times offered: the pick must say which
        offers.overlap_check_time(clients, Side.EXPERT, None)
    assert offers.overlap_check_time(experts, Side.CLIENT, LATER) is None  # held by the offer
    assert offers.overlap_check_time(clients, Side.CLIENT, LATER) is None  # only the expert answers for it
    assert offers.answers_for_overlaps(Side.EXPERT) and not offers.answers_for_overlaps(Side.CLIENT)


def test_a_change_of_place_the_client_asked_for_applies_at_once_and_drops_the_room_in_person() -> None:
    with_room = replace(agreed(), room_url="/rooms/x")
    moved = offers.move_place_at_clients_request(with_room, Side.EXPERT, MeetingMode.IN_PERSON, "2 Mill Lane", NOW)
    assert (moved.state.mode, moved.state.location, moved.state.room_url) == (
        MeetingMode.IN_PERSON,
        "2 Mill Lane",
        None,
    )
    assert moved.state.status is MeetingStatus.AGREED and moved.event is TimelineEventType.LOCATION_CHANGED
    with pytest.raises(NotAllowed):
        offers.move_place_at_clients_request(with_room, Side.CLIENT, MeetingMode.IN_PERSON, "2 Mill Lane", NOW)
    with pytest.raises(InvalidInput):  # nothing would change
        offers.move_place_at_clients_request(with_room, Side.EXPERT, with_room.mode, None, NOW)


def test_declining_a_session_request_keeps_the_reason_given() -> None:
    requested = replace(booked(), starts_at=None, status=MeetingStatus.AWAITING_APPROVAL)
    request = replace(
        offers.offer_times(agreed(), Side.CLIENT, [LATER], NOW).offer, purpose=OfferPurpose.SESSION_REQUEST
    )
    declined = offers.reject(request, requested, Side.EXPERT, NOW, reason=DeclineReason.OUTSIDE_EXPERTISE)
    assert declined.meeting.state.decline_reason is DeclineReason.OUTSIDE_EXPERTISE
    assert declined.meeting.details["reason"] == "OUTSIDE_EXPERTISE"
    plain = offers.reject(request, requested, Side.EXPERT, NOW)
    assert plain.meeting.state.decline_reason is DeclineReason.NOT_AVAILABLE
