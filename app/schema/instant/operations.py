"""What the instant-request operations take and answer."""

import strawberry

from app.schema.enums import InstantStatus, MeetingMode
from app.schema.instant.types import InstantRequest
from app.schema.meetings.types import Meeting
from app.schema.results import result_of
from app.services import instant


@strawberry.input(description="A session now: offered to every matching expert who is online and free.")
class PostInstantRequestInput:
    topic: str = strawberry.field(description="What you need help with, in a line (at most 120 characters).")
    skill: str = strawberry.field(description="The skill an expert must have to see it.")
    duration_minutes: int = strawberry.field(description="Session length in minutes.")
    max_price_credits: int = strawberry.field(
        description="The most you will pay. It is held from your balance (heldForInstantRequests) until the "
        "request is taken (the meeting then blocks the taker's price and the rest is free again), withdrawn "
        "or expires; more than your available credits is INSUFFICIENT_CREDITS."
    )
    description: str = strawberry.field(
        default="", description="More detail for the expert (at most 2,000 characters)."
    )
    mode: MeetingMode = strawberry.field(
        default=MeetingMode.VIDEO, description="How the session takes place (default VIDEO)."
    )
    expert_id: strawberry.ID | None = strawberry.field(
        default=None, description="A direct request to this expert only."
    )


@strawberry.input(description="An expert takes an open instant request.")
class TakeInstantRequestInput:
    request_id: strawberry.ID = strawberry.field(description="The request to take.")
    acknowledge_overlap: bool = strawberry.field(
        default=False, description="Take it even though it overlaps another of your meetings."
    )


@strawberry.input(description="The client takes back a request nobody has taken.")
class WithdrawInstantRequestInput:
    request_id: strawberry.ID = strawberry.field(description="The request to withdraw.")


@strawberry.input(description="Narrows instantRequests; every given condition must hold.")
class InstantRequestFilterInput:
    statuses: list[InstantStatus] | None = strawberry.field(
        default=None, description="Only requests in one of these statuses."
    )


InstantRequestResult = result_of(
    "InstantRequestResult",
    InstantRequest,
    instant.get_instant_request,
    description="What instantRequest answers: the InstantRequest, or NOT_FOUND for one you may not see.",
)
PostInstantRequestResult = result_of("PostInstantRequestResult", InstantRequest, instant.post_instant_request)
TakeInstantRequestResult = result_of("TakeInstantRequestResult", Meeting, instant.take_instant_request)
WithdrawInstantRequestResult = result_of(
    "WithdrawInstantRequestResult", InstantRequest, instant.withdraw_instant_request
)
