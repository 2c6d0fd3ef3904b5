"""Instant requests: a session now, offered live to every matching expert."""

from datetime import datetime

import strawberry

from app import models
from app.schema.enums import InstantStatus, MeetingMode
from app.services.instant_repository import state_of


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
