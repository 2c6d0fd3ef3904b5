"""Rescheduling, offers and their answers, client programmes, and the cancellation quote."""

from typing import Annotated

import strawberry

from app.resolvers.arguments import INPUT, MEETING_ID
from app.resolvers.ids import parse_id
from app.resolvers.viewer import viewer_of
from app.schema.context import Info
from app.schema.enums import Side
from app.schema.meetings.types import CancellationQuote, ClientProgrammeSetting, Meeting
from app.schema.offers.operations import (
    CancellationQuoteResult,
    ChangeMeetingLocationInput,
    ChangeMeetingLocationResult,
    RescheduleMeetingInput,
    RescheduleMeetingResult,
    RespondToOfferInput,
    RespondToOfferResult,
    SetClientProgrammeInput,
    SetClientProgrammeResult,
    WithdrawOfferInput,
    WithdrawOfferResult,
)
from app.services import cancelling, offers, programmes, rescheduling


async def reschedule_meeting(info: Info, input: Annotated[RescheduleMeetingInput, INPUT]) -> Meeting:
    viewer = viewer_of(info)
    row = await rescheduling.reschedule_meeting(
        info.context.runtime,
        viewer,
        parse_id(input.meeting_id, "meeting"),
        rescheduling.RescheduleRequest(
            times=tuple(input.times),
            reason=input.reason,
            rebook=input.rebook,
            message=input.message,
            acknowledge_overlap=input.acknowledge_overlap,
            acknowledge_late_notice=input.acknowledge_late_notice,
            acting_as=input.acting_as,
        ),
    )
    return Meeting.from_model(row, viewer)


async def respond_to_offer(info: Info, input: Annotated[RespondToOfferInput, INPUT]) -> Meeting:
    viewer = viewer_of(info)
    row = await offers.respond_to_offer(
        info.context.runtime,
        viewer,
        parse_id(input.offer_id, "offer"),
        offers.Answer(input.decision, input.starts_at, input.message, input.acknowledge_overlap, input.reason),
    )
    return Meeting.from_model(row, viewer)


async def withdraw_offer(info: Info, input: Annotated[WithdrawOfferInput, INPUT]) -> Meeting:
    viewer = viewer_of(info)
    row = await offers.withdraw_offer(info.context.runtime, viewer, parse_id(input.offer_id, "offer"), input.message)
    return Meeting.from_model(row, viewer)


async def change_meeting_location(info: Info, input: Annotated[ChangeMeetingLocationInput, INPUT]) -> Meeting:
    viewer = viewer_of(info)
    row = await offers.change_meeting_location(
        info.context.runtime,
        viewer,
        parse_id(input.meeting_id, "meeting"),
        input.mode,
        input.location,
        input.message,
        input.reason,
    )
    return Meeting.from_model(row, viewer)


async def set_client_programme(info: Info, input: Annotated[SetClientProgrammeInput, INPUT]) -> ClientProgrammeSetting:
    viewer = viewer_of(info)
    client_id = parse_id(input.client_id, "client")
    expert_id = parse_id(input.expert_id, "expert") if input.expert_id else viewer.user_id
    programme = await programmes.set_client_programme(
        info.context.runtime, viewer, expert_id, client_id, input.programme
    )
    return ClientProgrammeSetting(
        expert_id=strawberry.ID(str(expert_id)), client_id=strawberry.ID(str(client_id)), programme=programme
    )


async def cancellation_quote(
    info: Info,
    meeting_id: Annotated[strawberry.ID, MEETING_ID],
    acting_as: Annotated[Side | None, strawberry.argument(description="Admins only: the side to quote for.")] = None,
) -> CancellationQuote:
    viewer = viewer_of(info)
    meeting = parse_id(meeting_id, "meeting")
    side, quote = await cancelling.cancellation_quote(info.context.runtime, viewer, meeting, acting_as)
    return CancellationQuote.from_quote(meeting, side, quote)


@strawberry.type
class OfferQueries:
    cancellation_quote = strawberry.field(
        resolver=cancellation_quote,
        graphql_type=CancellationQuoteResult,
        description="What cancelMeeting would do now (refund, possible charge, acknowledgement, "
        "or the Problem), for the viewer's side (admins: actingAs, default EXPERT).",
    )


@strawberry.type
class OfferMutations:
    reschedule_meeting = strawberry.mutation(
        resolver=reschedule_meeting,
        graphql_type=RescheduleMeetingResult,
        description="Move a meeting now or offer other times; what happens depends on your side "
        "and reason (see RescheduleMeetingInput).",
    )
    respond_to_offer = strawberry.mutation(
        resolver=respond_to_offer,
        graphql_type=RespondToOfferResult,
        description="The addressee of an offer picks one option (ACCEPT) or rejects it.",
    )
    withdraw_offer = strawberry.mutation(
        resolver=withdraw_offer,
        graphql_type=WithdrawOfferResult,
        description="The side that made an offer takes it back; its held times are free again.",
    )
    change_meeting_location = strawberry.mutation(
        resolver=change_meeting_location,
        graphql_type=ChangeMeetingLocationResult,
        description="Expert: offer another mode or place; the old one stands until the client accepts.",
    )
    set_client_programme = strawberry.mutation(
        resolver=set_client_programme,
        graphql_type=SetClientProgrammeResult,
        description="Expert (or admin): put a client in the HUB programme (rebooks itself) or PRIVATE.",
    )
