"""Instant sessions: post, take, withdraw."""

from typing import Annotated

from app.resolvers.arguments import INPUT
from app.resolvers.ids import parse_id
from app.resolvers.viewer import viewer_of
from app.schema.context import Info
from app.schema.instant import (
    InstantRequest,
    PostInstantRequestInput,
    PostInstantRequestResult,
    TakeInstantRequestInput,
    TakeInstantRequestResult,
    WithdrawInstantRequestInput,
    WithdrawInstantRequestResult,
)
from app.schema.meetings import Meeting
from app.services import instant


async def post_instant_request(
    info: Info, input: Annotated[PostInstantRequestInput, INPUT]
) -> PostInstantRequestResult:
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


async def take_instant_request(
    info: Info, input: Annotated[TakeInstantRequestInput, INPUT]
) -> TakeInstantRequestResult:
    viewer = viewer_of(info)
    row = await instant.take_instant_request(
        info.context.runtime,
        viewer,
        parse_id(input.request_id, "instant request"),
        acknowledge_overlap=input.acknowledge_overlap,
    )
    return Meeting.from_model(row, viewer)


async def withdraw_instant_request(
    info: Info, input: Annotated[WithdrawInstantRequestInput, INPUT]
) -> WithdrawInstantRequestResult:
    viewer = viewer_of(info)
    row = await instant.withdraw_instant_request(
        info.context.runtime, viewer, parse_id(input.request_id, "instant request")
    )
    return InstantRequest.from_model(row)
