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
EndMeetingResult = result_of("EndMeetingResult", Meeting, sessions.end_meeting)
AddNoteResult = result_of("AddNoteResult", Note, sessions.add_note)
ReviewMeetingResult = result_of("ReviewMeetingResult", Review, sessions.review_meeting)
