"""`rescheduleMeeting`: who asks, and why, decides whether the time moves now or is offered.

Expert, the client asked: moved at once (AGREED). Expert, own schedule: an
offer of held times. Expert, a REJECTED meeting: a new time the client answers.
Client: a proposal to the expert, or (`rebook`, HUB clients only) a move into
a free slot at once, as a cancellation plus a new booking.
"""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
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
from app.domain.meetings import MeetingState, MeetingStatus, Outcome
from app.domain.people import Actor, Side
from app.domain.rescheduling import RescheduleReason
from app.models import Meeting, Service
from app.services import busy, effects, meeting_repository, offer_repository
from app.services.availability import require_bookable
from app.services.ledger import require_balance, require_balance_for
from app.services.meeting_repository import MeetingRecord
from app.services.programmes import programme_of
from app.services.rooms import arrange_room
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
        if side is Side.CLIENT and request.rebook:
            return await _rebook(uow, meeting, actor, _one(request.times), request, now)
        if side is Side.CLIENT or request.reason is RescheduleReason.EXPERT_SCHEDULE:
            return await _offer_times(uow, meeting, actor, side, request, now)
        before = meeting.state
        starts_at = _one(request.times)
        overlaps = await _expert_busy(meeting, [starts_at])
        if before.status is MeetingStatus.REJECTED:
            outcome = rescheduling.reopen_rejected(
                before,
                starts_at,
                now,
                overlaps_other_meeting=overlaps,
                acknowledge_overlap=request.acknowledge_overlap,
            )
        elif request.reason is RescheduleReason.CLIENT_REQUESTED:
            outcome = rescheduling.move_at_clients_request(
                before,
                starts_at,
                now,
                overlaps_other_meeting=overlaps,
                acknowledge_overlap=request.acknowledge_overlap,
            )
        else:
            raise InvalidInput("an expert gives a reason: CLIENT_REQUESTED or EXPERT_SCHEDULE")
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
    state = arrange_room(uow.runtime.rooms, before, outcome.state)
    meeting = await meeting_repository.save_claiming_time(meeting, state, now)
    await effects.record(uow, effects.Change(meeting, before, outcome, actor, side, now))
    return meeting.row


async def _offer_times(
    uow: UnitOfWork, meeting: MeetingRecord, actor: Actor, side: Side, request: RescheduleRequest, now: datetime
) -> Meeting:
    before = meeting.state
    overlaps = side is Side.EXPERT and await _expert_busy(meeting, request.times)
    made = offers.offer_times(
        before,
        side,
        request.times,
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
    state = arrange_room(uow.runtime.rooms, before, cancelled.state)
    old = await meeting_repository.save(meeting, state, now)
    await effects.record(uow, effects.Change(old, before, cancelled, actor, Side.CLIENT, now))

    service = await Service.filter(id=meeting.row.service_id).select_related("expert__expert_profile").get()
    await require_bookable(service.expert, starts_at, before.duration_minutes, now)
    if rebooked.state.price_credits:
        await require_balance(meeting.parties.client_id, rebooked.state.price_credits)
    client = meeting.client
    with_room = replace(rebooked, state=arrange_room(uow.runtime.rooms, rebooked.state, rebooked.state))
    new = NewMeeting(meeting.parties, service.id, meeting.row.skill, Side.CLIENT, with_room)
    added = await meeting_repository.add(new, service=service, client=client, now=now)
    await effects.record(
        uow, effects.Change(added, None, with_room, actor, Side.CLIENT, now, rebooked_from=before.starts_at)
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


def _one(times: Sequence[datetime]) -> datetime:
    if len(times) != 1:
        raise InvalidInput("give exactly one new start time")
    return times[0]
