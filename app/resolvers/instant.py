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
from app.resolvers.arguments import INPUT
from app.resolvers.ids import parse_id
from app.resolvers.viewer import viewer_of
from app.schema.context import Info
from app.schema.instant.operations import (
    PostInstantRequestInput,
    PostInstantRequestResult,
    TakeInstantRequestInput,
    TakeInstantRequestResult,
    WithdrawInstantRequestInput,
    WithdrawInstantRequestResult,
)
from app.schema.instant.types import InstantRequest
from app.schema.meetings.types import Meeting
from app.services import instant


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


async def instant_requests(info: Info) -> AsyncGenerator[InstantRequest, None]:
    """Experts: each instant request offered to you (OPEN), then how it ended (TAKEN, EXPIRED,
    WITHDRAWN). While subscribed, you are online for new requests that match you."""
    viewer = viewer_of(info)
    runtime = info.context.runtime
    if not await ExpertProfile.filter(user_id=viewer.user_id).exists():
        raise GraphQLError("only experts receive instant requests", extensions={"code": "NOT_ALLOWED"})
    async with (
        live.live(info, viewer, [topics.expert_instant_requests(viewer.user_id)]) as events,
        runtime.presence.online(viewer.user_id),
    ):
        async for event in events:
            if event.kind == RESUMED:  # each request still live while events were lost, as it is now
                rows = await InstantRequestRow.filter(expires_at__gte=live.since(event)).order_by("created_at")
            else:
                rows = await InstantRequestRow.filter(id=str(event.payload["request_id"]))
            for row in rows:
                if str(viewer.user_id) in row.notified_expert_ids:
                    yield InstantRequest.from_model(row)


@strawberry.type
class InstantSubscriptions:
    instant_requests = strawberry.subscription(
        resolver=instant_requests,
        description="Experts: instant requests you could take, as they are posted, taken or expire.",
    )
