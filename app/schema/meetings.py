"""Meetings and what hangs off them: timeline, notes, review, join availability."""

from datetime import datetime
from typing import cast
from uuid import UUID

import strawberry
from strawberry.scalars import JSON

from app import models
from app.domain import meetings as rules
from app.domain.access import side_of
from app.domain.meetings import CancellationQuote as CancellationQuoteValue, MeetingState
from app.domain.people import Actor
from app.domain.policy import ExpertPolicy
from app.schema.context import Info
from app.schema.experts import Expert, Service, load_expert
from app.schema.offers import Offer
from app.schema.problems import Problem, problem_for
from app.schema.enums import (
    CancelReason,
    ClientProgramme,
    CreditStatus,
    DeclineReason,
    MeetingKind,
    MeetingMode,
    MeetingStatus,
    Side,
    TimelineEventType,
)
from app.schema.users import User
from app.services.catalog import policy_of
from app.services.meeting_repository import columns_of, parties_of, state_of


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
    cancelled_by_side: Side | None = strawberry.field(name="cancelledBy")
    viewer_side: Side | None = strawberry.field(
        description="The viewer's side in this meeting; null for an admin looking on."
    )
    version: int = strawberry.field(description="Grows by one with every change; keep the higher one.")
    created_at: datetime
    updated_at: datetime = strawberry.field(description="When the meeting last changed.")
    room_url: str | None
    client_joined_at: datetime | None
    expert_joined_at: datetime | None
    completed_at: datetime | None
    _state: strawberry.Private[MeetingState]
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
        if self._state.starts_at is None:
            return None
        return rules.join_opens_at(self._state, await self._policy(info))

    @strawberry.field
    async def can_join(self, info: Info) -> bool:
        return rules.can_join(self._state, await self._policy(info), info.context.runtime.clock.now())

    @strawberry.field
    async def notes(self, info: Info) -> list[Note]:
        return [Note.from_model(row) for row in await info.context.loaders.notes.load(UUID(self.id))]

    @strawberry.field
    async def review(self, info: Info) -> Review | None:
        row = await info.context.loaders.review.load(UUID(self.id))
        return Review.from_model(row) if row else None

    @strawberry.field
    async def offers(self, info: Info) -> list[Offer]:
        return [Offer.from_model(row, times) for row, times in await info.context.loaders.offers.load(UUID(self.id))]

    @strawberry.field
    async def timeline(self, info: Info) -> list[TimelineEvent]:
        rows = await info.context.loaders.timeline.load(UUID(self.id))
        return [TimelineEvent.from_model(row) for row in rows]

    @classmethod
    def from_model(cls, row: models.Meeting, viewer: Actor) -> "Meeting":
        state = state_of(row)
        return cls(
            id=strawberry.ID(str(row.id)),
            kind=row.kind,
            skill=row.skill,
            viewer_side=side_of(viewer, parties_of(row)),
            version=row.version,
            created_at=row.created_at,
            updated_at=row.updated_at,
            _state=state,
            _client_id=row.client_id,
            _expert_id=row.expert_id,
            _service_id=row.service_id,
            **columns_of(state),
        )


@strawberry.type(description="Whether the viewer can join a meeting now, and the window when they can.")
class JoinAvailability:
    meeting_id: strawberry.ID
    can_join: bool
    opens_at: datetime
    closes_at: datetime


@strawberry.type(description="What cancelMeeting would do now, for one side; nothing is changed.")
class CancellationQuote:
    meeting_id: strawberry.ID
    side: Side = strawberry.field(description="The side the quote is for.")
    allowed: bool = strawberry.field(description="Whether cancelMeeting would succeed (with the acknowledgement).")
    problem: Problem | None = strawberry.field(description="Why not, exactly as cancelMeeting would answer.")
    acknowledgement_needed: bool = strawberry.field(
        description="cancelMeeting needs acknowledgeLateNotice (inside the window)."
    )
    refund_credits: int = strawberry.field(description="Credits returned to the client at once.")
    charge_at_risk_credits: int = strawberry.field(
        description="Credits left blocked for the expert to charge or waive (a late client cancellation)."
    )
    settlement_due_at: datetime | None = strawberry.field(
        description="Until when the expert may charge; unsettled by then, it is waived."
    )

    @classmethod
    def from_quote(cls, meeting_id: UUID, side: Side, quote: CancellationQuoteValue) -> "CancellationQuote":
        return cls(
            meeting_id=strawberry.ID(str(meeting_id)),
            side=side,
            allowed=quote.refusal is None,
            problem=problem_for(quote.refusal) if quote.refusal else None,
            acknowledgement_needed=quote.acknowledgement_needed,
            refund_credits=quote.refund_credits,
            charge_at_risk_credits=quote.charge_at_risk_credits,
            settlement_due_at=quote.settlement_due_at,
        )


@strawberry.type(description="How one client stands with one expert.")
class ClientProgrammeSetting:
    expert_id: strawberry.ID
    client_id: strawberry.ID
    programme: ClientProgramme
