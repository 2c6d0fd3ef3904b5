"""Use cases of an offer once made: the addressee answers, the maker withdraws, the clock
expires it; and the expert's offer of another mode or place."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from app.domain import offers
from app.domain.access import acting_side, can_see_meeting
from app.domain.booking import location_for
from app.domain.catalog import require_mode
from app.domain.errors import (
    ConflictNotAcknowledged,
    InsufficientCredits,
    InvalidInput,
    InvalidState,
    NotAllowed,
    NotFound,
    NotOffered,
    SlotTaken,
    TooLate,
    refuses,
)
from app.domain.meetings import DeclineReason, MeetingMode, MeetingState
from app.domain.offers import OfferDecision, OfferOutcome
from app.domain.people import Actor, Side
from app.domain.rescheduling import RescheduleReason
from app.models import Meeting
from app.services import busy, effects, meeting_repository, offer_repository
from app.services.catalog import service_for_booking
from app.services.ledger import require_balance_for
from app.services.meeting_repository import MeetingRecord
from app.services.offer_repository import OfferRecord
from app.services.runtime import Runtime
from app.services.unit_of_work import UnitOfWork, unit_of_work


@dataclass(frozen=True)
class Answer:
    decision: OfferDecision
    starts_at: datetime | None = None
    """Which offered time (needed when several were offered)."""
    message: str | None = None
    acknowledge_overlap: bool = False
    reason: DeclineReason | None = None
    """REJECT: why, from the list."""


@refuses(
    ConflictNotAcknowledged,
    InsufficientCredits,
    InvalidInput,
    InvalidState,
    NotAllowed,
    NotFound,
    SlotTaken,
    TooLate,
)
async def respond_to_offer(runtime: Runtime, actor: Actor, offer_id: UUID, answer: Answer) -> Meeting:
    """The addressee picks one option or rejects; an admin answers for the addressee."""
    now = runtime.clock.now()
    async with unit_of_work(runtime) as uow:
        offer, meeting = await _load(actor, offer_id)
        before = meeting.state
        side = acting_side(actor, meeting.parties, offer.state.addressee)
        if answer.decision is OfferDecision.REJECT:
            answered = offers.reject(offer.state, before, side, now, message=answer.message, reason=answer.reason)
        else:
            check_at = offers.overlap_check_time(offer.state, side, answer.starts_at)
            overlaps = check_at is not None and await busy.is_busy(
                meeting.parties.expert_id,
                check_at,
                check_at + timedelta(minutes=before.duration_minutes),
                exclude_meeting_id=meeting.id,
            )
            answered = offers.accept(
                offer.state,
                before,
                side,
                now,
                starts_at=answer.starts_at,
                overlaps_other_meeting=overlaps,
                acknowledge_overlap=answer.acknowledge_overlap,
            )
        await require_balance_for(meeting.parties.client_id, before, answered.meeting.state)
        return await _apply(uow, offer, meeting, answered, actor, side, now, meeting_repository.save_claiming_time)


@refuses(InvalidInput, InvalidState, NotAllowed, NotFound)
async def withdraw_offer(runtime: Runtime, actor: Actor, offer_id: UUID, message: str | None) -> Meeting:
    """The side that made the offer takes it back; its held times are free again."""
    now = runtime.clock.now()
    async with unit_of_work(runtime) as uow:
        offer, meeting = await _load(actor, offer_id)
        side = acting_side(actor, meeting.parties, offer.state.made_by_side)
        withdrawn = offers.withdraw(offer.state, meeting.state, side, now, message=message)
        return await _apply(uow, offer, meeting, withdrawn, actor, side, now, meeting_repository.save)


@refuses(InvalidInput, InvalidState, NotAllowed, NotFound, NotOffered, SlotTaken, TooLate)
async def change_meeting_location(
    runtime: Runtime,
    actor: Actor,
    meeting_id: UUID,
    mode: MeetingMode,
    location: str | None,
    message: str | None,
    reason: RescheduleReason | None = None,
) -> Meeting:
    """Another mode the service offers (in person: the given place or the service's): applied
    at once when the client asked for it (CLIENT_REQUESTED), else offered to the client."""
    now = runtime.clock.now()
    async with unit_of_work(runtime) as uow:
        meeting = await meeting_repository.get_for_update(meeting_id)
        before = meeting.state
        side = acting_side(actor, meeting.parties, Side.EXPERT)
        _service, terms = await service_for_booking(meeting.row.service_id)
        require_mode(terms.modes, mode)
        place = location or location_for(mode, terms.location)
        if reason is RescheduleReason.CLIENT_REQUESTED:
            moved = offers.move_place_at_clients_request(before, side, mode, place, now, message=message)
            meeting = await meeting_repository.save(meeting, moved.state, now)
            await effects.record(uow, effects.Change(meeting, before, moved, actor, side, now))
            return meeting.row
        made = offers.offer_location(before, side, mode, place, now, message=message)
        await offer_repository.add(meeting, made.offer, actor, now)
        meeting = await meeting_repository.save(meeting, before, now)
        await effects.record(uow, effects.Change(meeting, before, made.meeting, actor, side, now, offer=made.offer))
    return meeting.row


async def expire_offer(runtime: Runtime, meeting_id: UUID, now: datetime) -> None:
    """The meeting's pending offer, unanswered at its expiry (a timed job); harmless if answered."""
    async with unit_of_work(runtime) as uow:
        meeting = await meeting_repository.get_for_update(meeting_id)
        offer = await offer_repository.pending_for(meeting_id)
        if offer is None:
            return
        expired = offers.expire(offer.state, meeting.state, now)
        if expired is not None:
            await _apply(uow, offer, meeting, expired, None, None, now, meeting_repository.save)


async def _load(actor: Actor, offer_id: UUID) -> tuple[OfferRecord, MeetingRecord]:
    """The offer and its meeting (locked); NOT_FOUND to anyone who may not see the meeting."""
    offer = await offer_repository.get(offer_id)
    meeting = await meeting_repository.get_for_update(offer.meeting_id)
    if not can_see_meeting(actor, meeting.parties):
        raise NotFound("no such offer")
    return offer, meeting


async def _apply(
    uow: UnitOfWork,
    offer: OfferRecord,
    meeting: MeetingRecord,
    answered: OfferOutcome,
    actor: Actor | None,
    side: Side | None,
    now: datetime,
    save: Callable[[MeetingRecord, MeetingState, datetime], Awaitable[MeetingRecord]],
) -> Meeting:
    """Closes the offer first (releasing its held times), then saves the meeting that it
    changed (`save_claiming_time` where an answer may move it)."""
    before = meeting.state
    await offer_repository.save(offer, answered.offer, now)
    meeting = await save(meeting, answered.meeting.state, now)
    await effects.record(uow, effects.Change(meeting, before, answered.meeting, actor, side, now, offer=answered.offer))
    return meeting.row
