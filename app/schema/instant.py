"""Instant requests: a session now, offered live to every matching expert."""

from datetime import datetime
from typing import Annotated

import strawberry

from app import models
from app.schema.enums import InstantStatus, MeetingMode
from app.schema.meetings import Meeting
from app.schema.problems import (
    AlreadyTaken,
    ConflictNotAcknowledged,
    InsufficientCredits,
    InvalidInput,
    InvalidState,
    NotAllowed,
    NotFound,
    SlotTaken,
    TooLate,
)
from app.services.instant import state_of


@strawberry.type(
    description="A client's request for a session now. OPEN until an expert takes it (TAKEN), "
    "the client withdraws it (WITHDRAWN) or it waits too long (EXPIRED)."
)
class InstantRequest:
    id: strawberry.ID = strawberry.field(description="The request's id (takeInstantRequest / withdrawInstantRequest).")
    topic: str = strawberry.field(description="What the client needs help with, in a line.")
    skill: str = strawberry.field(description="The skill asked for; only experts with it see the request.")
    description: str = strawberry.field(description="More detail from the client.")
    duration_minutes: int = strawberry.field(description="How long the session would be.")
    max_price_credits: int = strawberry.field(description="The most the client will pay.")
    mode: MeetingMode = strawberry.field(description="How the session would take place.")
    status: InstantStatus = strawberry.field(description="Where the request stands.")
    expires_at: datetime = strawberry.field(
        description="Untaken by then, it expires (15 minutes after posting by default)."
    )
    created_at: datetime = strawberry.field(description="When the client posted it.")
    direct: bool = strawberry.field(description="Asked of one named expert only.")

    @classmethod
    def from_model(cls, row: models.InstantRequest) -> "InstantRequest":
        state = state_of(row)
        return cls(
            id=strawberry.ID(str(row.id)),
            topic=state.topic,
            skill=state.skill,
            description=state.description,
            duration_minutes=state.duration_minutes,
            max_price_credits=state.max_price_credits,
            mode=state.mode,
            status=state.status,
            expires_at=state.expires_at,
            created_at=row.created_at,
            direct=state.direct_expert_id is not None,
        )


@strawberry.input(description="A session now: offered to every matching expert who is online and free.")
class PostInstantRequestInput:
    topic: str = strawberry.field(description="What you need help with, in a line (at most 120 characters).")
    skill: str = strawberry.field(description="The skill an expert must have to see it.")
    duration_minutes: int = strawberry.field(description="Session length in minutes.")
    max_price_credits: int = strawberry.field(
        description="The most you will pay; blocked from your balance until it is taken, withdrawn or expires."
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


PostInstantRequestResult = Annotated[
    InstantRequest | InsufficientCredits | InvalidInput | NotFound,
    strawberry.union(
        "PostInstantRequestResult",
        description="What postInstantRequest answers: the InstantRequest, or the Problem saying why nothing changed.",
    ),
]
TakeInstantRequestResult = Annotated[
    Meeting
    | AlreadyTaken
    | ConflictNotAcknowledged
    | InsufficientCredits
    | InvalidState
    | NotAllowed
    | NotFound
    | SlotTaken
    | TooLate,
    strawberry.union(
        "TakeInstantRequestResult",
        description="What takeInstantRequest answers: the Meeting, or the Problem saying why nothing changed.",
    ),
]
WithdrawInstantRequestResult = Annotated[
    InstantRequest | AlreadyTaken | InvalidState | NotAllowed | NotFound | TooLate,
    strawberry.union(
        "WithdrawInstantRequestResult",
        description="What withdrawInstantRequest answers: the InstantRequest, "
        "or the Problem saying why nothing changed.",
    ),
]
