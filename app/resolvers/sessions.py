from typing import Annotated

from app.resolvers.arguments import INPUT
from app.resolvers.ids import parse_id
from app.resolvers.viewer import viewer_of
from app.schema.context import Info
from app.schema.meeting_inputs import (
    AddNoteInput,
    EndMeetingInput,
    JoinMeetingInput,
    ReviewMeetingInput,
)
from app.schema.meeting_results import (
    AddNoteResult,
    EndMeetingResult,
    JoinMeetingResult,
    ReviewMeetingResult,
)
from app.schema.meetings import Meeting, Note, Review
from app.services import sessions


async def join_meeting(info: Info, input: Annotated[JoinMeetingInput, INPUT]) -> JoinMeetingResult:
    viewer = viewer_of(info)
    row = await sessions.join_meeting(info.context.runtime, viewer, parse_id(input.meeting_id, "meeting"))
    return Meeting.from_model(row, viewer)


async def end_meeting(info: Info, input: Annotated[EndMeetingInput, INPUT]) -> EndMeetingResult:
    viewer = viewer_of(info)
    row = await sessions.end_meeting(info.context.runtime, viewer, parse_id(input.meeting_id, "meeting"))
    return Meeting.from_model(row, viewer)


async def add_note(info: Info, input: Annotated[AddNoteInput, INPUT]) -> AddNoteResult:
    viewer = viewer_of(info)
    row = await sessions.add_note(info.context.runtime, viewer, parse_id(input.meeting_id, "meeting"), input.text)
    return Note.from_model(row)


async def review_meeting(info: Info, input: Annotated[ReviewMeetingInput, INPUT]) -> ReviewMeetingResult:
    viewer = viewer_of(info)
    row = await sessions.review_meeting(
        info.context.runtime, viewer, parse_id(input.meeting_id, "meeting"), input.rating, input.text
    )
    return Review.from_model(row)
