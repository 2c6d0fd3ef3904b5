from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from app.domain import billing
from app.domain import meetings as rules
from app.domain.billing import PerMinute, blocked_for, validate_per_minute
from app.domain.errors import InvalidInput, InvalidState, NotAllowed
from app.domain.ledger import LedgerKind, Move, credit_moves
from app.domain.meetings import CreditStatus, MeetingMode, MeetingState, MeetingStatus, TimelineEventType
from app.domain.people import Side
from app.domain.policy import ExpertPolicy

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
TERMS = PerMinute(rate_credits=2, minimum_minutes=15, cap_minutes=60)


def in_session(terms: PerMinute = TERMS, duration: int = 90) -> MeetingState:
    """A per-minute session both sides have joined, its cap blocked."""
    booked = rules.booked_by_client(
        NOW, duration, blocked_for(terms, duration), NOW - timedelta(days=1), mode=MeetingMode.VIDEO
    )
    return replace(
        booked.state,
        status=MeetingStatus.IN_PROGRESS,
        client_approved=True,
        expert_approved=True,
        client_joined_at=NOW,
        expert_joined_at=NOW,
        rate_credits=terms.rate_credits,
        minimum_minutes=terms.minimum_minutes,
    )


def at(minutes: float) -> datetime:
    return NOW + timedelta(minutes=minutes)


def test_a_booking_blocks_the_rate_times_the_cap_or_the_duration() -> None:
    assert blocked_for(TERMS, 90) == 120
    assert blocked_for(PerMinute(rate_credits=3), 45) == 135
    assert blocked_for(PerMinute(rate_credits=3, minimum_minutes=60), 45) == 180  # never below the minimum
    assert blocked_for(TERMS, 30) == 60  # nor beyond the booked duration


@pytest.mark.parametrize(
    "terms",
    [
        PerMinute(rate_credits=0),
        PerMinute(rate_credits=10_001),
        PerMinute(rate_credits=1, minimum_minutes=-1),
        PerMinute(rate_credits=1, minimum_minutes=30, cap_minutes=20),
        PerMinute(rate_credits=1, cap_minutes=0),
        PerMinute(rate_credits=1, cap_minutes=24 * 60 + 1),
    ],
)
def test_per_minute_terms_are_checked(terms: PerMinute) -> None:
    with pytest.raises(InvalidInput):
        validate_per_minute(terms)


def test_the_charge_counts_started_minutes_between_the_minimum_and_the_cap() -> None:
    started = billing.start(in_session(), Side.EXPERT, at(2)).state
    assert rules.charge_for(started, at(12)) == 30  # 10 minutes: the 15-minute minimum
    assert rules.charge_for(started, at(22) + timedelta(seconds=1)) == 42  # 20 min 1 s: 21 started minutes
    assert rules.charge_for(started, at(200)) == 120  # capped at 60 minutes


def test_pauses_do_not_count_and_the_end_returns_the_rest() -> None:
    state = in_session()
    state = billing.start(state, Side.EXPERT, at(5)).state
    paused = billing.pause(state, Side.EXPERT, at(25))
    assert (paused.event, paused.details) == (TimelineEventType.BILLABLE_TIME_PAUSED, {"billedSeconds": 1200})
    state = billing.resume(paused.state, Side.EXPERT, at(40)).state
    ended = rules.end_by_expert(state, Side.EXPERT, at(50)).state
    assert (ended.price_credits, ended.billed_seconds, ended.billing_since) == (60, 1800, None)  # 20 + 10 minutes
    assert ended.credit_status is CreditStatus.CHARGED
    assert credit_moves(CreditStatus.BLOCKED, CreditStatus.CHARGED, 60, 15, blocked=120) == [
        Move(Side.CLIENT, LedgerKind.CHARGE, 60),
        Move(Side.CLIENT, LedgerKind.RELEASE, 60),
        Move(Side.EXPERT, LedgerKind.EARNING, 51),
        Move(Side.EXPERT, LedgerKind.PLATFORM_FEE, 9),
    ]


def test_a_session_whose_billable_time_never_started_costs_nothing() -> None:
    ended = rules.complete_at_end(in_session(), ExpertPolicy(), at(90))
    assert ended is not None and ended.state.price_credits == 0
    assert credit_moves(CreditStatus.BLOCKED, CreditStatus.CHARGED, 0, 15, blocked=120) == [
        Move(Side.CLIENT, LedgerKind.RELEASE, 120)
    ]


def test_a_late_cancelled_per_minute_session_charges_its_minimum() -> None:
    cancelled = replace(
        in_session(), status=MeetingStatus.CANCELLED, credit_status=CreditStatus.BLOCKED, settlement_due_at=at(60)
    )
    charged = rules.settle(cancelled, Side.EXPERT, rules.SettlementDecision.CHARGE, at(1)).state
    assert (charged.price_credits, charged.credit_status) == (30, CreditStatus.CHARGED)


def test_billable_time_refusals() -> None:
    state = in_session()
    with pytest.raises(NotAllowed):
        billing.start(state, Side.CLIENT, at(1))
    with pytest.raises(InvalidState, match="fixed price"):
        billing.start(replace(state, rate_credits=None), Side.EXPERT, at(1))
    with pytest.raises(InvalidState, match="both sides are in the session"):
        billing.start(replace(state, status=MeetingStatus.AGREED), Side.EXPERT, at(1))
    with pytest.raises(InvalidState, match="not running"):
        billing.pause(state, Side.EXPERT, at(1))
    with pytest.raises(InvalidState, match="has not started"):
        billing.resume(state, Side.EXPERT, at(1))
    running = billing.start(state, Side.EXPERT, at(1)).state
    with pytest.raises(InvalidState, match="started already"):
        billing.start(running, Side.EXPERT, at(2))
    with pytest.raises(InvalidState, match="is running"):
        billing.resume(running, Side.EXPERT, at(2))
    paused = billing.pause(running, Side.EXPERT, at(3)).state
    with pytest.raises(InvalidState, match="started already"):
        billing.start(paused, Side.EXPERT, at(4))


def test_a_fixed_price_session_ends_as_before() -> None:
    fixed = replace(in_session(), rate_credits=None, minimum_minutes=0, price_credits=50)
    assert rules.end_by_expert(fixed, Side.EXPERT, at(10)).state.price_credits == 50


def test_billable_time_stops_at_the_sessions_end_however_late_it_completes() -> None:
    running = billing.start(in_session(duration=30), Side.EXPERT, at(10)).state
    completed = rules.complete_at_end(running, ExpertPolicy(), at(75))
    assert completed is not None
    assert (completed.state.billed_seconds, completed.state.price_credits) == (1200, 40)  # minutes 10 to 30
