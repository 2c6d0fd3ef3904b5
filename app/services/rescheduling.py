"""`rescheduleMeeting`: the domain's plan (domain/rescheduling.plan) carried out, one
short branch per kind: rebook, offer times, reopen a rejected meeting, move now."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol
from uuid import UUID

from app.domain import offers, rescheduling
from app.domain.access import acting_side
from app.domain.booking import NewMeeting
from app.domain.errors import (
    ConflictNotAcknowledged,
    InsufficientCredits,
    InvalidInput,
    InvalidState,
    LateNoticeNotAcknowledged,
    LimitExceeded,
    NotAllowed,
    NotFound,
    OutsideAvailability,
    SlotTaken,
    TooFarAhead,
    TooLate,
    TooSoon,
    refuses,
)
from app.domain.meetings import MeetingState, Outcome
from app.domain.people import Actor, Side
from app.domain.rescheduling import RescheduleReason
from app.models import Meeting, Service
from app.services import busy, effects, meeting_repository, offer_repository
from app.services.availability import require_bookable
from app.services.ledger import require_balance, require_balance_for
from app.services.meeting_repository import MeetingRecord
from app.services.programmes import programme_of
from app.services.runtime import Runtime
from app.services.unit_of_work import UnitOfWork, unit_of_work


@dataclass(frozen=True)
class RescheduleRequest:
    times: tuple[datetime, ...]
    reason: RescheduleReason | None = None
    """The expert's: why the time changes."""
    rebook: bool = False
    """The client's: move at once into a free slot (HUB clients)."""
    message: str | None = None
    acknowledge_overlap: bool = False
    acknowledge_late_notice: bool = False
    acting_as: Side | None = None
    """An admin's: the side to act for (default: the expert)."""


@refuses(
    ConflictNotAcknowledged,
    InsufficientCredits,
    InvalidInput,
    InvalidState,
    LateNoticeNotAcknowledged,
    LimitExceeded,
    NotAllowed,
    NotFound,
    OutsideAvailability,
    SlotTaken,
    TooFarAhead,
    TooLate,
    TooSoon,
)
async def reschedule_meeting(runtime: Runtime, actor: Actor, meeting_id: UUID, request: RescheduleRequest) -> Meeting:
    now = runtime.clock.now()
    async with unit_of_work(runtime) as uow:
        meeting = await meeting_repository.get_for_update(meeting_id)
        side = acting_side(actor, meeting.parties, request.acting_as or Side.EXPERT)
        plan = rescheduling.plan(
            side, meeting.state.status, request.times, reason=request.reason, rebook=request.rebook
        )
        match plan:
            case rescheduling.Rebook(starts_at):
                return await _rebook(uow, meeting, actor, starts_at, request, now)
            case rescheduling.OfferTimes(times):
                return await _offer_times(uow, meeting, actor, side, times, request, now)
            case rescheduling.Reopen(starts_at):
                return await _move(uow, meeting, actor, side, rescheduling.reopen_rejected, starts_at, request, now)
            case rescheduling.MoveNow(starts_at):
                return await _move(
                    uow, meeting, actor, side, rescheduling.move_at_clients_request, starts_at, request, now
                )


class _MoveRule(Protocol):
    def __call__(
        self,
        state: MeetingState,
        starts_at: datetime,
        now: datetime,
        *,
        overlaps_other_meeting: bool,
        acknowledge_overlap: bool,
    ) -> Outcome: ...


async def _move(
    uow: UnitOfWork,
    meeting: MeetingRecord,
    actor: Actor,
    side: Side,
    decide: "_MoveRule",
    starts_at: datetime,
    request: RescheduleRequest,
    now: datetime,
) -> Meeting:
    before = meeting.state
    overlaps = await _expert_busy(meeting, [starts_at])
    outcome = decide(
        before, starts_at, now, overlaps_other_meeting=overlaps, acknowledge_overlap=request.acknowledge_overlap
    )
    return await _save_move(uow, meeting, before, outcome, actor, side, now)


async def _save_move(
    uow: UnitOfWork,
    meeting: MeetingRecord,
    before: MeetingState,
    outcome: Outcome,
    actor: Actor,
    side: Side,
    now: datetime,
) -> Meeting:
    await require_balance_for(meeting.parties.client_id, before, outcome.state)
    meeting = await meeting_repository.save_claiming_time(meeting, outcome.state, now)
    await effects.record(uow, effects.Change(meeting, before, outcome, actor, side, now))
    return meeting.row


async def _offer_times(
    uow: UnitOfWork,
    meeting: MeetingRecord,
    actor: Actor,
    side: Side,
    times: Sequence[datetime],
    request: RescheduleRequest,
    now: datetime,
) -> Meeting:
    before = meeting.state
    overlaps = offers.answers_for_overlaps(side) and await _expert_busy(meeting, times)
    made = offers.offer_times(
        before,
        side,
        times,
        now,
        message=request.message,
        overlaps_other_meeting=overlaps,
        acknowledge_overlap=request.acknowledge_overlap,
    )
    await offer_repository.add(meeting, made.offer, actor, now)
    meeting = await meeting_repository.save(meeting, before, now)
    await effects.record(uow, effects.Change(meeting, before, made.meeting, actor, side, now, offer=made.offer))
    return meeting.row


async def _rebook(
    uow: UnitOfWork,
    meeting: MeetingRecord,
    actor: Actor,
    starts_at: datetime,
    request: RescheduleRequest,
    now: datetime,
) -> Meeting:
    """The old time is cancelled first, so the new one may overlap it; then booked as a free slot."""
    before = meeting.state
    programme = await programme_of(meeting.parties.expert_id, meeting.parties.client_id)
    cancelled, rebooked = rescheduling.rebook(
        before,
        programme,
        starts_at,
        meeting.policy,
        now,
        acknowledge_late_notice=request.acknowledge_late_notice,
    )
    old = await meeting_repository.save(meeting, cancelled.state, now)
    await effects.record(uow, effects.Change(old, before, cancelled, actor, Side.CLIENT, now))

    service = await Service.filter(id=meeting.row.service_id).select_related("expert__expert_profile").get()
    await require_bookable(service.expert, starts_at, before.duration_minutes, now)
    if rebooked.state.price_credits:
        await require_balance(meeting.parties.client_id, rebooked.state.price_credits)
    client = meeting.client
    new = NewMeeting(meeting.parties, service.id, meeting.row.skill, Side.CLIENT, rebooked)
    added = await meeting_repository.add(new, service=service, client=client, now=now)
    await effects.record(
        uow, effects.Change(added, None, rebooked, actor, Side.CLIENT, now, rebooked_from=before.starts_at)
    )
    return added.row


async def _expert_busy(meeting: MeetingRecord, times: Sequence[datetime]) -> bool:
    """Whether any of the times overlaps the expert's other meetings or held times."""
    duration = timedelta(minutes=meeting.state.duration_minutes)
    for starts_at in times:
        if await busy.is_busy(
            meeting.parties.expert_id, starts_at, starts_at + duration, exclude_meeting_id=meeting.id
        ):
            return True
    return False
