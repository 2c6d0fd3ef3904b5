"""Use cases that make a meeting: a client books, an expert proposes."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from app.domain import booking
from app.domain import meetings as rules
from app.domain.booking import Choice
from app.domain.coupons import with_coupon
from app.domain.errors import (
    ConflictNotAcknowledged,
    InsufficientCredits,
    InvalidInput,
    InvalidState,
    LimitExceeded,
    NotAllowed,
    NotFound,
    NotOffered,
    OutsideAvailability,
    SlotTaken,
    TooFarAhead,
    TooLate,
    TooSoon,
    refuses,
)
from app.domain.meetings import MeetingMode
from app.domain.people import Actor
from app.models import Meeting, User
from app.services import busy, coupons, effects, meeting_repository, offer_repository
from app.services.availability import require_bookable
from app.services.catalog import service_for_booking
from app.services.ledger import require_balance
from app.services.runtime import Runtime
from app.services.unit_of_work import unit_of_work


@dataclass(frozen=True)
class Proposal:
    client_id: UUID
    service_id: UUID
    choice: Choice
    price_credits: int
    acknowledge_overlap: bool = False


@refuses(
    InsufficientCredits,
    InvalidInput,
    InvalidState,
    NotFound,
    NotOffered,
    OutsideAvailability,
    SlotTaken,
    TooFarAhead,
    TooLate,
    TooSoon,
)
async def book_meeting(
    runtime: Runtime, actor: Actor, service_id: UUID, choice: Choice, coupon_code: str | None = None
) -> Meeting:
    """A client books a free slot, with a coupon's discount when they give one; the credits
    are blocked and the expert answers."""
    now = runtime.clock.now()
    async with unit_of_work(runtime) as uow:
        service, terms = await service_for_booking(service_id)
        new = booking.book(terms, actor.user_id, choice, now)
        await require_bookable(service.expert, choice.starts_at, choice.duration_minutes, now)
        if coupon_code is not None:
            coupon_id, off = await coupons.redeem(actor.user_id, coupon_code, new.outcome.state.price_credits, now)
            new = with_coupon(new, coupon_id, off)
        client = await require_balance(actor.user_id, new.outcome.state.price_credits)
        if client is None:
            raise NotFound("no such user")
        meeting = await meeting_repository.add(new, service=service, client=client, now=now)
        await effects.record(uow, effects.Change(meeting, None, new.outcome, actor, new.created_by, now))
    return meeting.row


@dataclass(frozen=True)
class SessionRequest:
    service_id: UUID
    times: tuple[datetime, ...]
    duration_minutes: int
    mode: MeetingMode
    skill: str | None = None
    message: str | None = None


@refuses(InsufficientCredits, InvalidInput, InvalidState, LimitExceeded, NotFound, NotOffered, SlotTaken)
async def request_session(runtime: Runtime, actor: Actor, request: SessionRequest) -> Meeting:
    """A client asks for a session at one of up to 5 times; the credits are blocked until the
    expert picks one (respondToOffer) or declines, or the earliest time passes."""
    now = runtime.clock.now()
    async with unit_of_work(runtime) as uow:
        service, terms = await service_for_booking(request.service_id)
        new, offer = booking.request(
            terms,
            actor.user_id,
            request.times,
            request.duration_minutes,
            request.mode,
            now,
            skill=request.skill,
            message=request.message,
        )
        await require_balance(actor.user_id, new.outcome.state.price_credits)
        client = await User.get(id=actor.user_id)
        meeting = await meeting_repository.add(new, service=service, client=client, now=now)
        await offer_repository.add(meeting, offer, actor, now)
        await effects.record(uow, effects.Change(meeting, None, new.outcome, actor, new.created_by, now, offer=offer))
    return meeting.row


@refuses(ConflictNotAcknowledged, InvalidInput, NotAllowed, NotFound, NotOffered, SlotTaken)
async def propose_meeting(runtime: Runtime, actor: Actor, proposal: Proposal) -> Meeting:
    """An expert invites a client; an overlap with the expert's time needs acknowledging."""
    now = runtime.clock.now()
    choice = proposal.choice
    async with unit_of_work(runtime) as uow:
        service, terms = await service_for_booking(proposal.service_id)
        booking.require_may_propose(terms, actor, proposal.client_id)
        client = await User.filter(id=proposal.client_id).first()
        if client is None:
            raise NotFound("no such client")
        rules.validate_new_time(choice.starts_at, choice.duration_minutes, now)
        ends_at = choice.starts_at + timedelta(minutes=choice.duration_minutes)
        new = booking.propose(
            terms,
            actor,
            proposal.client_id,
            choice,
            proposal.price_credits,
            now,
            overlaps_other_meeting=await busy.is_busy(terms.expert_id, choice.starts_at, ends_at),
            acknowledge_overlap=proposal.acknowledge_overlap,
        )
        meeting = await meeting_repository.add(new, service=service, client=client, now=now)
        await effects.record(uow, effects.Change(meeting, None, new.outcome, actor, new.created_by, now))
    return meeting.row
