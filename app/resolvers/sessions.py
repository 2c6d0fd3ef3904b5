from collections.abc import Awaitable, Callable
from typing import Annotated

import strawberry

from app.domain import billing
from app.resolvers.arguments import INPUT
from app.resolvers.ids import parse_id
from app.resolvers.viewer import viewer_of
from app.schema.context import Info
from app.schema.meetings.types import Meeting, Note, Review
from app.schema.sessions.operations import (
    AddNoteInput,
    AddNoteResult,
    BillableTimeInput,
    BillableTimeResult,
    EndMeetingInput,
    EndMeetingResult,
    JoinMeetingInput,
    JoinMeetingResult,
    ReviewMeetingInput,
    ReviewMeetingResult,
)
from app.services import sessions


async def join_meeting(info: Info, input: Annotated[JoinMeetingInput, INPUT]) -> Meeting:
    viewer = viewer_of(info)
    row = await sessions.join_meeting(info.context.runtime, viewer, parse_id(input.meeting_id, "meeting"))
    return Meeting.from_model(row, viewer)


async def end_meeting(info: Info, input: Annotated[EndMeetingInput, INPUT]) -> Meeting:
    viewer = viewer_of(info)
    row = await sessions.end_meeting(info.context.runtime, viewer, parse_id(input.meeting_id, "meeting"))
    return Meeting.from_model(row, viewer)


def _billable_time(rule: sessions.BillingRule) -> Callable[[Info, BillableTimeInput], Awaitable[Meeting]]:
    async def mark(info: Info, input: Annotated[BillableTimeInput, INPUT]) -> Meeting:
        viewer = viewer_of(info)
        meeting_id = parse_id(input.meeting_id, "meeting")
        row = await sessions.mark_billable_time(info.context.runtime, viewer, meeting_id, rule)
        return Meeting.from_model(row, viewer)

    return mark


async def add_note(info: Info, input: Annotated[AddNoteInput, INPUT]) -> Note:
    viewer = viewer_of(info)
    row = await sessions.add_note(info.context.runtime, viewer, parse_id(input.meeting_id, "meeting"), input.text)
    return Note.from_model(row)


async def review_meeting(info: Info, input: Annotated[ReviewMeetingInput, INPUT]) -> Review:
    viewer = viewer_of(info)
    row = await sessions.review_meeting(
        info.context.runtime, viewer, parse_id(input.meeting_id, "meeting"), input.rating, input.text
    )
    return Review.from_model(row)


@strawberry.type
class SessionMutations:
    join_meeting = strawberry.mutation(
        resolver=join_meeting,
        graphql_type=JoinMeetingResult,
        description="Join an agreed meeting inside its join window; when both have joined it is IN_PROGRESS.",
    )
    end_meeting = strawberry.mutation(
        resolver=end_meeting,
        graphql_type=EndMeetingResult,
        description="Expert: end a running session early: COMPLETED (a per-minute session is charged its "
        "billable time).",
    )
    start_billable_time = strawberry.mutation(
        resolver=_billable_time(billing.start),
        graphql_type=BillableTimeResult,
        description="Expert, in a per-minute session both sides joined: start billable time, once context is built.",
    )
    pause_billable_time = strawberry.mutation(
        resolver=_billable_time(billing.pause),
        graphql_type=BillableTimeResult,
        description="Expert: pause billable time (the paused stretch is not charged).",
    )
    resume_billable_time = strawberry.mutation(
        resolver=_billable_time(billing.resume),
        graphql_type=BillableTimeResult,
        description="Expert: resume paused billable time.",
    )
    add_note = strawberry.mutation(
        resolver=add_note,
        graphql_type=AddNoteResult,
        description="Expert: add a note to a meeting (never edited or deleted).",
    )
    review_meeting = strawberry.mutation(
        resolver=review_meeting,
        graphql_type=ReviewMeetingResult,
        description="Client: review a completed session, once.",
    )
