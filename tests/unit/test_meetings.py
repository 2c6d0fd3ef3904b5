"""Every allowed and every refused transition of the meeting state machine."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from app.domain import meetings as rules
from app.domain.errors import (
    ConflictNotAcknowledged,
    InvalidInput,
    InvalidState,
    LateNoticeNotAcknowledged,
    NotAllowed,
    Refusal,
    TooLate,
)
from app.domain.meetings import (
    CancelReason,
    CreditStatus,
    DeclineReason,
    MeetingMode,
    MeetingState,
    MeetingStatus,
    SettlementDecision,
    TimelineEventType,
)
from app.domain.people import Side
from app.domain.policy import SETTLEMENT_PERIOD, ExpertPolicy

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
POLICY = ExpertPolicy()
VIDEO = MeetingMode.VIDEO
START = NOW + timedelta(days=5)


def booked(price: int = 50, starts_at: datetime = START) -> MeetingState:
    return rules.booked_by_client(starts_at, 60, price, NOW, mode=VIDEO).state


def proposed(price: int = 50, starts_at: datetime = START) -> MeetingState:
    return rules.proposed_by_expert(
        starts_at, 60, price, NOW, mode=VIDEO, overlaps_other_meeting=False, acknowledge_overlap=False
    ).state


def agreed(price: int = 50, starts_at: datetime = START) -> MeetingState:
    return rules.confirm(booked(price, starts_at), Side.EXPERT, NOW).state


def with_status(status: MeetingStatus) -> MeetingState:
    return replace(agreed(), status=status)


class TestCreation:
    def test_a_client_booking_waits_for_the_expert_with_credits_blocked(self) -> None:
        outcome = rules.booked_by_client(START, 60, 50, NOW, mode=VIDEO)
        assert outcome.event is TimelineEventType.BOOKED_BY_CLIENT
        assert outcome.state.status is MeetingStatus.AWAITING_APPROVAL
        assert (outcome.state.client_approved, outcome.state.expert_approved) == (True, False)
        assert outcome.state.credit_status is CreditStatus.BLOCKED
        assert outcome.state.ends_at == START + timedelta(minutes=60)

    def test_a_free_booking_blocks_nothing(self) -> None:
        assert booked(price=0).credit_status is CreditStatus.NONE

    def test_an_expert_proposal_waits_for_the_client_with_no_credits_moved(self) -> None:
        outcome = rules.proposed_by_expert(
            START, 45, 30, NOW, mode=VIDEO, overlaps_other_meeting=False, acknowledge_overlap=False
        )
        assert outcome.event is TimelineEventType.PROPOSED_BY_EXPERT
        assert (outcome.state.client_approved, outcome.state.expert_approved) == (False, True)
        assert outcome.state.credit_status is CreditStatus.NONE

    def test_an_overlapping_proposal_needs_acknowledgement(self) -> None:
        with pytest.raises(ConflictNotAcknowledged):
            rules.proposed_by_expert(
                START, 60, 0, NOW, mode=VIDEO, overlaps_other_meeting=True, acknowledge_overlap=False
            )
        state = rules.proposed_by_expert(
            START, 60, 0, NOW, mode=VIDEO, overlaps_other_meeting=True, acknowledge_overlap=True
        ).state
        assert state.overlap_acknowledged

    @pytest.mark.parametrize(
        ("starts_at", "duration", "price"),
        [
            (NOW - timedelta(minutes=1), 60, 10),
            (NOW, 60, 10),
            (START.replace(tzinfo=None), 60, 10),
            (START + timedelta(seconds=30), 60, 10),
            (START, 0, 10),
            (START, 4, 10),
            (START, 481, 10),
            (START, 60, -1),
            (START, 60, 1_000_001),
        ],
    )
    def test_out_of_range_values_are_invalid_input(self, starts_at: datetime, duration: int, price: int) -> None:
        with pytest.raises(InvalidInput):
            rules.booked_by_client(starts_at, duration, price, NOW, mode=VIDEO)


class TestConfirm:
    def test_the_expert_confirms_a_client_booking(self) -> None:
        outcome = rules.confirm(booked(), Side.EXPERT, NOW)
        assert outcome.state.status is MeetingStatus.AGREED
        assert outcome.state.credit_status is CreditStatus.BLOCKED
        assert outcome.event is TimelineEventType.APPROVED_BY_EXPERT

    def test_the_client_confirms_a_proposal_and_that_blocks_credits(self) -> None:
        outcome = rules.confirm(proposed(), Side.CLIENT, NOW)
        assert outcome.state.status is MeetingStatus.AGREED
        assert outcome.state.credit_status is CreditStatus.BLOCKED
        assert outcome.event is TimelineEventType.APPROVED_BY_CLIENT

    def test_a_free_proposal_confirmed_blocks_nothing(self) -> None:
        assert rules.confirm(proposed(price=0), Side.CLIENT, NOW).state.credit_status is (CreditStatus.NONE)

    def test_the_side_that_already_approved_may_not_confirm(self) -> None:
        with pytest.raises(NotAllowed):
            rules.confirm(booked(), Side.CLIENT, NOW)
        with pytest.raises(NotAllowed):
            rules.confirm(proposed(), Side.EXPERT, NOW)

    def test_an_expert_confirming_over_another_meeting_must_acknowledge(self) -> None:
        with pytest.raises(ConflictNotAcknowledged):
            rules.confirm(booked(), Side.EXPERT, NOW, overlaps_other_meeting=True)
        outcome = rules.confirm(booked(), Side.EXPERT, NOW, overlaps_other_meeting=True, acknowledge_overlap=True)
        assert outcome.state.overlap_acknowledged

    def test_confirming_after_the_start_is_too_late(self) -> None:
        with pytest.raises(TooLate):
            rules.confirm(booked(), Side.EXPERT, START)

    @pytest.mark.parametrize("status", [s for s in MeetingStatus if s is not MeetingStatus.AWAITING_APPROVAL])
    def test_only_an_awaiting_meeting_can_be_confirmed(self, status: MeetingStatus) -> None:
        with pytest.raises(InvalidState):
            rules.confirm(replace(booked(), status=status), Side.EXPERT, NOW)


class TestDecline:
    def test_the_expert_declines_a_booking_and_credits_return(self) -> None:
        outcome = rules.decline(booked(), Side.EXPERT, NOW, reason=DeclineReason.OTHER)
        assert outcome.state.status is MeetingStatus.REJECTED
        assert outcome.state.credit_status is CreditStatus.RETURNED
        assert outcome.event is TimelineEventType.REJECTED_BY_EXPERT

    def test_the_client_declines_a_proposal_and_no_credits_moved(self) -> None:
        outcome = rules.decline(proposed(), Side.CLIENT, NOW, reason=DeclineReason.OTHER)
        assert outcome.state.status is MeetingStatus.REJECTED
        assert outcome.state.credit_status is CreditStatus.NONE
        assert outcome.event is TimelineEventType.DECLINED_BY_CLIENT

    def test_the_side_that_approved_may_not_decline(self) -> None:
        with pytest.raises(NotAllowed):
            rules.decline(booked(), Side.CLIENT, NOW, reason=DeclineReason.OTHER)

    def test_declining_after_the_start_is_too_late(self) -> None:
        with pytest.raises(TooLate):
            rules.decline(booked(), Side.EXPERT, START + timedelta(minutes=1), reason=DeclineReason.OTHER)

    @pytest.mark.parametrize("status", [s for s in MeetingStatus if s is not MeetingStatus.AWAITING_APPROVAL])
    def test_only_an_awaiting_meeting_can_be_declined(self, status: MeetingStatus) -> None:
        with pytest.raises(InvalidState):
            rules.decline(replace(booked(), status=status), Side.EXPERT, NOW, reason=DeclineReason.OTHER)


class TestCancel:
    def test_a_client_withdraws_an_unconfirmed_booking_for_free(self) -> None:
        outcome = rules.cancel(booked(), Side.CLIENT, POLICY, NOW, acknowledge_late_notice=False)
        assert outcome.state.status is MeetingStatus.CANCELLED
        assert outcome.state.credit_status is CreditStatus.RETURNED

    def test_an_expert_withdraws_an_unanswered_proposal(self) -> None:
        outcome = rules.cancel(proposed(), Side.EXPERT, POLICY, NOW, acknowledge_late_notice=False)
        assert outcome.state.status is MeetingStatus.CANCELLED
        assert outcome.event is TimelineEventType.CANCELLED_BY_EXPERT

    def test_the_side_that_has_not_approved_declines_instead_of_cancelling(self) -> None:
        with pytest.raises(NotAllowed):
            rules.cancel(booked(), Side.EXPERT, POLICY, NOW, acknowledge_late_notice=True)
        with pytest.raises(NotAllowed):
            rules.cancel(proposed(), Side.CLIENT, POLICY, NOW, acknowledge_late_notice=True)

    def test_a_client_cancelling_before_the_window_gets_the_credits_back(self) -> None:
        starts_at = NOW + timedelta(hours=24, minutes=1)
        outcome = rules.cancel(agreed(starts_at=starts_at), Side.CLIENT, POLICY, NOW, acknowledge_late_notice=False)
        assert outcome.state.credit_status is CreditStatus.RETURNED
        assert outcome.state.settlement_due_at is None

    def test_a_client_cancelling_inside_the_window_must_acknowledge(self) -> None:
        starts_at = NOW + timedelta(hours=24)
        with pytest.raises(LateNoticeNotAcknowledged):
            rules.cancel(agreed(starts_at=starts_at), Side.CLIENT, POLICY, NOW, acknowledge_late_notice=False)

    def test_an_acknowledged_late_client_cancel_leaves_credits_for_the_expert_to_settle(
        self,
    ) -> None:
        starts_at = NOW + timedelta(hours=3)
        outcome = rules.cancel(agreed(starts_at=starts_at), Side.CLIENT, POLICY, NOW, acknowledge_late_notice=True)
        assert outcome.state.status is MeetingStatus.CANCELLED
        assert outcome.state.credit_status is CreditStatus.BLOCKED
        assert outcome.state.settlement_due_at == NOW + SETTLEMENT_PERIOD

    def test_a_late_cancel_of_a_free_meeting_has_nothing_to_settle(self) -> None:
        starts_at = NOW + timedelta(hours=3)
        outcome = rules.cancel(
            agreed(price=0, starts_at=starts_at), Side.CLIENT, POLICY, NOW, acknowledge_late_notice=True
        )
        assert outcome.state.settlement_due_at is None
        assert outcome.state.credit_status is CreditStatus.NONE

    def test_the_client_window_is_the_experts_own(self) -> None:
        strict = ExpertPolicy(client_cancellation_window=timedelta(hours=72))
        with pytest.raises(LateNoticeNotAcknowledged):
            rules.cancel(
                agreed(starts_at=NOW + timedelta(hours=48)), Side.CLIENT, strict, NOW, acknowledge_late_notice=False
            )

    def test_an_expert_cancelling_an_agreed_meeting_gives_a_reason(self) -> None:
        with pytest.raises(InvalidInput):
            rules.cancel(agreed(), Side.EXPERT, POLICY, NOW, acknowledge_late_notice=True)

    def test_an_expert_cancelling_always_refunds(self) -> None:
        outcome = rules.cancel(
            agreed(), Side.EXPERT, POLICY, NOW, acknowledge_late_notice=False, reason=CancelReason.ILLNESS
        )
        assert outcome.state.credit_status is CreditStatus.RETURNED
        assert outcome.event is TimelineEventType.CANCELLED_BY_EXPERT

    def test_an_expert_cancelling_at_short_notice_must_acknowledge(self) -> None:
        starts_at = NOW + timedelta(hours=48)
        with pytest.raises(LateNoticeNotAcknowledged):
            rules.cancel(
                agreed(starts_at=starts_at),
                Side.EXPERT,
                POLICY,
                NOW,
                acknowledge_late_notice=False,
                reason=CancelReason.ILLNESS,
            )
        outcome = rules.cancel(
            agreed(starts_at=starts_at),
            Side.EXPERT,
            POLICY,
            NOW,
            acknowledge_late_notice=True,
            reason=CancelReason.ILLNESS,
        )
        assert outcome.state.credit_status is CreditStatus.RETURNED

    def test_cancelling_after_the_start_is_too_late(self) -> None:
        with pytest.raises(TooLate):
            rules.cancel(
                agreed(), Side.EXPERT, POLICY, START, acknowledge_late_notice=True, reason=CancelReason.ILLNESS
            )

    @pytest.mark.parametrize(
        "status",
        [s for s in MeetingStatus if s not in (MeetingStatus.AWAITING_APPROVAL, MeetingStatus.AGREED)],
    )
    def test_only_awaiting_or_agreed_meetings_can_be_cancelled(self, status: MeetingStatus) -> None:
        for side in Side:
            with pytest.raises(InvalidState):
                rules.cancel(with_status(status), side, POLICY, NOW, acknowledge_late_notice=True)


class TestSettle:
    def late_cancelled(self) -> MeetingState:
        starts_at = NOW + timedelta(hours=3)
        return rules.cancel(agreed(starts_at=starts_at), Side.CLIENT, POLICY, NOW, acknowledge_late_notice=True).state

    def test_the_expert_charges_the_full_price(self) -> None:
        outcome = rules.settle(self.late_cancelled(), Side.EXPERT, SettlementDecision.CHARGE, NOW)
        assert outcome.state.credit_status is CreditStatus.CHARGED
        assert outcome.state.settlement_due_at is None
        assert outcome.event is TimelineEventType.CHARGED_BY_EXPERT

    def test_the_expert_waives(self) -> None:
        outcome = rules.settle(self.late_cancelled(), Side.EXPERT, SettlementDecision.WAIVE, NOW)
        assert outcome.state.credit_status is CreditStatus.RETURNED
        assert outcome.event is TimelineEventType.CHARGE_WAIVED

    def test_the_client_may_not_settle(self) -> None:
        with pytest.raises(NotAllowed):
            rules.settle(self.late_cancelled(), Side.CLIENT, SettlementDecision.WAIVE, NOW)

    def test_settling_after_the_period_is_too_late(self) -> None:
        later = NOW + SETTLEMENT_PERIOD + timedelta(seconds=1)
        with pytest.raises(TooLate):
            rules.settle(self.late_cancelled(), Side.EXPERT, SettlementDecision.CHARGE, later)

    @pytest.mark.parametrize("state_name", ["booked", "agreed", "settled", "early_cancel"])
    def test_nothing_to_settle_is_invalid_state(self, state_name: str) -> None:
        states = {
            "booked": booked(),
            "agreed": agreed(),
            "settled": rules.settle(self.late_cancelled(), Side.EXPERT, SettlementDecision.WAIVE, NOW).state,
            "early_cancel": rules.cancel(agreed(), Side.CLIENT, POLICY, NOW, acknowledge_late_notice=False).state,
        }
        with pytest.raises(InvalidState):
            rules.settle(states[state_name], Side.EXPERT, SettlementDecision.CHARGE, NOW)


def test_meeting_status_has_exactly_the_domain_values() -> None:
    assert {s.value for s in MeetingStatus} == {
        "AWAITING_APPROVAL",
        "AGREED",
        "REJECTED",
        "EXPIRED",
        "CANCELLED",
        "IN_PROGRESS",
        "NO_SHOW",
        "COMPLETED",
    }


def test_intervals_touching_at_the_edge_do_not_overlap() -> None:
    ten, eleven, noon = (NOW.replace(hour=h) for h in (10, 11, 12))
    assert not rules.overlaps(ten, eleven, eleven, noon)
    assert rules.overlaps(ten, noon, eleven, noon)


def test_every_refusal_has_a_distinct_code() -> None:
    codes = [cls.code for cls in Refusal.__subclasses__()]
    assert len(codes) == len(set(codes)) == 15


class TestClaimsNewTime:
    """Mirrors the database guard's condition (migrations 0006 and 0012), which the repository
    asks before a plain save."""

    def test_approving_moving_or_reactivating_takes_new_time(self) -> None:
        assert rules.claims_new_time(booked(), agreed())
        assert rules.claims_new_time(agreed(), replace(agreed(), starts_at=START + timedelta(hours=1)))
        assert rules.claims_new_time(agreed(), replace(agreed(), duration_minutes=90))
        assert rules.claims_new_time(with_status(MeetingStatus.REJECTED), booked())

    def test_dropping_an_acknowledgement_takes_new_time(self) -> None:
        acknowledged = replace(agreed(), overlap_acknowledged=True)
        assert rules.claims_new_time(acknowledged, agreed())

    def test_a_meeting_agreed_over_an_acknowledged_overlap_takes_none(self) -> None:
        acknowledged = replace(agreed(), overlap_acknowledged=True)
        joined = replace(acknowledged, status=MeetingStatus.IN_PROGRESS, client_joined_at=NOW)
        assert not rules.claims_new_time(acknowledged, acknowledged)
        assert not rules.claims_new_time(acknowledged, joined)
        assert not rules.claims_new_time(agreed(), replace(agreed(), starts_at=START, overlap_acknowledged=True))

    def test_leaving_the_active_statuses_takes_none(self) -> None:
        assert not rules.claims_new_time(agreed(), with_status(MeetingStatus.CANCELLED))
        assert not rules.claims_new_time(agreed(), agreed())


class TestDiscount:
    def charged(self) -> MeetingState:
        starts_at = NOW + timedelta(hours=3)
        late = rules.cancel(agreed(starts_at=starts_at), Side.CLIENT, POLICY, NOW, acknowledge_late_notice=True)
        return rules.settle(late.state, Side.EXPERT, SettlementDecision.CHARGE, NOW).state

    @pytest.mark.parametrize(
        ("spec", "amount"),
        [({"percent": 50}, 25), ({"percent": 3}, 1), ({"credits": 20}, 20), ({"free": True}, 50)],
    )
    def test_a_discount_is_a_percentage_an_amount_or_all(self, spec: dict[str, object], amount: int) -> None:
        given = {"percent": None, "credits": None, "free": False, **spec}
        assert rules.discount_amount(50, **given) == amount  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        "spec",
        [
            {},
            {"percent": 10, "credits": 5},
            {"credits": 5, "free": True},
            {"percent": 0},
            {"percent": 101},
            {"percent": 1},  # 1 % of 50 rounds down to nothing
            {"credits": 0},
            {"credits": 51},
        ],
    )
    def test_a_discount_must_return_something_and_at_most_the_price(self, spec: dict[str, object]) -> None:
        given = {"percent": None, "credits": None, "free": False, **spec}
        with pytest.raises(InvalidInput):
            rules.discount_amount(50, **given)  # type: ignore[arg-type]

    def test_the_expert_discounts_a_charged_meeting_once(self) -> None:
        outcome = rules.discount(self.charged(), Side.EXPERT, 20, settled=False)
        assert outcome.state.discount_credits == 20
        assert outcome.state.credit_status is CreditStatus.CHARGED
        assert outcome.event is TimelineEventType.DISCOUNTED_BY_EXPERT
        assert outcome.details == {"credits": 20, "free": False}
        with pytest.raises(InvalidState, match="discounted already"):
            rules.discount(outcome.state, Side.EXPERT, 5, settled=False)

    def test_only_the_expert_before_settlement_on_a_charged_meeting(self) -> None:
        with pytest.raises(NotAllowed):
            rules.discount(self.charged(), Side.CLIENT, 20, settled=False)
        with pytest.raises(TooLate):
            rules.discount(self.charged(), Side.EXPERT, 20, settled=True)
        for state in (booked(), agreed()):
            with pytest.raises(InvalidState):
                rules.discount(state, Side.EXPERT, 20, settled=False)
