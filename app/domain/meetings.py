"""The meeting state machine: who may do what, when, and what it does to credits.

Every function takes the meeting's current `MeetingState` and returns an
`Outcome` (the next state, the timeline event it writes and that event's
details) or raises a `Refusal`. Persisting, notifying and moving credits is the
service layer's job: it looks the outcome's effects up by its event type.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

from app.domain.errors import (
    ConflictNotAcknowledged,
    InvalidInput,
    InvalidState,
    LateNoticeNotAcknowledged,
    NotAllowed,
    Refusal,
    TooLate,
    TooSoon,
)
from app.domain.people import Side
from app.domain.policy import SETTLEMENT_PERIOD, ExpertPolicy
from app.domain.text import optional_message


class MeetingStatus(StrEnum):
    AWAITING_APPROVAL = "AWAITING_APPROVAL"
    AGREED = "AGREED"
    REJECTED = "REJECTED"
    EXPIRED = "EXPIRED"
    CANCELLED = "CANCELLED"
    IN_PROGRESS = "IN_PROGRESS"
    NO_SHOW = "NO_SHOW"
    COMPLETED = "COMPLETED"


ACTIVE_STATUSES = frozenset({MeetingStatus.AWAITING_APPROVAL, MeetingStatus.AGREED, MeetingStatus.IN_PROGRESS})
"""Statuses that occupy time. "Busy" has one definition: a person is busy while an
active meeting they take part in, on either side, runs (half-open intervals).
The service asks it in `services/busy.py`, the database guard in migration 0006."""


def claims_new_time(before: "MeetingState", after: "MeetingState") -> bool:
    """Whether writing `after` over `before` can meet the double-booking guard: the
    meeting takes time it did not hold already (the guard's own condition, migrations 0006 and
    0012). A meeting agreed over an acknowledged overlap never meets it."""
    if after.status not in ACTIVE_STATUSES or after.starts_at is None or after.overlap_acknowledged:
        return False
    return (
        before.status not in ACTIVE_STATUSES
        or before.starts_at != after.starts_at
        or before.duration_minutes != after.duration_minutes
        or before.overlap_acknowledged
        or (not before.expert_approved and after.expert_approved)
    )


class CreditStatus(StrEnum):
    NONE = "NONE"
    BLOCKED = "BLOCKED"
    RETURNED = "RETURNED"
    CHARGED = "CHARGED"


class MeetingMode(StrEnum):
    CHAT = "CHAT"
    AUDIO = "AUDIO"
    VIDEO = "VIDEO"
    IN_PERSON = "IN_PERSON"


ONLINE_MODES = frozenset({MeetingMode.VIDEO, MeetingMode.AUDIO, MeetingMode.CHAT})
"""Modes that meet in a room."""


class MeetingKind(StrEnum):
    SCHEDULED = "SCHEDULED"
    INSTANT = "INSTANT"


class DeclineReason(StrEnum):
    NOT_AVAILABLE = "NOT_AVAILABLE"
    OUTSIDE_EXPERTISE = "OUTSIDE_EXPERTISE"
    SCHEDULE_CONFLICT = "SCHEDULE_CONFLICT"
    NEEDS_MORE_INFORMATION = "NEEDS_MORE_INFORMATION"
    OTHER = "OTHER"


class CancelReason(StrEnum):
    CLIENT_REQUESTED = "CLIENT_REQUESTED"
    SCHEDULE_CONFLICT = "SCHEDULE_CONFLICT"
    ILLNESS = "ILLNESS"
    EMERGENCY = "EMERGENCY"
    OTHER = "OTHER"


class SettlementDecision(StrEnum):
    CHARGE = "CHARGE"
    WAIVE = "WAIVE"


class TimelineEventType(StrEnum):
    BOOKED_BY_CLIENT = "BOOKED_BY_CLIENT"
    PROPOSED_BY_EXPERT = "PROPOSED_BY_EXPERT"
    APPROVED_BY_CLIENT = "APPROVED_BY_CLIENT"
    APPROVED_BY_EXPERT = "APPROVED_BY_EXPERT"
    DECLINED_BY_CLIENT = "DECLINED_BY_CLIENT"
    REJECTED_BY_EXPERT = "REJECTED_BY_EXPERT"
    CANCELLED_BY_CLIENT = "CANCELLED_BY_CLIENT"
    CANCELLED_BY_EXPERT = "CANCELLED_BY_EXPERT"
    CHARGED_BY_EXPERT = "CHARGED_BY_EXPERT"
    CHARGE_WAIVED = "CHARGE_WAIVED"
    DISCOUNTED_BY_EXPERT = "DISCOUNTED_BY_EXPERT"
    BILLABLE_TIME_STARTED = "BILLABLE_TIME_STARTED"
    BILLABLE_TIME_PAUSED = "BILLABLE_TIME_PAUSED"
    BILLABLE_TIME_RESUMED = "BILLABLE_TIME_RESUMED"
    JOINED_BY_CLIENT = "JOINED_BY_CLIENT"
    JOINED_BY_EXPERT = "JOINED_BY_EXPERT"
    STARTED = "STARTED"
    ENDED_BY_EXPERT = "ENDED_BY_EXPERT"
    COMPLETED = "COMPLETED"
    NO_SHOW = "NO_SHOW"
    EXPIRED = "EXPIRED"
    NOTE_ADDED = "NOTE_ADDED"
    REVIEWED = "REVIEWED"
    REQUESTED_BY_CLIENT = "REQUESTED_BY_CLIENT"
    TAKEN_INSTANTLY = "TAKEN_INSTANTLY"
    RESCHEDULED = "RESCHEDULED"
    REBOOKED_BY_CLIENT = "REBOOKED_BY_CLIENT"
    TIMES_OFFERED = "TIMES_OFFERED"
    LOCATION_OFFERED = "LOCATION_OFFERED"
    LOCATION_CHANGED = "LOCATION_CHANGED"
    OFFER_ACCEPTED = "OFFER_ACCEPTED"
    OFFER_REJECTED = "OFFER_REJECTED"
    OFFER_WITHDRAWN = "OFFER_WITHDRAWN"
    OFFER_EXPIRED = "OFFER_EXPIRED"


MIN_DURATION_MINUTES = 5
MAX_DURATION_MINUTES = 8 * 60
MAX_PRICE_CREDITS = 1_000_000
MAX_DAYS_AHEAD = 2 * 365
"""No meeting is set further ahead than this (an expert's own horizon is usually shorter)."""


@dataclass(frozen=True)
class MeetingState:
    """Every field of a meeting that a rule reads or changes.

    Field names are the stored column names (the repository maps them one to one).
    """

    status: MeetingStatus
    starts_at: datetime | None
    """None only while a requested session waits for the expert to pick a time (`start`)."""
    duration_minutes: int
    price_credits: int
    credit_status: CreditStatus
    client_approved: bool
    expert_approved: bool
    mode: MeetingMode
    location: str | None = None
    overlap_acknowledged: bool = False
    settlement_due_at: datetime | None = None
    client_joined_at: datetime | None = None
    expert_joined_at: datetime | None = None
    completed_at: datetime | None = None
    decline_reason: DeclineReason | None = None
    cancel_reason: CancelReason | None = None
    cancelled_by_side: Side | None = None
    room_url: str | None = None
    discount_credits: int = 0
    """Returned to the client after the charge (the expert's discount); the price paid is
    price_credits less this."""
    rate_credits: int | None = None
    """Per-minute sessions (domain/billing.py): credits a minute; price_credits is then the
    most it may cost until it ends, and its charge after."""
    minimum_minutes: int = 0
    billed_seconds: int = 0
    """Billable time before the running stretch, if any."""
    billing_since: datetime | None = None
    """When the running stretch of billable time began; None while not running."""

    @property
    def start(self) -> datetime:
        """The start, for rules that need one; a requested session has none yet."""
        if self.starts_at is None:
            raise InvalidState("the meeting has no start time yet")
        return self.starts_at

    @property
    def ends_at(self) -> datetime:
        return self.start + timedelta(minutes=self.duration_minutes)

    def approved_by(self, side: Side) -> bool:
        return self.client_approved if side is Side.CLIENT else self.expert_approved

    def joined_at(self, side: Side) -> datetime | None:
        return self.client_joined_at if side is Side.CLIENT else self.expert_joined_at


Details = Mapping[str, str | int | bool | None]


@dataclass(frozen=True)
class Outcome:
    state: MeetingState
    event: TimelineEventType
    details: Details = field(default_factory=dict)
    """What the timeline keeps besides the new state (reasons, messages, decisions)."""


class ClockRule(Protocol):
    """A change the clock makes when its moment comes; None when nothing is due."""

    def __call__(self, state: MeetingState, policy: ExpertPolicy, now: datetime) -> Outcome | None: ...


def validate_new_time(starts_at: datetime, duration_minutes: int, now: datetime) -> None:
    if starts_at.tzinfo is None:
        raise InvalidInput("startsAt needs a UTC offset")
    if starts_at.second or starts_at.microsecond:
        raise InvalidInput("startsAt must fall on a whole minute")
    if starts_at <= now:
        raise InvalidInput("startsAt is in the past")
    if starts_at - now > timedelta(days=MAX_DAYS_AHEAD):
        raise InvalidInput(f"startsAt is more than {MAX_DAYS_AHEAD} days ahead")
    if not MIN_DURATION_MINUTES <= duration_minutes <= MAX_DURATION_MINUTES:
        raise InvalidInput(f"durationMinutes must be between {MIN_DURATION_MINUTES} and {MAX_DURATION_MINUTES}")


def validate_price(price_credits: int) -> None:
    if not 0 <= price_credits <= MAX_PRICE_CREDITS:
        raise InvalidInput(f"priceCredits must be between 0 and {MAX_PRICE_CREDITS}")


def _awaiting(
    created_by: Side,
    starts_at: datetime,
    duration_minutes: int,
    price_credits: int,
    now: datetime,
    mode: MeetingMode,
    location: str | None,
) -> MeetingState:
    """A new meeting: approved by the side that made it, waiting for the other."""
    validate_new_time(starts_at, duration_minutes, now)
    validate_price(price_credits)
    by_client = created_by is Side.CLIENT
    return MeetingState(
        status=MeetingStatus.AWAITING_APPROVAL,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        price_credits=price_credits,
        credit_status=CreditStatus.BLOCKED if by_client and price_credits else CreditStatus.NONE,
        client_approved=by_client,
        expert_approved=not by_client,
        mode=mode,
        location=location,
    )


def booked_by_client(
    starts_at: datetime,
    duration_minutes: int,
    price_credits: int,
    now: datetime,
    *,
    mode: MeetingMode,
    location: str | None = None,
) -> Outcome:
    """A client's booking blocks the credits at once; the expert answers."""
    state = _awaiting(Side.CLIENT, starts_at, duration_minutes, price_credits, now, mode, location)
    return Outcome(state, TimelineEventType.BOOKED_BY_CLIENT)


def proposed_by_expert(
    starts_at: datetime,
    duration_minutes: int,
    price_credits: int,
    now: datetime,
    *,
    mode: MeetingMode,
    location: str | None = None,
    overlaps_other_meeting: bool,
    acknowledge_overlap: bool,
) -> Outcome:
    """An expert's proposal blocks nothing until the client confirms."""
    state = _awaiting(Side.EXPERT, starts_at, duration_minutes, price_credits, now, mode, location)
    require_overlap_acknowledged(overlaps_other_meeting, acknowledge_overlap)
    return Outcome(replace(state, overlap_acknowledged=overlaps_other_meeting), TimelineEventType.PROPOSED_BY_EXPERT)


def require_overlap_acknowledged(overlaps: bool, acknowledged: bool) -> None:
    if overlaps and not acknowledged:
        raise ConflictNotAcknowledged(
            "this overlaps another of the expert's meetings; acknowledge the overlap to go ahead"
        )


def unapproved_side(state: MeetingState) -> Side | None:
    """The side that answers (confirms or declines); an admin answers for it."""
    if not state.expert_approved:
        return Side.EXPERT
    if not state.client_approved:
        return Side.CLIENT
    return None


ADMIN_CANCELS_AS = Side.EXPERT
"""An admin cancelling without naming a side cancels for the expert: a full refund."""

SETTLING_SIDE = Side.EXPERT
"""The side that charges or waives (an admin acts for it)."""


def _require_awaiting_answer_from(state: MeetingState, side: Side, now: datetime) -> None:
    if state.status is not MeetingStatus.AWAITING_APPROVAL:
        raise InvalidState(f"the meeting is {state.status.value}, not awaiting approval")
    if state.approved_by(side):
        raise NotAllowed("your side has already approved; the other side answers")
    if state.starts_at is not None and now >= state.starts_at:
        raise TooLate("the meeting's start has passed")


def confirm(
    state: MeetingState,
    side: Side,
    now: datetime,
    *,
    overlaps_other_meeting: bool = False,
    acknowledge_overlap: bool = False,
) -> Outcome:
    """The side that has not approved yet approves: the meeting is AGREED.

    A client approving a priced meeting blocks its credits; an expert
    approving must acknowledge any overlap with their other meetings.
    """
    _require_awaiting_answer_from(state, side, now)
    if state.starts_at is None:
        raise InvalidState("a requested session is answered by picking one of its times (respondToOffer)")
    if side is Side.EXPERT:
        require_overlap_acknowledged(overlaps_other_meeting, acknowledge_overlap)
    credit_status = state.credit_status
    if side is Side.CLIENT and state.price_credits:
        credit_status = CreditStatus.BLOCKED
    new_state = replace(
        state,
        status=MeetingStatus.AGREED,
        client_approved=True,
        expert_approved=True,
        credit_status=credit_status,
        overlap_acknowledged=state.overlap_acknowledged or (side is Side.EXPERT and overlaps_other_meeting),
    )
    event = TimelineEventType.APPROVED_BY_CLIENT if side is Side.CLIENT else TimelineEventType.APPROVED_BY_EXPERT
    return Outcome(new_state, event)


def decline(
    state: MeetingState,
    side: Side,
    now: datetime,
    *,
    reason: DeclineReason,
    message: str | None = None,
) -> Outcome:
    """The side that has not approved yet says no, with a reason: REJECTED, credits returned."""
    message = optional_message(message)
    _require_awaiting_answer_from(state, side, now)
    new_state = replace(
        state,
        status=MeetingStatus.REJECTED,
        credit_status=returned_credits(state.credit_status),
        decline_reason=reason,
    )
    event = TimelineEventType.DECLINED_BY_CLIENT if side is Side.CLIENT else TimelineEventType.REJECTED_BY_EXPERT
    return Outcome(new_state, event, {"reason": reason.value, "message": message})


def cancel(
    state: MeetingState,
    side: Side,
    policy: ExpertPolicy,
    now: datetime,
    *,
    acknowledge_late_notice: bool,
    reason: CancelReason | None = None,
    message: str | None = None,
) -> Outcome:
    """Cancel before the start; the room, if any, is gone.

    An unapproved meeting is withdrawn by the side that made it, always free
    (the other side declines instead). An agreed meeting: the expert gives a
    reason and always refunds but must acknowledge short notice; the client
    inside the cancellation window must acknowledge a possible penalty, and the
    credits stay blocked until the expert settles (charge or waive).
    """
    message = optional_message(message)
    if state.status not in (MeetingStatus.AWAITING_APPROVAL, MeetingStatus.AGREED):
        raise InvalidState(f"a {state.status.value} meeting cannot be cancelled")
    if state.starts_at is not None and now >= state.starts_at:
        raise TooLate("the meeting's start has passed")
    event = TimelineEventType.CANCELLED_BY_CLIENT if side is Side.CLIENT else TimelineEventType.CANCELLED_BY_EXPERT
    cancelled = replace(
        state,
        status=MeetingStatus.CANCELLED,
        cancel_reason=reason,
        cancelled_by_side=side,
        room_url=None,
        credit_status=returned_credits(state.credit_status),
    )

    def outcome(new_state: MeetingState) -> Outcome:
        due = new_state.settlement_due_at
        return Outcome(
            new_state,
            event,
            {
                "reason": reason.value if reason else None,
                "message": message,
                "late_notice_acknowledged": acknowledge_late_notice,
                "settlement_due_at": due.isoformat() if due else None,
            },
        )

    if state.status is MeetingStatus.AWAITING_APPROVAL:
        if not state.approved_by(side):
            raise NotAllowed("decline the meeting instead: your side has not approved it")
        return outcome(cancelled)

    time_left = state.start - now
    if side is Side.EXPERT:
        if reason is None:
            raise InvalidInput("an expert cancelling an agreed meeting gives a reason")
        if time_left <= policy.short_notice_window and not acknowledge_late_notice:
            raise LateNoticeNotAcknowledged(
                "the meeting starts within the expert's short-notice window; acknowledge the short notice to cancel"
            )
        return outcome(cancelled)

    if time_left > policy.client_cancellation_window:
        return outcome(cancelled)
    if not acknowledge_late_notice:
        raise LateNoticeNotAcknowledged(_late_notice_warning(policy))
    if state.credit_status is not CreditStatus.BLOCKED:
        return outcome(cancelled)
    return outcome(replace(cancelled, credit_status=state.credit_status, settlement_due_at=now + SETTLEMENT_PERIOD))


def _late_notice_warning(policy: ExpertPolicy) -> str:
    """What a client cancelling inside the window reads (seed 002's words for each programme)."""
    if policy.hub_client:
        return (
            "Your session starts within 24 hours. Please note that modifying this booking may incur a penalty "
            "as per the professional's Terms & Conditions. Acknowledge it to cancel."
        )
    return (
        "Please be aware that a modification penalty may apply depending on the professional's Terms & "
        "Conditions (the meeting starts within their cancellation window). Acknowledge it to cancel."
    )


@dataclass(frozen=True)
class CancellationQuote:
    """What cancelling now would do, worked out by `cancel` itself."""

    refusal: Refusal | None
    """Why cancelling is refused now, even with every acknowledgement given."""
    acknowledgement_needed: bool
    refund_credits: int
    charge_at_risk_credits: int
    """Left blocked for the expert to charge or waive (a late client cancellation)."""
    settlement_due_at: datetime | None


def quote_cancellation(state: MeetingState, side: Side, policy: ExpertPolicy, now: datetime) -> CancellationQuote:
    """Asks `cancel` twice: without acknowledging (is one needed?), then with it (what happens?)."""
    reason = CancelReason.OTHER if side is Side.EXPERT else None
    try:
        cancel(state, side, policy, now, acknowledge_late_notice=False, reason=reason)
        acknowledgement_needed = False
    except LateNoticeNotAcknowledged:
        acknowledgement_needed = True
    except Refusal as refusal:
        return CancellationQuote(refusal, False, 0, 0, None)
    after = cancel(state, side, policy, now, acknowledge_late_notice=True, reason=reason).state
    held = state.credit_status is CreditStatus.BLOCKED
    return CancellationQuote(
        refusal=None,
        acknowledgement_needed=acknowledgement_needed,
        refund_credits=state.price_credits if held and after.credit_status is CreditStatus.RETURNED else 0,
        charge_at_risk_credits=state.price_credits if held and after.settlement_due_at else 0,
        settlement_due_at=after.settlement_due_at,
    )


def settle(state: MeetingState, side: Side, decision: SettlementDecision, now: datetime) -> Outcome:
    """The expert charges the full price (a per-minute session: its minimum) or waives it,
    within the settlement period."""
    if state.settlement_due_at is None or state.credit_status is not CreditStatus.BLOCKED:
        raise InvalidState("there is no charge to settle on this meeting")
    if side is not Side.EXPERT:
        raise NotAllowed("only the expert settles a charge")
    if now > state.settlement_due_at:
        raise TooLate("the settlement period has ended; the charge was waived")
    details = {"decision": decision.value}
    if decision is SettlementDecision.CHARGE:
        # A per-minute session that never took place costs its minimum (domain/billing.py).
        price = state.rate_credits * state.minimum_minutes if state.rate_credits else state.price_credits
        new_state = replace(state, credit_status=CreditStatus.CHARGED, settlement_due_at=None, price_credits=price)
        return Outcome(new_state, TimelineEventType.CHARGED_BY_EXPERT, details)
    new_state = replace(state, credit_status=CreditStatus.RETURNED, settlement_due_at=None)
    return Outcome(new_state, TimelineEventType.CHARGE_WAIVED, details)


def discount_amount(price_credits: int, *, percent: int | None, credits: int | None, free: bool) -> int:
    """The credits a discount returns: a percentage of the price (rounded down), an amount, or
    all of it (free); exactly one of them."""
    if sum((percent is not None, credits is not None, free)) != 1:
        raise InvalidInput("give exactly one of percent, credits or free")
    if free:
        return price_credits
    if percent is not None:
        if not 1 <= percent <= 100:
            raise InvalidInput("percent must be between 1 and 100")
        amount = price_credits * percent // 100
    else:
        amount = credits or 0
    if not 1 <= amount <= price_credits:
        raise InvalidInput(f"a discount is between 1 credit and the price ({price_credits})")
    return amount


def discount(state: MeetingState, side: Side, amount: int, *, settled: bool) -> Outcome:
    """The expert returns part or all of a charged meeting's price to the client, once, until
    the charge's earnings are settled (see domain/ledger.discount_moves)."""
    if side is not Side.EXPERT:
        raise NotAllowed("only the expert discounts a meeting")
    if state.credit_status is not CreditStatus.CHARGED:
        raise InvalidState("only a charged meeting can be discounted")
    if state.discount_credits:
        raise InvalidState("this meeting was discounted already")
    if settled:
        raise TooLate("its earnings are settled: it can no longer be discounted")
    details = {"credits": amount, "free": amount == state.price_credits}
    return Outcome(replace(state, discount_credits=amount), TimelineEventType.DISCOUNTED_BY_EXPERT, details)


def overlaps(a_starts_at: datetime, a_ends_at: datetime, b_starts_at: datetime, b_ends_at: datetime) -> bool:
    """Half-open intervals: a meeting ending at 10:00 does not clash with one at 10:00."""
    return a_starts_at < b_ends_at and b_starts_at < a_ends_at


def needs_room(state: MeetingState) -> bool:
    """An online meeting has a room from the moment it is agreed; `cancel` takes it away."""
    return (
        state.room_url is None
        and state.mode in ONLINE_MODES
        and state.status in (MeetingStatus.AGREED, MeetingStatus.IN_PROGRESS)
    )


def returned_credits(credit_status: CreditStatus) -> CreditStatus:
    return CreditStatus.RETURNED if credit_status is CreditStatus.BLOCKED else credit_status


# The session itself: joining, starting, ending, and what the clock decides.


def join_opens_at(state: MeetingState, policy: ExpertPolicy) -> datetime:
    return state.start - policy.join_window


def can_join(state: MeetingState, policy: ExpertPolicy, now: datetime) -> bool:
    """From the join window's opening until the end, for AGREED and IN_PROGRESS only."""
    return (
        state.status in (MeetingStatus.AGREED, MeetingStatus.IN_PROGRESS)
        and join_opens_at(state, policy) <= now < state.ends_at
    )


def join(state: MeetingState, side: Side, policy: ExpertPolicy, now: datetime) -> Outcome:
    """A participant joins; once both have, the meeting is IN_PROGRESS. The end never moves."""
    if state.status not in (MeetingStatus.AGREED, MeetingStatus.IN_PROGRESS):
        raise InvalidState(f"a {state.status.value} meeting cannot be joined")
    if now < join_opens_at(state, policy):
        raise TooSoon(f"the join window opens at {join_opens_at(state, policy).isoformat()}")
    if now >= state.ends_at:
        raise TooLate("the meeting has ended")
    if state.joined_at(side) is not None:
        raise InvalidState("you have already joined")
    joined = replace(state, client_joined_at=now) if side is Side.CLIENT else replace(state, expert_joined_at=now)
    event = TimelineEventType.JOINED_BY_CLIENT if side is Side.CLIENT else TimelineEventType.JOINED_BY_EXPERT
    if joined.client_joined_at and joined.expert_joined_at:
        return Outcome(replace(joined, status=MeetingStatus.IN_PROGRESS), TimelineEventType.STARTED)
    return Outcome(joined, event)


def end_by_expert(state: MeetingState, side: Side, now: datetime) -> Outcome:
    if state.status is not MeetingStatus.IN_PROGRESS:
        raise InvalidState(f"a {state.status.value} meeting cannot be ended")
    if side is not Side.EXPERT:
        raise NotAllowed("only the expert ends a session")
    return Outcome(_completed(state, now), TimelineEventType.ENDED_BY_EXPERT)


def billed_seconds(state: MeetingState, now: datetime) -> int:
    """The billable seconds so far, the running stretch included; none after the session's end
    (completed late by the clock, it is charged up to its end)."""
    if state.billing_since is None:
        return state.billed_seconds
    until = min(now, state.ends_at) if state.starts_at is not None else now
    return state.billed_seconds + max(int((until - state.billing_since).total_seconds()), 0)


def charge_for(state: MeetingState, now: datetime) -> int:
    """What the session costs if it ends now: started minutes, between the minimum and the cap
    (the block divided by the rate); nothing if billable time never started."""
    rate = state.rate_credits or 0
    seconds = billed_seconds(state, now)
    if not rate or (seconds == 0 and state.billing_since is None):
        return 0
    minutes = max(-(-seconds // 60), state.minimum_minutes)
    return min(minutes * rate, state.price_credits)


def _billing_ended(state: MeetingState, now: datetime) -> MeetingState:
    """A per-minute session at its end (domain/billing.py): its price becomes its charge and
    its billable time stops."""
    if state.rate_credits is None:
        return state
    return replace(
        state, price_credits=charge_for(state, now), billed_seconds=billed_seconds(state, now), billing_since=None
    )


def _completed(state: MeetingState, now: datetime) -> MeetingState:
    return replace(
        _billing_ended(state, now),
        status=MeetingStatus.COMPLETED,
        completed_at=now,
        credit_status=CreditStatus.CHARGED if state.credit_status is CreditStatus.BLOCKED else state.credit_status,
    )


def complete_at_end(state: MeetingState, policy: ExpertPolicy, now: datetime) -> Outcome | None:
    """At the end an IN_PROGRESS meeting completes; anything else has nothing to do."""
    if state.status is not MeetingStatus.IN_PROGRESS or now < state.ends_at:
        return None
    return Outcome(_completed(state, now), TimelineEventType.COMPLETED)


def no_show_at_grace(state: MeetingState, policy: ExpertPolicy, now: datetime) -> Outcome | None:
    """At start + grace, an AGREED meeting someone never joined is a NO_SHOW.

    The expert missing (alone or with the client) returns the credits; only the
    client missing leaves them for the expert to settle, waived after 72 h.
    """
    if state.status is not MeetingStatus.AGREED or now < state.start + policy.no_show_grace:
        return None
    no_show = replace(state, status=MeetingStatus.NO_SHOW)
    client_only_missing = state.expert_joined_at is not None and state.client_joined_at is None
    if client_only_missing and state.credit_status is CreditStatus.BLOCKED:
        return Outcome(replace(no_show, settlement_due_at=now + SETTLEMENT_PERIOD), TimelineEventType.NO_SHOW)
    return Outcome(replace(no_show, credit_status=returned_credits(state.credit_status)), TimelineEventType.NO_SHOW)


def expire_at_start(state: MeetingState, policy: ExpertPolicy, now: datetime) -> Outcome | None:
    if state.status is not MeetingStatus.AWAITING_APPROVAL or state.starts_at is None or now < state.starts_at:
        return None
    expired = replace(state, status=MeetingStatus.EXPIRED, credit_status=returned_credits(state.credit_status))
    return Outcome(expired, TimelineEventType.EXPIRED)


def waive_unsettled(state: MeetingState, policy: ExpertPolicy, now: datetime) -> Outcome | None:
    """An unsettled late cancellation or client no-show is waived when its period ends."""
    if (
        state.settlement_due_at is None
        or state.credit_status is not CreditStatus.BLOCKED
        or now < state.settlement_due_at
    ):
        return None
    waived = replace(state, credit_status=CreditStatus.RETURNED, settlement_due_at=None)
    return Outcome(waived, TimelineEventType.CHARGE_WAIVED)
