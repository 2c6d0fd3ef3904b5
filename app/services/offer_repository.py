"""Offers in and out of the database: the offer row, its times, and which of them are held."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID, uuid4

from app.domain.errors import InvalidState, NotFound
from app.domain.offers import OfferState, OfferStatus
from app.domain.people import Actor
from app.models import Offer, OfferTime
from app.services.meeting_repository import MeetingRecord, overlap_is_slot_taken


@dataclass(frozen=True)
class OfferRecord:
    row: Offer
    state: OfferState

    @property
    def id(self) -> UUID:
        return self.row.id

    @property
    def meeting_id(self) -> UUID:
        return self.row.meeting_id


def state_of_offer(row: Offer, times: list[OfferTime]) -> OfferState:
    return OfferState(
        purpose=row.purpose,
        made_by_side=row.made_by_side,
        status=row.status,
        expires_at=row.expires_at,
        times=tuple(sorted(t.starts_at for t in times)),
        mode=row.mode,
        location=row.location,
        message=row.message,
        picked_starts_at=row.picked_starts_at,
        overlap_acknowledged=row.overlap_acknowledged,
    )


async def _record(row: Offer) -> OfferRecord:
    times = await OfferTime.filter(offer_id=row.id)
    return OfferRecord(row, state_of_offer(row, list(times)))


async def get(offer_id: UUID) -> OfferRecord:
    row = await Offer.filter(id=offer_id).first()
    if row is None:
        raise NotFound("no such offer")
    return await _record(row)


async def pending_for(meeting_id: UUID) -> OfferRecord | None:
    row = await Offer.filter(meeting_id=meeting_id, status=OfferStatus.PENDING).first()
    return await _record(row) if row else None


async def add(meeting: MeetingRecord, offer: OfferState, actor: Actor | None, now: datetime) -> OfferRecord:
    """Stores a new offer; its times are held at once if it holds them (the guard may refuse)."""
    if await Offer.filter(meeting_id=meeting.id, status=OfferStatus.PENDING).exists():
        raise InvalidState("an offer for this meeting is already pending; withdraw or answer it first")
    row = await Offer.create(
        id=uuid4(),
        meeting_id=meeting.id,
        purpose=offer.purpose,
        made_by_side=offer.made_by_side,
        made_by_id=actor.user_id if actor else None,
        status=offer.status,
        expires_at=offer.expires_at,
        mode=offer.mode,
        location=offer.location,
        message=offer.message,
        overlap_acknowledged=offer.overlap_acknowledged,
        created_at=now,
    )
    duration = timedelta(minutes=meeting.state.duration_minutes)
    async with overlap_is_slot_taken():
        for starts_at in offer.times:
            await OfferTime.create(
                offer_id=row.id,
                meeting_id=meeting.id,
                expert_id=meeting.parties.expert_id,
                starts_at=starts_at,
                ends_at=starts_at + duration,
                held=offer.holds_times,
                overlap_acknowledged=offer.overlap_acknowledged,
            )
    return OfferRecord(row, offer)


async def save(offer: OfferRecord, state: OfferState, now: datetime) -> OfferRecord:
    """Closes a pending offer, once: of concurrent answers exactly one gets here first.
    Its held times are released in the same transaction."""
    updated = await Offer.filter(id=offer.id, status=OfferStatus.PENDING).update(
        status=state.status, picked_starts_at=state.picked_starts_at, answered_at=now
    )
    if updated != 1:
        raise InvalidState("the offer was answered meanwhile")
    if not state.holds_times:
        await OfferTime.filter(offer_id=offer.id, held=True).update(held=False)
    offer.row.status = state.status
    offer.row.picked_starts_at = state.picked_starts_at
    offer.row.answered_at = now
    return OfferRecord(offer.row, state)
