from typing import Annotated
from uuid import UUID

import strawberry

from app.domain.booking import Choice
from app.resolvers.arguments import AFTER, FIRST, INPUT, MEETING_ID
from app.resolvers.ids import parse_id
from app.resolvers.viewer import refusals_as_errors, viewer_of
from app.schema.context import Info
from app.schema.meeting_inputs import (
    BookMeetingInput,
    CancelMeetingInput,
    ConfirmMeetingInput,
    DeclineMeetingInput,
    MeetingFilterInput,
    ProposeMeetingInput,
    RequestSessionInput,
    SettleChargeInput,
)
from app.schema.meeting_results import (
    BookMeetingResult,
    CancelMeetingResult,
    ConfirmMeetingResult,
    DeclineMeetingResult,
    MeetingResult,
    ProposeMeetingResult,
    RequestSessionResult,
    SettleChargeResult,
)
from app.schema.meetings import Meeting, MeetingRelations
from app.schema.pagination import Connection
from app.services import answering, booking, cancelling, meeting_queries
from app.services.meeting_queries import MeetingFilter


async def meeting(info: Info, id: Annotated[strawberry.ID, MEETING_ID]) -> MeetingResult:
    viewer = viewer_of(info)
    row = await meeting_queries.get_meeting(viewer, parse_id(id, "meeting"))
    return Meeting.from_model(row, viewer)


async def meetings_connection(
    info: Info,
    filter: Annotated[
        MeetingFilterInput | None, strawberry.argument(description="Only meetings matching all of it.")
    ] = None,
    first: Annotated[int, FIRST] = 20,
    after: Annotated[str | None, AFTER] = None,
) -> Connection[Meeting]:
    viewer = viewer_of(info)
    given = filter or MeetingFilterInput()
    with refusals_as_errors():
        page = await meeting_queries.list_meetings(
            viewer,
            MeetingFilter(
                statuses=tuple(given.statuses or ()),
                side=given.side,
                starts_from=given.starts_from,
                starts_before=given.starts_before,
                updated_since=given.updated_since,
            ),
            first,
            after,
        )
    related = await MeetingRelations.for_page(info, [row for _cursor, row in page.items])
    return Connection.from_page(page, lambda row: Meeting.from_model(row, viewer, related.get(row.id)))


async def book_meeting(info: Info, input: Annotated[BookMeetingInput, INPUT]) -> BookMeetingResult:
    viewer = viewer_of(info)
    row = await booking.book_meeting(
        info.context.runtime,
        viewer,
        parse_id(input.service_id, "service"),
        Choice(input.starts_at, input.duration_minutes, input.mode, input.skill),
    )
    return Meeting.from_model(row, viewer)


async def request_session(info: Info, input: Annotated[RequestSessionInput, INPUT]) -> RequestSessionResult:
    viewer = viewer_of(info)
    row = await booking.request_session(
        info.context.runtime,
        viewer,
        booking.SessionRequest(
            service_id=parse_id(input.service_id, "service"),
            times=tuple(input.times),
            duration_minutes=input.duration_minutes,
            mode=input.mode,
            skill=input.skill,
            message=input.message,
        ),
    )
    return Meeting.from_model(row, viewer)


async def propose_meeting(info: Info, input: Annotated[ProposeMeetingInput, INPUT]) -> ProposeMeetingResult:
    viewer = viewer_of(info)
    row = await booking.propose_meeting(
        info.context.runtime,
        viewer,
        booking.Proposal(
            client_id=parse_id(input.client_id, "client"),
            service_id=parse_id(input.service_id, "service"),
            choice=Choice(input.starts_at, input.duration_minutes, input.mode, input.skill),
            price_credits=input.price_credits,
            acknowledge_overlap=input.acknowledge_overlap,
        ),
    )
    return Meeting.from_model(row, viewer)


async def confirm_meeting(info: Info, input: Annotated[ConfirmMeetingInput, INPUT]) -> ConfirmMeetingResult:
    viewer = viewer_of(info)
    row = await answering.confirm_meeting(
        info.context.runtime,
        viewer,
        _meeting_id(input.meeting_id),
        acknowledge_overlap=input.acknowledge_overlap,
    )
    return Meeting.from_model(row, viewer)


async def decline_meeting(info: Info, input: Annotated[DeclineMeetingInput, INPUT]) -> DeclineMeetingResult:
    viewer = viewer_of(info)
    row = await answering.decline_meeting(
        info.context.runtime, viewer, _meeting_id(input.meeting_id), input.reason, input.message
    )
    return Meeting.from_model(row, viewer)


async def cancel_meeting(info: Info, input: Annotated[CancelMeetingInput, INPUT]) -> CancelMeetingResult:
    viewer = viewer_of(info)
    row = await cancelling.cancel_meeting(
        info.context.runtime,
        viewer,
        _meeting_id(input.meeting_id),
        reason=input.reason,
        message=input.message,
        acknowledge_late_notice=input.acknowledge_late_notice,
        admin_acts_as=input.acting_as,
    )
    return Meeting.from_model(row, viewer)


async def settle_charge(info: Info, input: Annotated[SettleChargeInput, INPUT]) -> SettleChargeResult:
    viewer = viewer_of(info)
    row = await cancelling.settle_charge(info.context.runtime, viewer, _meeting_id(input.meeting_id), input.decision)
    return Meeting.from_model(row, viewer)


def _meeting_id(value: strawberry.ID) -> UUID:
    return parse_id(value, "meeting")
