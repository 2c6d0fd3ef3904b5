"""How a meeting comes to be: a client books a service, or an expert proposes one.

What the service offers (durations, prices, modes, its address) and what the
expert lists (skills) decide what may be asked for. Availability, the expert's
other meetings and the client's balance are asked by the service layer, which
then calls these with the answers.
"""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from uuid import UUID

from app.domain import meetings as rules
from app.domain import offers
from app.domain.access import is_self_or_admin
from app.domain.billing import PerMinute, blocked_for
from app.domain.catalog import Offering, price_for, require_mode
from app.domain.errors import InvalidInput, NotAllowed
from app.domain.meetings import (
    CreditStatus,
    MeetingKind,
    MeetingMode,
    MeetingState,
    MeetingStatus,
    Outcome,
    TimelineEventType,
)
from app.domain.offers import OfferPurpose, OfferState, OfferStatus
from app.domain.people import Actor, Parties, Side
from app.domain.text import optional_message


@dataclass(frozen=True)
class ServiceTerms:
    """A service as booking sees it."""

    service_id: UUID
    expert_id: UUID
    offerings: tuple[Offering, ...]
    modes: tuple[MeetingMode, ...]
    location: str | None
    expert_skills: tuple[str, ...]
    per_minute: PerMinute | None = None
    """A per-minute service's rate, minimum and cap (domain/billing.py); None: fixed prices."""


@dataclass(frozen=True)
class Choice:
    """What the one who books or proposes picked."""

    starts_at: datetime
    duration_minutes: int
    mode: MeetingMode
    skill: str | None = None


@dataclass(frozen=True)
class NewMeeting:
    parties: Parties
    service_id: UUID
    skill: str | None
    created_by: Side
    outcome: Outcome
    kind: MeetingKind = MeetingKind.SCHEDULED
    coupon_id: UUID | None = None
    coupon_credits: int = 0
    """What the coupon took off the price (domain/coupons.with_coupon)."""


def listed_skill(skill: str | None, expert_skills: tuple[str, ...]) -> str | None:
    """A meeting may name a skill, and only one its expert lists."""
    if skill is not None and skill not in expert_skills:
        raise InvalidInput(f"the expert does not list the skill {skill[:80]!r}")
    return skill


def location_for(mode: MeetingMode, service_location: str | None) -> str | None:
    """An in-person meeting takes place at the service's address; others have none."""
    return service_location if mode is MeetingMode.IN_PERSON else None


def book(terms: ServiceTerms, client_id: UUID, choice: Choice, now: datetime) -> NewMeeting:
    """A client books a service at its price for that duration; the expert answers."""
    if client_id == terms.expert_id:
        raise InvalidInput("you cannot book your own service")
    price = _priced(terms, choice.duration_minutes)
    require_mode(terms.modes, choice.mode)
    skill = listed_skill(choice.skill, terms.expert_skills)
    outcome = rules.booked_by_client(
        choice.starts_at,
        choice.duration_minutes,
        price,
        now,
        mode=choice.mode,
        location=location_for(choice.mode, terms.location),
    )
    outcome = replace(outcome, state=_billed(outcome.state, terms))
    return NewMeeting(Parties(client_id, terms.expert_id), terms.service_id, skill, Side.CLIENT, outcome)


def _priced(terms: ServiceTerms, duration_minutes: int) -> int:
    """A service's price for the duration; a per-minute service blocks the most its session
    may cost (its offerings still say which durations may be booked)."""
    price = price_for(terms.offerings, duration_minutes)
    return price if terms.per_minute is None else blocked_for(terms.per_minute, duration_minutes)


def _billed(state: MeetingState, terms: ServiceTerms) -> MeetingState:
    """A per-minute service's session carries its rate and minimum."""
    if terms.per_minute is None:
        return state
    return replace(state, rate_credits=terms.per_minute.rate_credits, minimum_minutes=terms.per_minute.minimum_minutes)


def request(
    terms: ServiceTerms,
    client_id: UUID,
    times: Sequence[datetime],
    duration_minutes: int,
    mode: MeetingMode,
    now: datetime,
    *,
    skill: str | None = None,
    message: str | None = None,
) -> tuple[NewMeeting, OfferState]:
    """A client asks for a session at one of up to 5 times: no start yet, the credits
    blocked, and the client's offer of the times for the expert to pick from."""
    if client_id == terms.expert_id:
        raise InvalidInput("you cannot request your own service")
    price = _priced(terms, duration_minutes)
    require_mode(terms.modes, mode)
    skill = listed_skill(skill, terms.expert_skills)
    offered = offers.validate_times(times, duration_minutes, now)
    state = MeetingState(
        status=MeetingStatus.AWAITING_APPROVAL,
        starts_at=None,
        duration_minutes=duration_minutes,
        price_credits=price,
        credit_status=CreditStatus.BLOCKED if price else CreditStatus.NONE,
        client_approved=True,
        expert_approved=False,
        mode=mode,
        location=location_for(mode, terms.location),
    )
    state = _billed(state, terms)
    offer = OfferState(
        OfferPurpose.SESSION_REQUEST,
        Side.CLIENT,
        OfferStatus.PENDING,
        offered[0],
        offered,
        message=optional_message(message),
    )
    outcome = Outcome(
        state,
        TimelineEventType.REQUESTED_BY_CLIENT,
        {"times": ", ".join(t.isoformat() for t in offered), "message": offer.message},
    )
    return NewMeeting(Parties(client_id, terms.expert_id), terms.service_id, skill, Side.CLIENT, outcome), offer


def require_may_propose(terms: ServiceTerms, actor: Actor, client_id: UUID) -> None:
    """An expert proposes with their own services (an admin with anyone's), never to themself."""
    if not is_self_or_admin(actor, terms.expert_id):
        raise NotAllowed("you may only propose meetings for your own services")
    if client_id == terms.expert_id:
        raise InvalidInput("an expert cannot invite themself")


def propose(
    terms: ServiceTerms,
    actor: Actor,
    client_id: UUID,
    choice: Choice,
    price_credits: int,
    now: datetime,
    *,
    overlaps_other_meeting: bool,
    acknowledge_overlap: bool,
) -> NewMeeting:
    """An expert invites a client at a price of their choosing; the client answers."""
    require_may_propose(terms, actor, client_id)
    require_mode(terms.modes, choice.mode)
    skill = listed_skill(choice.skill, terms.expert_skills)
    outcome = rules.proposed_by_expert(
        choice.starts_at,
        choice.duration_minutes,
        price_credits,
        now,
        mode=choice.mode,
        location=location_for(choice.mode, terms.location),
        overlaps_other_meeting=overlaps_other_meeting,
        acknowledge_overlap=acknowledge_overlap,
    )
    return NewMeeting(Parties(client_id, terms.expert_id), terms.service_id, skill, Side.EXPERT, outcome)
