"""Use cases of the session itself: joining, ending, and what it leaves behind."""

from collections.abc import Callable
from datetime import datetime
from uuid import UUID, uuid4

from app.domain import meetings as rules
from app.domain.access import acting_side
from app.domain.errors import InvalidInput, InvalidState, NotAllowed, NotFound, TooLate, TooSoon, refuses
from app.domain.followups import check_note, check_review
from app.domain.meetings import MeetingState, Outcome, TimelineEventType
from app.domain.people import Actor, Side
from app.models import Meeting, Note, Review
from app.services import effects, meeting_repository
from app.services.meeting_repository import MeetingRecord
from app.services.runtime import Runtime
from app.services.unit_of_work import unit_of_work

SessionRule = Callable[[MeetingRecord, Side, datetime], Outcome]
BillingRule = Callable[[MeetingState, Side, datetime], Outcome]


async def _change_session(
    runtime: Runtime, actor: Actor, meeting_id: UUID, admin_acts_as: Side | None, rule: SessionRule
) -> Meeting:
    """One change of a session: the meeting locked, the actor's side, the rule's outcome saved
    with its effects."""
    now = runtime.clock.now()
    async with unit_of_work(runtime) as uow:
        meeting = await meeting_repository.get_for_update(meeting_id)
        before = meeting.state
        side = acting_side(actor, meeting.parties, admin_acts_as=admin_acts_as)
        outcome = rule(meeting, side, now)
        meeting = await meeting_repository.save(meeting, outcome.state, now)
        await effects.record(uow, effects.Change(meeting, before, outcome, actor, side, now))
    return meeting.row


@refuses(InvalidState, NotAllowed, NotFound, TooLate, TooSoon)
async def join_meeting(runtime: Runtime, actor: Actor, meeting_id: UUID) -> Meeting:
    """A participant (never an admin) joins; both joined is IN_PROGRESS."""
    return await _change_session(
        runtime,
        actor,
        meeting_id,
        None,
        lambda meeting, side, now: rules.join(meeting.state, side, meeting.policy, now),
    )


@refuses(InvalidState, NotAllowed, NotFound)
async def end_meeting(runtime: Runtime, actor: Actor, meeting_id: UUID) -> Meeting:
    """The expert (or an admin for them) ends a running session: COMPLETED, CHARGED."""
    return await _change_session(
        runtime,
        actor,
        meeting_id,
        rules.SETTLING_SIDE,
        lambda meeting, side, now: rules.end_by_expert(meeting.state, side, now),
    )


@refuses(InvalidState, NotAllowed, NotFound)
async def mark_billable_time(runtime: Runtime, actor: Actor, meeting_id: UUID, rule: BillingRule) -> Meeting:
    """The expert (or an admin for them) starts, pauses or resumes a per-minute session's
    billable time (domain/billing.py)."""
    return await _change_session(
        runtime, actor, meeting_id, Side.EXPERT, lambda meeting, side, now: rule(meeting.state, side, now)
    )


@refuses(InvalidInput, InvalidState, NotAllowed, NotFound, TooLate)
async def add_note(runtime: Runtime, actor: Actor, meeting_id: UUID, text: str) -> Note:
    """The meeting's expert adds a note; the meeting's version moves so that listeners hear it."""
    now = runtime.clock.now()
    async with unit_of_work(runtime) as uow:
        meeting = await meeting_repository.get_for_update(meeting_id)
        side = acting_side(actor, meeting.parties, admin_acts_as=None)
        checked = check_note(meeting.state, side, meeting.policy, now, text)
        note = await Note.create(
            id=uuid4(), meeting_id=meeting.id, author_id=actor.user_id, text=checked, created_at=now
        )
        meeting = await meeting_repository.save(meeting, meeting.state, now)
        outcome = Outcome(meeting.state, TimelineEventType.NOTE_ADDED)
        await effects.record(uow, effects.Change(meeting, meeting.state, outcome, actor, side, now))
    return note


@refuses(InvalidInput, InvalidState, NotAllowed, NotFound)
async def review_meeting(runtime: Runtime, actor: Actor, meeting_id: UUID, rating: int, text: str) -> Review:
    """The client reviews a completed session, once."""
    now = runtime.clock.now()
    async with unit_of_work(runtime) as uow:
        meeting = await meeting_repository.get_for_update(meeting_id)
        side = acting_side(actor, meeting.parties, admin_acts_as=None)
        already = await Review.filter(meeting_id=meeting.id).exists()
        checked = check_review(meeting.state, side, rating, text, already)
        review = await Review.create(
            id=uuid4(),
            meeting_id=meeting.id,
            expert_id=meeting.parties.expert_id,
            rating=rating,
            text=checked,
            created_at=now,
        )
        meeting = await meeting_repository.save(meeting, meeting.state, now)
        outcome = Outcome(meeting.state, TimelineEventType.REVIEWED)
        await effects.record(uow, effects.Change(meeting, meeting.state, outcome, actor, side, now))
    return review
