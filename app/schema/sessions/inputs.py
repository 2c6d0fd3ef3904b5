"""Inputs of the session mutations: join, end, notes, reviews."""

import strawberry


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
