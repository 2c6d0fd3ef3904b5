"""Platform fees, payouts and the ledger report."""

from typing import Annotated

import strawberry

from app.resolvers.arguments import INPUT
from app.resolvers.ids import parse_id
from app.resolvers.viewer import viewer_of
from app.schema.context import Info
from app.schema.money.operations import ExpertFee, SetExpertFeeInput, SetExpertFeeResult
from app.services import earnings


async def set_expert_fee(info: Info, input: Annotated[SetExpertFeeInput, INPUT]) -> ExpertFee:
    fee = await earnings.set_expert_fee(
        info.context.runtime, viewer_of(info), parse_id(input.expert_id, "expert"), input.percent
    )
    return ExpertFee.from_domain(fee)


@strawberry.type
class MoneyMutations:
    set_expert_fee = strawberry.mutation(
        resolver=set_expert_fee,
        graphql_type=SetExpertFeeResult,
        description="Admins: the share of an expert's charges the platform takes (from their next charge on).",
    )
