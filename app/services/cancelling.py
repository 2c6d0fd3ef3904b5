"""Use cases that end a meeting before its start, and settle what a late end left open."""

from uuid import UUID

from app.domain import meetings as rules
from app.domain.access import acting_side
from app.domain.errors import (
    InvalidInput,
    InvalidState,
    LateNoticeNotAcknowledged,
    NotAllowed,
    NotFound,
    TooLate,
    refuses,
)
from app.domain.meetings import CancelReason, SettlementDecision
from app.domain.people import Actor, Side
from app.models import Meeting
from app.services import effects, meeting_repository
from app.services.runtime import Runtime
from app.services.unit_of_work import unit_of_work


@refuses(InvalidInput, InvalidState, LateNoticeNotAcknowledged, NotAllowed, NotFound, TooLate)
async def cancel_meeting(
    runtime: Runtime,
    actor: Actor,
    meeting_id: UUID,
    *,
    reason: CancelReason | None,
    message: str | None,
    acknowledge_late_notice: bool,
    admin_acts_as: Side | None = None,
) -> Meeting:
    """CANCELLED; the credits follow the cancelling side's rules; the room is revoked."""
    now = runtime.clock.now()
    async with unit_of_work(runtime) as uow:
        meeting = await meeting_repository.get_for_update(meeting_id)
        before = meeting.state
        side = acting_side(actor, meeting.parties, admin_acts_as or rules.ADMIN_CANCELS_AS)
        outcome = rules.cancel(
            before,
            side,
            meeting.policy,
            now,
            acknowledge_late_notice=acknowledge_late_notice,
            reason=reason,
            message=message,
        )
        meeting = await meeting_repository.save(meeting, outcome.state, now)
        await effects.record(uow, effects.Change(meeting, before, outcome, actor, side, now))
    return meeting.row


@refuses(InvalidInput, InvalidState, LateNoticeNotAcknowledged, NotAllowed, NotFound, TooLate)
async def cancellation_quote(
    runtime: Runtime, actor: Actor, meeting_id: UUID, admin_acts_as: Side | None = None
) -> tuple[Side, rules.CancellationQuote]:
    """What `cancel_meeting` would do now, by the same rule, for the side that would cancel."""
    meeting = await meeting_repository.get(meeting_id)
    side = acting_side(actor, meeting.parties, admin_acts_as or rules.ADMIN_CANCELS_AS)
    return side, rules.quote_cancellation(meeting.state, side, meeting.policy, runtime.clock.now())


@refuses(InvalidState, NotAllowed, NotFound, TooLate)
async def settle_charge(runtime: Runtime, actor: Actor, meeting_id: UUID, decision: SettlementDecision) -> Meeting:
    """The expert charges the full price or waives it."""
    now = runtime.clock.now()
    async with unit_of_work(runtime) as uow:
        meeting = await meeting_repository.get_for_update(meeting_id)
        before = meeting.state
        side = acting_side(actor, meeting.parties, rules.SETTLING_SIDE)
        outcome = rules.settle(before, side, decision, now)
        meeting = await meeting_repository.save(meeting, outcome.state, now)
        await effects.record(uow, effects.Change(meeting, before, outcome, actor, side, now))
    return meeting.row
