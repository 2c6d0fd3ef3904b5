"""What the session operations (join, end, notes, reviews) take and answer."""

import strawberry

from app.schema.meetings.types import Meeting, Note, Review
from app.schema.results import result_of
from app.services import sessions


@strawberry.input(description="Join an agreed meeting inside its join window.")
class JoinMeetingInput:
    meeting_id: strawberry.ID = strawberry.field(description="The meeting.")


@strawberry.input(description="The expert ends a running session before its planned end.")
class EndMeetingInput:
    meeting_id: strawberry.ID = strawberry.field(description="The meeting.")


@strawberry.input(description="The expert adds a note to a meeting (until the notes window after completion closes).")
class AddNoteInput:
    meeting_id: strawberry.ID = strawberry.field(description="The meeting.")
    text: str = strawberry.field(description="The note (at most 5,000 characters); notes are never edited.")


@strawberry.input(description="The client reviews a completed session, once.")
class ReviewMeetingInput:
    meeting_id: strawberry.ID = strawberry.field(description="The meeting.")
    rating: int = strawberry.field(description="1 to 5 stars.")
    text: str = strawberry.field(default="", description="What you thought (optional, at most 2,000 characters).")


JoinMeetingResult = result_of("JoinMeetingResult", Meeting, sessions.join_meeting)


@strawberry.input(
    description="The expert (or an admin for them) starts, pauses or resumes a per-minute session's billable time."
)
class BillableTimeInput:
    meeting_id: strawberry.ID = strawberry.field(description="An IN_PROGRESS per-minute session.")


EndMeetingResult = result_of("EndMeetingResult", Meeting, sessions.end_meeting)
BillableTimeResult = result_of(
    "BillableTimeResult",
    Meeting,
    sessions.mark_billable_time,
    "What startBillableTime, pauseBillableTime and resumeBillableTime answer: the Meeting, or the Problem "
    "saying why nothing changed.",
)
AddNoteResult = result_of("AddNoteResult", Note, sessions.add_note)
ReviewMeetingResult = result_of("ReviewMeetingResult", Review, sessions.review_meeting)
