"""Use cases of the side that has not approved yet: confirm or decline."""

from uuid import UUID

from app.domain import meetings as rules
from app.domain.access import acting_side
from app.domain.errors import (
    ConflictNotAcknowledged,
    InsufficientCredits,
    InvalidInput,
    InvalidState,
    NotAllowed,
    NotFound,
    SlotTaken,
    TooLate,
    refuses,
)
from app.domain.meetings import DeclineReason
from app.domain.people import Actor, Side
from app.models import Meeting
from app.services import busy, effects, meeting_repository
from app.services.ledger import require_balance_for
from app.services.runtime import Runtime
from app.services.unit_of_work import unit_of_work


@refuses(ConflictNotAcknowledged, InsufficientCredits, InvalidState, NotAllowed, NotFound, SlotTaken, TooLate)
async def confirm_meeting(runtime: Runtime, actor: Actor, meeting_id: UUID, *, acknowledge_overlap: bool) -> Meeting:
    """AGREED: a client confirming blocks the credits; an online meeting gets its room."""
    now = runtime.clock.now()
    async with unit_of_work(runtime) as uow:
        meeting = await meeting_repository.get_for_update(meeting_id)
        before = meeting.state
        side = acting_side(actor, meeting.parties, rules.unapproved_side(before))
        overlaps = side is Side.EXPERT and await busy.is_busy(
            meeting.parties.expert_id, before.start, before.ends_at, exclude_meeting_id=meeting.id
        )
        outcome = rules.confirm(
            before, side, now, overlaps_other_meeting=overlaps, acknowledge_overlap=acknowledge_overlap
        )
        await require_balance_for(meeting.parties.client_id, before, outcome.state)
        meeting = await meeting_repository.save_claiming_time(meeting, outcome.state, now)
        await effects.record(uow, effects.Change(meeting, before, outcome, actor, side, now))
    return meeting.row


@refuses(InvalidInput, InvalidState, NotAllowed, NotFound, TooLate)
async def decline_meeting(
    runtime: Runtime, actor: Actor, meeting_id: UUID, reason: DeclineReason, message: str | None
) -> Meeting:
    """REJECTED, with a reason; any blocked credits are returned."""
    now = runtime.clock.now()
    async with unit_of_work(runtime) as uow:
        meeting = await meeting_repository.get_for_update(meeting_id)
        before = meeting.state
        side = acting_side(actor, meeting.parties, rules.unapproved_side(before))
        outcome = rules.decline(before, side, now, reason=reason, message=message)
        meeting = await meeting_repository.save(meeting, outcome.state, now)
        await effects.record(uow, effects.Change(meeting, before, outcome, actor, side, now))
    return meeting.row
