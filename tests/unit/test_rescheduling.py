"""Moves without an offer: at the client's request, reopening a rejected booking, a hub rebooking."""

from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from app.domain import rescheduling
from app.domain.errors import InvalidInput, InvalidState, LateNoticeNotAcknowledged, NotAllowed, TooLate
from app.domain.ledger import credit_moves
from app.domain.meetings import CreditStatus, MeetingState, MeetingStatus
from app.domain.people import Side
from app.domain.policy import ExpertPolicy
from app.domain.rescheduling import ClientProgramme, RescheduleReason
from tests.unit.test_meetings import NOW, START, booked

POLICY = ExpertPolicy()
LATER = START + timedelta(days=1)


def agreed() -> MeetingState:
    return replace(booked(), status=MeetingStatus.AGREED, expert_approved=True)


def test_a_move_at_the_clients_request_agrees_the_meeting_and_blocks_its_credits() -> None:
    unapproved_by_client = replace(
        booked(), client_approved=False, expert_approved=True, credit_status=CreditStatus.NONE
    )
    moved = rescheduling.move_at_clients_request(
        unapproved_by_client, LATER, NOW, overlaps_other_meeting=False, acknowledge_overlap=False
    ).state
    assert (moved.status, moved.credit_status, moved.starts_at) == (MeetingStatus.AGREED, CreditStatus.BLOCKED, LATER)


def test_a_rejected_booking_reopens_as_the_experts_proposal_and_only_a_rejected_one() -> None:
    rejected = replace(booked(), status=MeetingStatus.REJECTED, credit_status=CreditStatus.RETURNED)
    reopened = rescheduling.reopen_rejected(
        rejected, LATER, NOW, overlaps_other_meeting=False, acknowledge_overlap=False
    ).state
    assert (reopened.status, reopened.client_approved, reopened.credit_status) == (
        MeetingStatus.AWAITING_APPROVAL,
        False,
        CreditStatus.NONE,
    )
    assert credit_moves(CreditStatus.RETURNED, CreditStatus.NONE, 50) == []
    with pytest.raises(InvalidState):
        rescheduling.reopen_rejected(agreed(), LATER, NOW, overlaps_other_meeting=False, acknowledge_overlap=False)


def test_a_hub_client_rebooks_with_late_notice_acknowledged_and_a_private_client_may_not() -> None:
    with pytest.raises(NotAllowed):
        rescheduling.rebook(agreed(), ClientProgramme.PRIVATE, LATER, POLICY, NOW, acknowledge_late_notice=False)
    late = START - timedelta(hours=2)
    with pytest.raises(LateNoticeNotAcknowledged):
        rescheduling.rebook(agreed(), ClientProgramme.HUB, LATER, POLICY, late, acknowledge_late_notice=False)
    cancelled, rebooked = rescheduling.rebook(
        agreed(), ClientProgramme.HUB, LATER, POLICY, late, acknowledge_late_notice=True
    )
    assert cancelled.state.settlement_due_at is not None and cancelled.state.credit_status is CreditStatus.BLOCKED
    assert (rebooked.state.status, rebooked.state.starts_at) == (MeetingStatus.AGREED, LATER)


@pytest.mark.parametrize("status", [MeetingStatus.CANCELLED, MeetingStatus.COMPLETED, MeetingStatus.NO_SHOW])
def test_only_awaiting_and_agreed_meetings_move(status: MeetingStatus) -> None:
    with pytest.raises(InvalidState):
        rescheduling.require_movable(replace(agreed(), status=status), NOW)


def test_a_meeting_that_has_started_no_longer_moves() -> None:
    rescheduling.require_movable(agreed(), START - timedelta(seconds=1))
    with pytest.raises(TooLate):
        rescheduling.require_movable(agreed(), START)


LATER = START + timedelta(days=1)
PLAN_TABLE: list[tuple[Side, MeetingStatus, RescheduleReason | None, bool, tuple[datetime, ...], object]] = [
    # side, status, reason, rebook, times: the plan, or the refusal
    (Side.CLIENT, MeetingStatus.AGREED, None, True, (LATER,), rescheduling.Rebook(LATER)),
    (Side.CLIENT, MeetingStatus.AGREED, None, True, (LATER, START), InvalidInput),
    (Side.CLIENT, MeetingStatus.AGREED, None, False, (LATER, START), rescheduling.OfferTimes((LATER, START))),
    (
        Side.EXPERT,
        MeetingStatus.AGREED,
        RescheduleReason.EXPERT_SCHEDULE,
        False,
        (LATER,),
        rescheduling.OfferTimes((LATER,)),
    ),
    (
        Side.EXPERT,
        MeetingStatus.AGREED,
        RescheduleReason.CLIENT_REQUESTED,
        False,
        (LATER,),
        rescheduling.MoveNow(LATER),
    ),
    (Side.EXPERT, MeetingStatus.REJECTED, None, False, (LATER,), rescheduling.Reopen(LATER)),
    (
        Side.EXPERT,
        MeetingStatus.REJECTED,
        RescheduleReason.CLIENT_REQUESTED,
        False,
        (LATER,),
        rescheduling.Reopen(LATER),
    ),
    (Side.EXPERT, MeetingStatus.AGREED, None, False, (LATER,), InvalidInput),
    (Side.EXPERT, MeetingStatus.AGREED, RescheduleReason.CLIENT_REQUESTED, False, (LATER, START), InvalidInput),
    (Side.EXPERT, MeetingStatus.AGREED, RescheduleReason.CLIENT_REQUESTED, True, (LATER,), rescheduling.MoveNow(LATER)),
]


@pytest.mark.parametrize(("side", "status", "reason", "rebook", "times", "expected"), PLAN_TABLE)
def test_who_asks_and_why_decides_how_the_time_changes(
    side: Side,
    status: MeetingStatus,
    reason: RescheduleReason | None,
    rebook: bool,
    times: tuple[datetime, ...],
    expected: object,
) -> None:
    try:
        planned: object = rescheduling.plan(side, status, times, reason=reason, rebook=rebook)
    except InvalidInput:
        planned = InvalidInput
    assert planned == expected


def test_a_hub_client_has_a_fixed_24_hour_window_whatever_the_experts_own() -> None:
    own = ExpertPolicy(client_cancellation_window=timedelta(hours=72))
    hub = rescheduling.policy_for(own, ClientProgramme.HUB)
    assert (hub.client_cancellation_window, hub.hub_client) == (timedelta(hours=24), True)
    assert rescheduling.policy_for(own, ClientProgramme.PRIVATE) == own


def test_only_a_hub_client_may_rebook_a_meeting_that_has_not_started() -> None:
    agreed_meeting = replace(booked(), status=MeetingStatus.AGREED, expert_approved=True)
    assert rescheduling.rebook_refusal(Side.CLIENT, ClientProgramme.HUB, agreed_meeting, NOW) is None
    assert "HUB clients" in str(rescheduling.rebook_refusal(Side.CLIENT, ClientProgramme.PRIVATE, agreed_meeting, NOW))
    assert rescheduling.rebook_refusal(Side.EXPERT, ClientProgramme.HUB, agreed_meeting, NOW) is not None
    assert rescheduling.rebook_refusal(None, ClientProgramme.HUB, agreed_meeting, NOW) is not None
    assert rescheduling.rebook_refusal(Side.CLIENT, ClientProgramme.HUB, agreed_meeting, START) is not None
