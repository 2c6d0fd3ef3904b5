"""Instant sessions: a client asks for a session now; the first matching expert to take it gets it.

A request is offered to every expert who lists the skill, offers the duration
within the client's price, is free now and is online (or, for a direct
request, to the one expert named). The first taker gets an INSTANT meeting,
AGREED at once, starting now, at the taker's own price for that duration.
Unanswered, the request expires (15 minutes by default).
"""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from uuid import UUID

from app.domain.billing import PerMinute, blocked_for
from app.domain.catalog import Offering
from app.domain.errors import AlreadyTaken, InvalidInput, InvalidState, NotAllowed, TooLate
from app.domain.meetings import (
    MAX_DURATION_MINUTES,
    MIN_DURATION_MINUTES,
    ONLINE_MODES,
    CreditStatus,
    MeetingMode,
    MeetingState,
    MeetingStatus,
    Outcome,
    TimelineEventType,
    require_overlap_acknowledged,
    validate_price,
)
from app.domain.text import validate_text

DEFAULT_LIFETIME = timedelta(minutes=15)


class InstantStatus(StrEnum):
    OPEN = "OPEN"
    TAKEN = "TAKEN"
    EXPIRED = "EXPIRED"
    WITHDRAWN = "WITHDRAWN"


@dataclass(frozen=True)
class InstantRequestState:
    client_id: UUID
    topic: str
    skill: str
    description: str
    duration_minutes: int
    max_price_credits: int
    mode: MeetingMode
    status: InstantStatus
    expires_at: datetime
    direct_expert_id: UUID | None = None


def post(
    client_id: UUID,
    *,
    topic: str,
    skill: str,
    description: str,
    duration_minutes: int,
    max_price_credits: int,
    mode: MeetingMode,
    direct_expert_id: UUID | None,
    now: datetime,
    lifetime: timedelta = DEFAULT_LIFETIME,
) -> InstantRequestState:
    if direct_expert_id == client_id:
        raise InvalidInput("you cannot request a session from yourself")
    if mode not in ONLINE_MODES:
        raise InvalidInput("an instant session is online: VIDEO, AUDIO or CHAT")
    if not MIN_DURATION_MINUTES <= duration_minutes <= MAX_DURATION_MINUTES:
        raise InvalidInput(f"durationMinutes must be between {MIN_DURATION_MINUTES} and {MAX_DURATION_MINUTES}")
    validate_price(max_price_credits)
    return InstantRequestState(
        client_id=client_id,
        topic=validate_text("topic", topic, max_length=120),
        skill=validate_text("skill", skill, max_length=80),
        description=validate_text("description", description, max_length=2000, required=False),
        duration_minutes=duration_minutes,
        max_price_credits=max_price_credits,
        mode=mode,
        status=InstantStatus.OPEN,
        expires_at=now + lifetime,
        direct_expert_id=direct_expert_id,
    )


def taker_price(
    request: InstantRequestState, offerings: Sequence[Offering], per_minute: PerMinute | None = None
) -> int | None:
    """The expert's lowest price for the requested duration, if within the client's most; a
    per-minute service's is the most its session may cost (domain/billing.py)."""
    prices = [
        o.price_credits if per_minute is None else blocked_for(per_minute, o.duration_minutes)
        for o in offerings
        if o.duration_minutes == request.duration_minutes
    ]
    within = [price for price in prices if price <= request.max_price_credits]
    return min(within) if within else None


def may_take(request: InstantRequestState, expert_id: UUID, expert_skills: Sequence[str]) -> bool:
    """Who a request is for: the named expert of a direct request, else anyone listing the skill."""
    if expert_id == request.client_id:
        return False
    if request.direct_expert_id is not None:
        return expert_id == request.direct_expert_id
    return request.skill in expert_skills


def require_open(request: InstantRequestState, now: datetime) -> None:
    if request.status is InstantStatus.TAKEN:
        raise AlreadyTaken("another expert took this request first")
    expired = request.status is InstantStatus.OPEN and now >= request.expires_at
    if request.status is InstantStatus.EXPIRED or expired:
        raise TooLate("the request has expired")
    if request.status is InstantStatus.WITHDRAWN:
        raise InvalidState("the client withdrew this request")


def take(
    request: InstantRequestState,
    expert_id: UUID,
    expert_skills: Sequence[str],
    price_credits: int | None,
    now: datetime,
    *,
    overlaps_other_meeting: bool,
    acknowledge_overlap: bool,
    per_minute: PerMinute | None = None,
) -> tuple[InstantRequestState, Outcome]:
    """The request is TAKEN; the meeting starts now, AGREED, at the taker's price, credits
    blocked; billed per minute when the taker's service is."""
    require_open(request, now)
    if not may_take(request, expert_id, expert_skills):
        raise NotAllowed("this request is for experts with its skill (or the expert it names)")
    if price_credits is None:
        raise NotAllowed(
            f"you offer no {request.duration_minutes}-minute session within {request.max_price_credits} credits"
        )
    require_overlap_acknowledged(overlaps_other_meeting, acknowledge_overlap)
    starts_at = now.replace(microsecond=0)
    meeting = MeetingState(
        status=MeetingStatus.AGREED,
        starts_at=starts_at,
        duration_minutes=request.duration_minutes,
        price_credits=price_credits,
        credit_status=CreditStatus.BLOCKED if price_credits else CreditStatus.NONE,
        client_approved=True,
        expert_approved=True,
        mode=request.mode,
        overlap_acknowledged=overlaps_other_meeting,
        rate_credits=per_minute.rate_credits if per_minute else None,
        minimum_minutes=per_minute.minimum_minutes if per_minute else 0,
    )
    details = {"topic": request.topic, "skill": request.skill}
    return replace(request, status=InstantStatus.TAKEN), Outcome(meeting, TimelineEventType.TAKEN_INSTANTLY, details)


def withdraw(request: InstantRequestState, client_id: UUID, now: datetime) -> InstantRequestState:
    if client_id != request.client_id:
        raise NotAllowed("only the client who posted a request withdraws it")
    require_open(request, now)
    return replace(request, status=InstantStatus.WITHDRAWN)


def expire(request: InstantRequestState, now: datetime) -> InstantRequestState | None:
    """None when there is nothing to expire (already ended, or not yet due)."""
    if request.status is not InstantStatus.OPEN or now < request.expires_at:
        return None
    return replace(request, status=InstantStatus.EXPIRED)
