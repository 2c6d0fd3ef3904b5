"""Instant requests: a session now, offered live to every matching expert."""

from datetime import datetime
from typing import Annotated

import strawberry

from app import models
from app.schema.enums import InstantStatus, MeetingMode
from app.schema.meetings import Meeting
from app.schema.problems import AlreadyTaken, ConflictNotAcknowledged, InsufficientCredits, InvalidInput, InvalidState, NotAllowed, NotFound, SlotTaken, TooLate
from app.services.instant import state_of


@strawberry.type(
    description="A client's request for a session now. OPEN until an expert takes it (TAKEN), "
    "the client withdraws it (WITHDRAWN) or it waits too long (EXPIRED)."
)
class InstantRequest:
    id: strawberry.ID
    topic: str
    skill: str
    description: str
    duration_minutes: int
    max_price_credits: int = strawberry.field(description="The most the client will pay.")
    mode: MeetingMode
    status: InstantStatus
    expires_at: datetime
    created_at: datetime
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


@strawberry.input
class PostInstantRequestInput:
    topic: str
    skill: str
    duration_minutes: int
    max_price_credits: int
    description: str = ""
    mode: MeetingMode = MeetingMode.VIDEO
    expert_id: strawberry.ID | None = strawberry.field(
        default=None, description="A direct request to this expert only."
    )


@strawberry.input
class TakeInstantRequestInput:
    request_id: strawberry.ID
    acknowledge_overlap: bool = False


@strawberry.input
class WithdrawInstantRequestInput:
    request_id: strawberry.ID


PostInstantRequestResult = Annotated[
    InstantRequest
    | InsufficientCredits
    | InvalidInput
    | NotFound,
    strawberry.union("PostInstantRequestResult"),
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
    strawberry.union("TakeInstantRequestResult"),
]
WithdrawInstantRequestResult = Annotated[
    InstantRequest
    | AlreadyTaken
    | InvalidState
    | NotAllowed
    | NotFound
    | TooLate,
    strawberry.union("WithdrawInstantRequestResult"),
]
