"""What the money operations take and answer."""

import strawberry

from app.schema.results import result_of
from app.services import earnings


@strawberry.input(description="Admins: an expert's own platform fee, or back to the platform's.")
class SetExpertFeeInput:
    expert_id: strawberry.ID = strawberry.field(description="The expert.")
    percent: int | None = strawberry.field(
        description="0-100, taken from each of their charges from the next one on; null: the platform's "
        "(PLATFORM_FEE_PERCENT)."
    )


@strawberry.type(description="The share of an expert's charges the platform takes.")
class ExpertFee:
    expert_id: strawberry.ID = strawberry.field(description="The expert.")
    own_percent: int | None = strawberry.field(description="Set by an admin for them; null: the platform's.")
    percent: int = strawberry.field(description="What their next charge pays the platform, in percent (rounded down).")

    @classmethod
    def from_domain(cls, fee: earnings.ExpertFee) -> "ExpertFee":
        return cls(expert_id=strawberry.ID(str(fee.expert_id)), own_percent=fee.own_percent, percent=fee.percent)


SetExpertFeeResult = result_of("SetExpertFeeResult", ExpertFee, earnings.set_expert_fee)
