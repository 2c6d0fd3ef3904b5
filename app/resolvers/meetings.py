from collections.abc import AsyncGenerator
from contextlib import aclosing
from datetime import datetime
from typing import Annotated
from uuid import UUID

import strawberry

from app.domain import meetings as rules
from app.domain.booking import Choice
from app.events.broker import RESUMED
from app.models import ExpertProfile
from app.models import Meeting as MeetingRow
from app.resolvers import live
from app.resolvers.arguments import AFTER, FIRST, INPUT, MEETING_ID
from app.resolvers.ids import optional_id, parse_id
from app.resolvers.viewer import refusals_as_errors, viewer_of
from app.schema.context import Info
from app.schema.meetings.operations import (
    BookMeetingInput,
    BookMeetingResult,
    CancelMeetingInput,
    CancelMeetingResult,
    ConfirmMeetingInput,
    ConfirmMeetingResult,
    DeclineMeetingInput,
    DeclineMeetingResult,
    MeetingFilterInput,
    MeetingResult,
    ProposeMeetingInput,
    ProposeMeetingResult,
    RequestSessionInput,
    RequestSessionResult,
    SettleChargeInput,
    SettleChargeResult,
)
from app.schema.meetings.types import JoinAvailability, Meeting, MeetingRelations
from app.schema.pagination import Connection
from app.services import answering, booking, cancelling, meeting_queries
from app.services.catalog import policy_of
from app.services.meeting_queries import MeetingFilter
from app.services.meeting_repository import state_of


async def meeting(info: Info, id: Annotated[strawberry.ID, MEETING_ID]) -> Meeting:
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
                notes_missing=given.notes_missing,
                now=info.context.runtime.clock.now(),
            ),
            first,
            after,
        )
    related = await MeetingRelations.for_page(info, [row for _cursor, row in page.items])
    return Connection.from_page(page, lambda row: Meeting.from_model(row, viewer, related.get(row.id)))


async def book_meeting(info: Info, input: Annotated[BookMeetingInput, INPUT]) -> Meeting:
    viewer = viewer_of(info)
    row = await booking.book_meeting(
        info.context.runtime,
        viewer,
        parse_id(input.service_id, "service"),
        Choice(input.starts_at, input.duration_minutes, input.mode, input.skill),
        coupon_code=input.coupon_code,
    )
    return Meeting.from_model(row, viewer)


async def request_session(info: Info, input: Annotated[RequestSessionInput, INPUT]) -> Meeting:
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


async def propose_meeting(info: Info, input: Annotated[ProposeMeetingInput, INPUT]) -> Meeting:
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


async def confirm_meeting(info: Info, input: Annotated[ConfirmMeetingInput, INPUT]) -> Meeting:
    viewer = viewer_of(info)
    row = await answering.confirm_meeting(
        info.context.runtime,
        viewer,
        _meeting_id(input.meeting_id),
        acknowledge_overlap=input.acknowledge_overlap,
    )
    return Meeting.from_model(row, viewer)


async def decline_meeting(info: Info, input: Annotated[DeclineMeetingInput, INPUT]) -> Meeting:
    viewer = viewer_of(info)
    row = await answering.decline_meeting(
        info.context.runtime, viewer, _meeting_id(input.meeting_id), input.reason, input.message
    )
    return Meeting.from_model(row, viewer)


async def cancel_meeting(info: Info, input: Annotated[CancelMeetingInput, INPUT]) -> Meeting:
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


async def settle_charge(info: Info, input: Annotated[SettleChargeInput, INPUT]) -> Meeting:
    viewer = viewer_of(info)
    row = await cancelling.settle_charge(info.context.runtime, viewer, _meeting_id(input.meeting_id), input.decision)
    return Meeting.from_model(row, viewer)


def _meeting_id(value: strawberry.ID) -> UUID:
    return parse_id(value, "meeting")


@strawberry.type
class MeetingQueries:
    meeting = strawberry.field(
        resolver=meeting,
        graphql_type=MeetingResult,
        description="One of your meetings (any meeting, for admins), or NOT_FOUND.",
    )
    meetings = strawberry.field(
        resolver=meetings_connection,
        description="Your meetings by start, earliest first (requested sessions without a time come first); "
        "admins see every meeting.",
    )


@strawberry.type
class MeetingMutations:
    book_meeting = strawberry.mutation(
        resolver=book_meeting,
        graphql_type=BookMeetingResult,
        description="Client: book a free slot; credits are blocked and the meeting waits for the expert.",
    )
    propose_meeting = strawberry.mutation(
        resolver=propose_meeting,
        graphql_type=ProposeMeetingResult,
        description="Expert: propose a meeting to a client; it waits for the client.",
    )
    request_session = strawberry.mutation(
        resolver=request_session,
        graphql_type=RequestSessionResult,
        description="Client: ask an expert for a session at one of up to 5 times (credits blocked); "
        "the expert picks one with respondToOffer or declines.",
    )
    confirm_meeting = strawberry.mutation(
        resolver=confirm_meeting,
        graphql_type=ConfirmMeetingResult,
        description="The side that has not approved yet approves: AGREED.",
    )
    decline_meeting = strawberry.mutation(
        resolver=decline_meeting,
        graphql_type=DeclineMeetingResult,
        description="The side that has not approved yet declines: REJECTED, credits returned.",
    )
    cancel_meeting = strawberry.mutation(
        resolver=cancel_meeting,
        graphql_type=CancelMeetingResult,
        description="Either side cancels (see cancellationQuote for what would happen first).",
    )
    settle_charge = strawberry.mutation(
        resolver=settle_charge,
        graphql_type=SettleChargeResult,
        description="Expert: charge or waive a late client cancellation or a client no-show.",
    )


async def meeting_updated(
    info: Info,
    meeting_id: Annotated[
        strawberry.ID | None,
        strawberry.argument(description="One meeting (its current state first); omit for all of yours."),
    ] = None,
    initial: Annotated[
        bool, strawberry.argument(description="Without meetingId: first each active meeting as it is now.")
    ] = False,
) -> AsyncGenerator[Meeting, None]:
    """A meeting's current state, each time it changes.

    With an id: first the meeting as it is now, then every change. Without:
    every change to any of the viewer's meetings (every meeting, for admins),
    first each active one as it is now when `initial` is true.
    """
    viewer = viewer_of(info)
    with refusals_as_errors():
        only = optional_id(meeting_id, "meeting")
    stream = live.meeting_changes(info, viewer, only, initial)
    async with aclosing(stream):
        async for view in stream:
            yield view


async def join_availability(
    info: Info, meeting_id: Annotated[strawberry.ID, MEETING_ID]
) -> AsyncGenerator[JoinAvailability, None]:
    """The current value on subscribe, then a frame each time `canJoin` flips."""
    viewer = viewer_of(info)
    runtime = info.context.runtime
    async with live.live(info, viewer, [live.meetings_topic(viewer)]) as events:
        with refusals_as_errors():
            row = await meeting_queries.get_meeting(viewer, parse_id(meeting_id, "meeting"))
        if row.starts_at is None:
            return
        current = await _join_availability(row, runtime.clock.now())
        yield current
        async for event in events:
            if event.kind == RESUMED:
                latest_row = await MeetingRow.filter(id=row.id).first()
            elif event.payload["meeting_id"] == str(row.id):
                version = int(event.payload["version"] or 0)
                latest_row = runtime.snapshots.snapshot(row.id, version, str(event.payload["row"])).row
            else:
                continue
            if latest_row is None:
                continue
            latest = await _join_availability(latest_row, runtime.clock.now())
            if latest.can_join != current.can_join:
                current = latest
                yield current


async def _join_availability(row: MeetingRow, now: datetime) -> JoinAvailability:
    state = state_of(row)
    policy = policy_of(await ExpertProfile.get(user_id=row.expert_id))
    return JoinAvailability(
        meeting_id=strawberry.ID(str(row.id)),
        can_join=rules.can_join(state, policy, now),
        opens_at=rules.join_opens_at(state, policy),
        closes_at=state.ends_at,
    )


@strawberry.type
class MeetingSubscriptions:
    meeting_updated = strawberry.subscription(
        resolver=meeting_updated,
        description="A meeting's state each time it changes (all of yours without meetingId).",
    )
    join_availability = strawberry.subscription(
        resolver=join_availability,
        description="Whether you can join a meeting: its current value, then each time it flips.",
    )
