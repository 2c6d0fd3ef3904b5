"""The session itself: joining, ending, and what it leaves behind (notes, a review)."""

from datetime import datetime
from uuid import UUID, uuid4

from app.domain import meetings as rules
from app.domain.followups import check_note, check_review
from app.domain.meetings import Outcome, TimelineEventType
from app.domain.people import Actor, Side
from app.models import Meeting, Note, Review
from app.services.meetings import Change, change_meeting, policy_for, state_of
from app.services.runtime import Runtime


async def join_meeting(runtime: Runtime, actor: Actor, meeting_id: UUID) -> Meeting:
    async def decide(row: Meeting, side: Side, now: datetime) -> Change:
        state = state_of(row)
        return Change(row, side, rules.join(state, side, policy_for(row), now), state.credit_status)

    return await change_meeting(runtime, actor, meeting_id, lambda _row: None, decide)


async def end_meeting(runtime: Runtime, actor: Actor, meeting_id: UUID) -> Meeting:
    async def decide(row: Meeting, side: Side, now: datetime) -> Change:
        state = state_of(row)
        return Change(row, side, rules.end_by_expert(state, side, now), state.credit_status)

    return await change_meeting(runtime, actor, meeting_id, lambda _row: Side.EXPERT, decide)


async def add_note(runtime: Runtime, actor: Actor, meeting_id: UUID, text: str) -> Note:
    notes: list[Note] = []

    async def decide(row: Meeting, side: Side, now: datetime) -> Change:
        state = state_of(row)
        checked = check_note(state, side, policy_for(row), now, text)
        notes.append(
            await Note.create(id=uuid4(), meeting_id=row.id, author_id=actor.user_id, text=checked, created_at=now)
        )
        return Change(row, side, Outcome(state, TimelineEventType.NOTE_ADDED), state.credit_status)

    await change_meeting(runtime, actor, meeting_id, lambda _row: None, decide)
    return notes[0]


async def review_meeting(
    runtime: Runtime, actor: Actor, meeting_id: UUID, rating: int, text: str
) -> Review:
    reviews: list[Review] = []

    async def decide(row: Meeting, side: Side, now: datetime) -> Change:
        state = state_of(row)
        already = await Review.filter(meeting_id=row.id).exists()
        checked = check_review(state, side, rating, text, already)
        reviews.append(
            await Review.create(
                id=uuid4(), meeting_id=row.id, expert_id=row.expert_id, rating=rating, text=checked, created_at=now
            )
        )
        return Change(row, side, Outcome(state, TimelineEventType.REVIEWED), state.credit_status)

    await change_meeting(runtime, actor, meeting_id, lambda _row: None, decide)
    return reviews[0]
