"""Instant sessions: post, take, withdraw."""

from collections.abc import AsyncGenerator
from typing import Annotated

import strawberry
from graphql import GraphQLError

from app.events import topics
from app.events.broker import RESUMED
from app.models import ExpertProfile
from app.models import InstantRequest as InstantRequestRow
from app.resolvers import live
from app.resolvers.arguments import AFTER, FIRST, INPUT
from app.resolvers.ids import parse_id
from app.resolvers.viewer import refusals_as_errors, viewer_of
from app.schema.context import Info
from app.schema.instant.operations import (
    InstantRequestFilterInput,
    InstantRequestResult,
    PostInstantRequestInput,
    PostInstantRequestResult,
    TakeInstantRequestInput,
    TakeInstantRequestResult,
    WithdrawInstantRequestInput,
    WithdrawInstantRequestResult,
)
from app.schema.instant.types import InstantRequest
from app.schema.meetings.types import Meeting
from app.schema.pagination import Connection
from app.services import instant

REQUEST_ID = strawberry.argument(description="The instant request's id.")


async def post_instant_request(info: Info, input: Annotated[PostInstantRequestInput, INPUT]) -> InstantRequest:
    viewer = viewer_of(info)
    row = await instant.post_instant_request(
        info.context.runtime,
        viewer,
        instant.InstantAsk(
            topic=input.topic,
            skill=input.skill,
            description=input.description,
            duration_minutes=input.duration_minutes,
            max_price_credits=input.max_price_credits,
            mode=input.mode,
            direct_expert_id=parse_id(input.expert_id, "expert") if input.expert_id else None,
        ),
    )
    return InstantRequest.from_model(row)


async def take_instant_request(info: Info, input: Annotated[TakeInstantRequestInput, INPUT]) -> Meeting:
    viewer = viewer_of(info)
    row = await instant.take_instant_request(
        info.context.runtime,
        viewer,
        parse_id(input.request_id, "instant request"),
        acknowledge_overlap=input.acknowledge_overlap,
    )
    return Meeting.from_model(row, viewer)


async def withdraw_instant_request(info: Info, input: Annotated[WithdrawInstantRequestInput, INPUT]) -> InstantRequest:
    viewer = viewer_of(info)
    row = await instant.withdraw_instant_request(
        info.context.runtime, viewer, parse_id(input.request_id, "instant request")
    )
    return InstantRequest.from_model(row)


@strawberry.type
class InstantMutations:
    post_instant_request = strawberry.mutation(
        resolver=post_instant_request,
        graphql_type=PostInstantRequestResult,
        description="Client: a session now; offered live to every matching expert who is online and free.",
    )
    take_instant_request = strawberry.mutation(
        resolver=take_instant_request,
        graphql_type=TakeInstantRequestResult,
        description="Expert: the first taker gets an INSTANT meeting, AGREED now, at their price; "
        "later takers get ALREADY_TAKEN.",
    )
    withdraw_instant_request = strawberry.mutation(
        resolver=withdraw_instant_request,
        graphql_type=WithdrawInstantRequestResult,
        description="Client: take back an instant request nobody has taken yet.",
    )


async def instant_request(info: Info, id: Annotated[strawberry.ID, REQUEST_ID]) -> InstantRequest:
    row = await instant.get_instant_request(viewer_of(info), parse_id(id, "instant request"))
    return InstantRequest.from_model(row)


async def instant_requests_connection(
    info: Info,
    filter: Annotated[
        InstantRequestFilterInput | None, strawberry.argument(description="Only requests matching all of it.")
    ] = None,
    first: Annotated[int, FIRST] = 20,
    after: Annotated[str | None, AFTER] = None,
) -> Connection[InstantRequest]:
    viewer = viewer_of(info)
    statuses = (filter.statuses if filter else None) or []
    with refusals_as_errors():
        page = await instant.list_instant_requests(info.context.runtime, viewer, statuses, first, after)
    return Connection.from_page(page, InstantRequest.from_model)


async def instant_requests(
    info: Info,
    initial: Annotated[
        bool, strawberry.argument(description="First each open request you may take now, oldest first.")
    ] = False,
) -> AsyncGenerator[InstantRequest, None]:
    """Experts: each instant request offered to you (OPEN), then how it ended (TAKEN, EXPIRED,
    WITHDRAWN). While subscribed, you are online for new requests that match you."""
    viewer = viewer_of(info)
    runtime = info.context.runtime
    if not await ExpertProfile.filter(user_id=viewer.user_id).exists():
        raise GraphQLError("only experts receive instant requests", extensions={"code": "NOT_ALLOWED"})
    # Open requests found when subscribing are heard of until they end, like those offered later.
    found = [row.id for row in await instant.open_for(viewer, runtime.clock.now())] if initial else []
    watched = {str(request_id) for request_id in found}
    sent: dict[str, str] = {}
    async with (
        live.live(
            info,
            viewer,
            [topics.expert_instant_requests(viewer.user_id), *(topics.instant_request(i) for i in found)],
        ) as events,
        runtime.presence.online(viewer.user_id),
    ):
        first = await InstantRequestRow.filter(id__in=found).order_by("created_at", "id") if found else []
        for row in first:  # as it is now that changes are heard: none is missed in between
            sent[str(row.id)] = row.status
            yield InstantRequest.from_model(row)
        async for event in events:
            if event.kind == RESUMED:  # each request still live while events were lost, as it is now
                rows = await InstantRequestRow.filter(expires_at__gte=live.since(event)).order_by("created_at")
            else:
                rows = await InstantRequestRow.filter(id=str(event.payload["request_id"]))
            for row in rows:
                mine = str(viewer.user_id) in row.notified_expert_ids or str(row.id) in watched
                if mine and sent.get(str(row.id)) != row.status:
                    sent[str(row.id)] = row.status
                    yield InstantRequest.from_model(row)


@strawberry.type
class InstantQueries:
    instant_request = strawberry.field(
        resolver=instant_request,
        graphql_type=InstantRequestResult,
        description="One instant request you may see (yours, one offered to you or that you may take, "
        "or any for admins), or NOT_FOUND.",
    )
    instant_requests = strawberry.field(
        resolver=instant_requests_connection,
        description="Newest first: your own instant requests with their status, and (experts) the open "
        "ones you may take now; admins see every one.",
    )


@strawberry.type
class InstantSubscriptions:
    instant_requests = strawberry.subscription(
        resolver=instant_requests,
        description="Experts: instant requests you could take, as they are posted, taken or expire.",
    )
