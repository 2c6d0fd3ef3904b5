"""Moving a meeting to another time at once, without an offer to answer.

Three ways, each with its own rule: the expert moves it because the client
asked (it counts as agreed), the expert gives a REJECTED meeting a new time (it
waits for the client again), and a HUB client rebooks itself into a free slot
(the old time is cancelled as the client's cancellation, a new agreed meeting
takes the new time). Moves that need the other side's yes are offers
(`domain/offers.py`).
"""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from app.domain import meetings as rules
from app.domain.errors import InvalidInput, InvalidState, NotAllowed, Refusal, TooLate
from app.domain.meetings import (
    CancelReason,
    CreditStatus,
    MeetingState,
    MeetingStatus,
    Outcome,
    TimelineEventType,
)
from app.domain.people import Side
from app.domain.policy import ExpertPolicy


class RescheduleReason(StrEnum):
    CLIENT_REQUESTED = "CLIENT_REQUESTED"
    """The client asked for the new time: it applies at once."""
    EXPERT_SCHEDULE = "EXPERT_SCHEDULE"
    """The expert's own schedule: an offer of 1-5 held times the client answers."""


class ClientProgramme(StrEnum):
    """How a client stands with one expert: HUB clients rebook themselves."""

    HUB = "HUB"
    PRIVATE = "PRIVATE"


DEFAULT_PROGRAMME = ClientProgramme.PRIVATE

MOVABLE_STATUSES = (MeetingStatus.AWAITING_APPROVAL, MeetingStatus.AGREED)


@dataclass(frozen=True)
class Rebook:
    """A HUB client moves at once into a free slot: a cancellation plus a new booking."""

    starts_at: datetime


@dataclass(frozen=True)
class OfferTimes:
    """Times the other side answers: the expert's own schedule, or the client's proposal."""

    times: tuple[datetime, ...]


@dataclass(frozen=True)
class MoveNow:
    """The expert moves it because the client asked: agreed at once."""

    starts_at: datetime


@dataclass(frozen=True)
class Reopen:
    """The expert gives a REJECTED meeting a new time; it waits for the client again."""

    starts_at: datetime


ReschedulePlan = Rebook | OfferTimes | MoveNow | Reopen


def plan(
    side: Side, status: MeetingStatus, times: Sequence[datetime], *, reason: RescheduleReason | None, rebook: bool
) -> ReschedulePlan:
    """Who asks, and why, decides whether the time moves now or is offered."""
    if side is Side.CLIENT and rebook:
        return Rebook(_one(times))
    if side is Side.CLIENT or reason is RescheduleReason.EXPERT_SCHEDULE:
        return OfferTimes(tuple(times))
    starts_at = _one(times)
    if status is MeetingStatus.REJECTED:
        return Reopen(starts_at)
    if reason is RescheduleReason.CLIENT_REQUESTED:
        return MoveNow(starts_at)
    raise InvalidInput("an expert gives a reason: CLIENT_REQUESTED or EXPERT_SCHEDULE")


def _one(times: Sequence[datetime]) -> datetime:
    if len(times) != 1:
        raise InvalidInput("give exactly one new start time")
    return times[0]


def require_movable(state: MeetingState, now: datetime) -> None:
    """Only a meeting still ahead, awaiting an answer or agreed, can change its time."""
    if state.status not in MOVABLE_STATUSES:
        raise InvalidState(f"a {state.status.value} meeting cannot be moved")
    if now >= state.start:
        raise TooLate("the meeting's start has passed")


def agreed_at(state: MeetingState, starts_at: datetime, *, overlap_acknowledged: bool) -> MeetingState:
    """The meeting at a new time that both sides have accepted; a priced one blocks the credits."""
    return replace(
        state,
        starts_at=starts_at,
        status=MeetingStatus.AGREED,
        client_approved=True,
        expert_approved=True,
        credit_status=CreditStatus.BLOCKED if state.price_credits else state.credit_status,
        overlap_acknowledged=overlap_acknowledged,
    )


def move_at_clients_request(
    state: MeetingState,
    starts_at: datetime,
    now: datetime,
    *,
    overlaps_other_meeting: bool,
    acknowledge_overlap: bool,
) -> Outcome:
    """The expert moves the meeting because the client asked: it is AGREED at the new time.

    An awaiting meeting counts as confirmed by both (the client asked for this
    time), so a priced one blocks the client's credits if they were not yet.
    """
    require_movable(state, now)
    rules.validate_new_time(starts_at, state.duration_minutes, now)
    rules.require_overlap_acknowledged(overlaps_other_meeting, acknowledge_overlap)
    moved = agreed_at(state, starts_at, overlap_acknowledged=overlaps_other_meeting)
    return Outcome(moved, TimelineEventType.RESCHEDULED, _moved_details(state, RescheduleReason.CLIENT_REQUESTED))


def reopen_rejected(
    state: MeetingState,
    starts_at: datetime,
    now: datetime,
    *,
    overlaps_other_meeting: bool,
    acknowledge_overlap: bool,
) -> Outcome:
    """A REJECTED meeting at a new time waits for the client again, approved by the expert."""
    if state.status is not MeetingStatus.REJECTED:
        raise InvalidState(f"a {state.status.value} meeting cannot be reopened")
    rules.validate_new_time(starts_at, state.duration_minutes, now)
    rules.require_overlap_acknowledged(overlaps_other_meeting, acknowledge_overlap)
    reopened = replace(
        state,
        starts_at=starts_at,
        status=MeetingStatus.AWAITING_APPROVAL,
        client_approved=False,
        expert_approved=True,
        credit_status=CreditStatus.NONE,
        decline_reason=None,
        overlap_acknowledged=overlaps_other_meeting,
    )
    return Outcome(reopened, TimelineEventType.RESCHEDULED, _moved_details(state, None))


HUB_CANCELLATION_WINDOW = timedelta(hours=24)
"""Seed 002: HUB clients have a fixed 24-hour cancellation policy, and may be charged only
for a change inside it, whatever the expert's own window."""


def policy_for(policy: ExpertPolicy, programme: ClientProgramme) -> ExpertPolicy:
    """The expert's policy as it applies to a client in `programme`."""
    if programme is ClientProgramme.HUB:
        return replace(policy, client_cancellation_window=HUB_CANCELLATION_WINDOW, hub_client=True)
    return policy


def rebook_refusal(side: Side | None, programme: ClientProgramme, state: MeetingState, now: datetime) -> str | None:
    """Why the viewer may not rebook this meeting themself now; None when they may."""
    if side is not Side.CLIENT:
        return "only the meeting's client rebooks it"
    try:
        require_may_rebook(programme)
        require_movable(state, now)
    except Refusal as refusal:
        return refusal.message
    return None


def require_may_rebook(programme: ClientProgramme) -> None:
    if programme is not ClientProgramme.HUB:
        raise NotAllowed("only the expert's HUB clients move a meeting themselves; propose other times or cancel")


def rebook(
    state: MeetingState,
    programme: ClientProgramme,
    starts_at: datetime,
    policy: ExpertPolicy,
    now: datetime,
    *,
    acknowledge_late_notice: bool,
) -> tuple[Outcome, Outcome]:
    """A HUB client moves itself: the old time is the client's cancellation (late inside the
    window, for the expert to settle), the new time a new meeting in the old one's standing
    (agreed at once if the old one was agreed, else awaiting the expert)."""
    require_may_rebook(programme)
    require_movable(state, now)
    rules.validate_new_time(starts_at, state.duration_minutes, now)
    cancelled = rules.cancel(
        state,
        Side.CLIENT,
        policy,
        now,
        acknowledge_late_notice=acknowledge_late_notice,
        reason=CancelReason.CLIENT_REQUESTED,
    )
    fresh = rules.booked_by_client(
        starts_at, state.duration_minutes, state.price_credits, now, mode=state.mode, location=state.location
    ).state
    new = agreed_at(fresh, starts_at, overlap_acknowledged=False) if state.status is MeetingStatus.AGREED else fresh
    return cancelled, Outcome(new, TimelineEventType.REBOOKED_BY_CLIENT, _moved_details(state, None))


def _moved_details(before: MeetingState, reason: RescheduleReason | None) -> dict[str, str | bool | None]:
    previous = before.starts_at.isoformat() if before.starts_at else None
    return {"previous_starts_at": previous, "reason": reason.value if reason else None}
