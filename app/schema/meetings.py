from datetime import datetime
from typing import cast
from uuid import UUID

import strawberry
from strawberry.scalars import JSON

from app import models
from app.domain import meetings as rules
from app.domain.meetings import MeetingState
from app.domain.policy import ExpertPolicy
from app.domain.people import Actor
from app.resolvers.context import Info
from app.schema.catalog import Service
from app.schema.enums import (
    CancelReason,
    CreditStatus,
    DeclineReason,
    MeetingKind,
    MeetingMode,
    MeetingStatus,
    Side,
    TimelineEventType,
)
from app.schema.users import Expert, User, load_expert
from app.services.meetings import policy_of, state_of


@strawberry.type(description="One line of a meeting's history. Append-only.")
class TimelineEvent:
    type: TimelineEventType
    at: datetime
    actor_side: Side | None
    by_admin: bool
    details: JSON

    @classmethod
    def from_model(cls, row: models.TimelineEvent) -> "TimelineEvent":
        return cls(
            type=row.type,
            at=row.at,
            actor_side=row.actor_side,
            by_admin=row.by_admin,
            details=cast(JSON, dict(row.details)),
        )


@strawberry.type(description="A session note by the meeting's expert; never edited or deleted.")
class Note:
    id: strawberry.ID
    text: str
    created_at: datetime

    @classmethod
    def from_model(cls, row: models.Note) -> "Note":
        return cls(id=strawberry.ID(str(row.id)), text=row.text, created_at=row.created_at)


@strawberry.type
class Review:
    id: strawberry.ID
    rating: int
    text: str
    created_at: datetime

    @classmethod
    def from_model(cls, row: models.Review) -> "Review":
        return cls(id=strawberry.ID(str(row.id)), rating=row.rating, text=row.text, created_at=row.created_at)


@strawberry.type
class Meeting:
    id: strawberry.ID
    status: MeetingStatus
    starts_at: datetime | None
    ends_at: datetime | None
    duration_minutes: int
    mode: MeetingMode
    location: str | None
    kind: MeetingKind
    skill: str | None
    price_credits: int
    credit_status: CreditStatus
    client_approved: bool
    expert_approved: bool
    overlap_acknowledged: bool
    settlement_due_at: datetime | None = strawberry.field(
        description="While set, the expert may charge or waive until then."
    )
    decline_reason: DeclineReason | None
    cancel_reason: CancelReason | None
    cancelled_by: Side | None
    viewer_side: Side | None = strawberry.field(
        description="The viewer's side in this meeting; null for an admin looking on."
    )
    version: int
    created_at: datetime
    room_url: str | None
    client_joined_at: datetime | None
    expert_joined_at: datetime | None
    completed_at: datetime | None
    _state: strawberry.Private[MeetingState | None]
    _client_id: strawberry.Private[UUID]
    _expert_id: strawberry.Private[UUID]
    _service_id: strawberry.Private[UUID]

    @strawberry.field
    async def client(self, info: Info) -> User:
        row = await info.context.loaders.user.load(self._client_id)
        assert row is not None
        return User.from_model(row)

    @strawberry.field
    async def expert(self, info: Info) -> Expert:
        expert = await load_expert(info, self._expert_id)
        assert expert is not None
        return expert

    @strawberry.field
    async def service(self, info: Info) -> Service:
        row = await info.context.loaders.service.load(self._service_id)
        assert row is not None
        return Service.from_model(row)

    async def _policy(self, info: Info) -> ExpertPolicy:
        profile = await info.context.loaders.expert_profile.load(self._expert_id)
        assert profile is not None
        return policy_of(profile)

    @strawberry.field
    async def join_opens_at(self, info: Info) -> datetime | None:
        if self._state is None:
            return None
        return rules.join_opens_at(self._state, await self._policy(info))

    @strawberry.field
    async def can_join(self, info: Info) -> bool:
        if self._state is None:
            return False
        return rules.can_join(self._state, await self._policy(info), info.context.runtime.clock.now())

    @strawberry.field
    async def notes(self, info: Info) -> list[Note]:
        return [Note.from_model(row) for row in await info.context.loaders.notes.load(UUID(self.id))]

    @strawberry.field
    async def review(self, info: Info) -> Review | None:
        row = await info.context.loaders.review.load(UUID(self.id))
        return Review.from_model(row) if row else None

    @strawberry.field
    async def timeline(self, info: Info) -> list[TimelineEvent]:
        rows = await info.context.loaders.timeline.load(UUID(self.id))
        return [TimelineEvent.from_model(row) for row in rows]

    @classmethod
    def from_model(cls, row: models.Meeting, viewer: Actor) -> "Meeting":
        viewer_side = None
        if viewer.user_id == row.client_id:
            viewer_side = Side.CLIENT
        elif viewer.user_id == row.expert_id:
            viewer_side = Side.EXPERT
        return cls(
            id=strawberry.ID(str(row.id)),
            status=row.status,
            starts_at=row.starts_at,
            ends_at=row.ends_at,
            duration_minutes=row.duration_minutes,
            mode=row.mode,
            location=row.location,
            kind=row.kind,
            skill=row.skill,
            price_credits=row.price_credits,
            credit_status=row.credit_status,
            client_approved=row.client_approved,
            expert_approved=row.expert_approved,
            overlap_acknowledged=row.overlap_acknowledged,
            settlement_due_at=row.settlement_due_at,
            decline_reason=row.decline_reason,
            cancel_reason=row.cancel_reason,
            cancelled_by=row.cancelled_by_side,
            viewer_side=viewer_side,
            version=row.version,
            created_at=row.created_at,
            room_url=row.room_url,
            client_joined_at=row.client_joined_at,
            expert_joined_at=row.expert_joined_at,
            completed_at=row.completed_at,
            _state=state_of(row) if row.starts_at else None,
            _client_id=row.client_id,
            _expert_id=row.expert_id,
            _service_id=row.service_id,
        )
