"""Meetings and what hangs off them: timeline, notes, review, join availability."""

import asyncio
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import cast
from uuid import UUID

import strawberry
from strawberry.scalars import JSON

from app import models
from app.domain import followups
from app.domain import meetings as rules
from app.domain.access import side_of
from app.domain.meetings import CancellationQuote as CancellationQuoteValue
from app.domain.meetings import MeetingState
from app.domain.people import Actor
from app.domain.policy import ExpertPolicy
from app.domain.rescheduling import rebook_refusal
from app.schema.accounts.experts import Expert, Service, load_expert
from app.schema.accounts.users import User
from app.schema.context import Info
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
from app.schema.fields import described
from app.schema.loaders import load_at_once
from app.schema.offers.types import Offer
from app.schema.problems import Problem, problem_for
from app.services.catalog import policy_of
from app.services.meeting_repository import columns_of, parties_of, state_of


@strawberry.type(description="One line of a meeting's history. Append-only.")
class TimelineEvent:
    type: TimelineEventType = strawberry.field(description="What happened.")
    at: datetime = strawberry.field(description="When it happened.")
    actor_side: Side | None = strawberry.field(
        description="The side that did it; null when the clock did (expiry, no-show, completion)."
    )
    by_admin: bool = strawberry.field(description="An admin did it on a side's behalf.")
    details: JSON = strawberry.field(
        description="What changed, by event type (e.g. previous and new start, reason, message, credits)."
    )

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
    id: strawberry.ID = strawberry.field(description="The note's id.")
    text: str = strawberry.field(description="The note as written (at most 5,000 characters).")
    created_at: datetime = strawberry.field(description="When the expert wrote it.")

    @classmethod
    def from_model(cls, row: models.Note) -> "Note":
        return cls(id=strawberry.ID(str(row.id)), text=row.text, created_at=row.created_at)


@strawberry.type(description="The client's review of a completed session; one per meeting.")
class Review:
    id: strawberry.ID = strawberry.field(description="The review's id.")
    rating: int = strawberry.field(description="1 (poor) to 5 (excellent).")
    text: str = strawberry.field(description="What the client wrote (may be empty).")
    created_at: datetime = strawberry.field(description="When the client reviewed.")

    @classmethod
    def from_model(cls, row: models.Review) -> "Review":
        return cls(id=strawberry.ID(str(row.id)), rating=row.rating, text=row.text, created_at=row.created_at)


@strawberry.type(
    description="A session between a client and an expert, from booking to completion. Seen only by its two sides and admins."
)
class Meeting:
    id: strawberry.ID = strawberry.field(description="The meeting's id.")
    status: MeetingStatus = strawberry.field(description="Where the meeting is in its life.")
    starts_at: datetime | None = strawberry.field(
        description="The start; null only while a requested session waits for the expert to pick a time."
    )
    ends_at: datetime | None = strawberry.field(description="startsAt + durationMinutes; null with startsAt.")
    duration_minutes: int = strawberry.field(description="Length in minutes, one the service offers.")
    mode: MeetingMode = strawberry.field(description="How it takes place.")
    location: str | None = strawberry.field(description="The place, for IN_PERSON meetings; null otherwise.")
    kind: MeetingKind = strawberry.field(
        description="Booked ahead (SCHEDULED) or taken from an instant request (INSTANT)."
    )
    skill: str | None = strawberry.field(description="The skill the client asked for, when one was named.")
    price_credits: int = strawberry.field(description="The price in credits, fixed when the meeting was made.")
    credit_status: CreditStatus = strawberry.field(
        description="What happened to the price: blocked, returned or charged."
    )
    coupon_credits: int = strawberry.field(
        description="What a coupon took off the service's price at booking (priceCredits is after it)."
    )
    rate_credits: int | None = strawberry.field(
        description="Per-minute sessions: credits per started minute of billable time (priceCredits is the most "
        "it may cost until it ends, and its charge after); null: a fixed price."
    )
    minimum_minutes: int = strawberry.field(description="Per-minute sessions: charged at least this once started.")
    billed_seconds: int = strawberry.field(
        description="Per-minute sessions: billable time before the running stretch (all of it once ended)."
    )
    billing_since: datetime | None = strawberry.field(
        description="Per-minute sessions: when the running stretch of billable time began; null while paused."
    )
    discount_credits: int = strawberry.field(
        description="Credits the expert returned after the charge (discountMeeting); the client paid "
        "priceCredits less this."
    )
    client_approved: bool = strawberry.field(description="The client has approved the current time and terms.")
    expert_approved: bool = strawberry.field(description="The expert has approved the current time and terms.")
    overlap_acknowledged: bool = strawberry.field(
        description="The expert knowingly accepted an overlap with another of their meetings."
    )
    settlement_due_at: datetime | None = strawberry.field(
        description="While set, the expert may charge or waive until then."
    )
    decline_reason: DeclineReason | None = strawberry.field(description="Why it was declined (REJECTED meetings).")
    cancel_reason: CancelReason | None = strawberry.field(description="Why it was cancelled (CANCELLED meetings).")
    cancelled_by_side: Side | None = strawberry.field(
        name="cancelledBy", description="Who cancelled (CANCELLED meetings)."
    )
    viewer_side: Side | None = strawberry.field(
        description="The viewer's side in this meeting; null for an admin looking on."
    )
    version: int = strawberry.field(description="Grows by one with every change; keep the higher one.")
    created_at: datetime = strawberry.field(description="When the meeting was made.")
    updated_at: datetime = strawberry.field(description="When the meeting last changed.")
    client_joined_at: datetime | None = strawberry.field(description="When the client joined.")
    expert_joined_at: datetime | None = strawberry.field(description="When the expert joined.")
    completed_at: datetime | None = strawberry.field(description="When it completed.")
    _state: strawberry.Private[MeetingState]
    _client_id: strawberry.Private[UUID]
    _expert_id: strawberry.Private[UUID]
    _service_id: strawberry.Private[UUID]
    _related: strawberry.Private["MeetingRelations | None"] = None

    @described(
        "Your own link to the online room (signed for you: do not share it); null in person, "
        "before the meeting is agreed, and for anyone but its two sides and admins."
    )
    def room_url(self, info: Info) -> str | None:
        viewer = info.context.viewer
        if self._state.room_url is None or viewer is None:
            return None
        return info.context.runtime.rooms.link_for(self._state.room_url, viewer.user_id)

    # The fields below answer at once when the meeting came with its people, service and
    # policy (a page loaded them in one batch); otherwise they return an awaitable that
    # the loaders fill, which graphql-core awaits (hence `X | Awaitable[X]`, with the
    # GraphQL type given to `described`).

    @described("The client (who books and pays).", graphql_type=User)
    def client(self, info: Info) -> User | Awaitable[User]:
        if self._related is not None:
            return self._related.client
        return self._load_client(info)

    async def _load_client(self, info: Info) -> User:
        row = await info.context.loaders.user.load(self._client_id)
        assert row is not None
        return User.from_model(row)

    @described("The expert (who offers the service).", graphql_type=Expert)
    def expert(self, info: Info) -> Expert | Awaitable[Expert]:
        if self._related is not None:
            return self._related.expert
        return self._load_expert(info)

    async def _load_expert(self, info: Info) -> Expert:
        expert = await load_expert(info, self._expert_id)
        assert expert is not None
        return expert

    @described("The service booked.", graphql_type=Service)
    def service(self, info: Info) -> Service | Awaitable[Service]:
        if self._related is not None:
            return self._related.service
        return self._load_service(info)

    async def _load_service(self, info: Info) -> Service:
        row = await info.context.loaders.service.load(self._service_id)
        assert row is not None
        return Service.from_model(row)

    async def _policy(self, info: Info) -> ExpertPolicy:
        profile = await info.context.loaders.expert_profile.load(self._expert_id)
        assert profile is not None
        return policy_of(profile)

    @described(
        "When joining opens (the expert's join window before the start, 10 minutes by default).",
        graphql_type=datetime | None,
    )
    def join_opens_at(self, info: Info) -> datetime | Awaitable[datetime] | None:
        if self._state.starts_at is None:
            return None
        if self._related is not None:
            return rules.join_opens_at(self._state, self._related.policy)
        return self._join_opens_at(info)

    async def _join_opens_at(self, info: Info) -> datetime:
        return rules.join_opens_at(self._state, await self._policy(info))

    @described(
        "Whether the viewer can join now: AGREED or IN_PROGRESS, from joinOpensAt until the end.", graphql_type=bool
    )
    def can_join(self, info: Info) -> bool | Awaitable[bool]:
        if self._related is not None:
            return rules.can_join(self._state, self._related.policy, info.context.runtime.clock.now())
        return self._can_join(info)

    async def _can_join(self, info: Info) -> bool:
        return rules.can_join(self._state, await self._policy(info), info.context.runtime.clock.now())

    @described(
        "Per-minute sessions: what it costs if it ends now (on the server's clock); null for a fixed price.",
        graphql_type=int | None,
    )
    def charge_so_far_credits(self, info: Info) -> int | None:
        if self._state.rate_credits is None:
            return None
        return rules.charge_for(self._state, info.context.runtime.clock.now())

    @described("The expert's session notes, oldest first.")
    async def notes(self, info: Info) -> list[Note]:
        return [Note.from_model(row) for row in await info.context.loaders.notes.load(UUID(self.id))]

    @described(
        "Whether you may rebook this meeting yourself now (rescheduleMeeting with rebook: true): its "
        "client, in the expert's HUB programme, before it starts; see viewerRebookNote when not."
    )
    async def viewer_may_rebook(self, info: Info) -> bool:
        return await self._rebook_refusal(info) is None

    @described("Why you may not rebook this meeting yourself now; null when you may.")
    async def viewer_rebook_note(self, info: Info) -> str | None:
        return await self._rebook_refusal(info)

    async def _rebook_refusal(self, info: Info) -> str | None:
        programme = await info.context.loaders.programme.load((self._expert_id, self._client_id))
        return rebook_refusal(self.viewer_side, programme, self._state, info.context.runtime.clock.now())

    @described(
        "For an expert who keeps notes of every session (notesRequired): when this completed session's "
        "notes are due; null once a note is written, or when none are required."
    )
    async def notes_due_at(self, info: Info) -> datetime | None:
        due = followups.notes_due_at(self._state, await self._policy(info))
        if due is None or await info.context.loaders.notes.load(UUID(self.id)):
            return None
        return due

    @described("The client's review, once given.")
    async def review(self, info: Info) -> Review | None:
        row = await info.context.loaders.review.load(UUID(self.id))
        return Review.from_model(row) if row else None

    @described("Every offer made on this meeting, oldest first; at most one is PENDING.")
    async def offers(self, info: Info) -> list[Offer]:
        return [Offer.from_model(row, times) for row, times in await info.context.loaders.offers.load(UUID(self.id))]

    @described("Everything that happened to the meeting, oldest first.")
    async def timeline(self, info: Info) -> list[TimelineEvent]:
        rows = await info.context.loaders.timeline.load(UUID(self.id))
        return [TimelineEvent.from_model(row) for row in rows]

    @classmethod
    def from_model(cls, row: models.Meeting, viewer: Actor, related: "MeetingRelations | None" = None) -> "Meeting":
        state = state_of(row)
        return cls(
            id=strawberry.ID(str(row.id)),
            kind=row.kind,
            skill=row.skill,
            viewer_side=side_of(viewer, parties_of(row)),
            version=row.version,
            coupon_credits=row.coupon_credits,
            created_at=row.created_at,
            updated_at=row.updated_at,
            _state=state,
            _client_id=row.client_id,
            _expert_id=row.expert_id,
            _service_id=row.service_id,
            _related=related,
            **{column: value for column, value in columns_of(state).items() if column != "room_url"},
        )


@dataclass(frozen=True)
class MeetingRelations:
    """What a meeting's fields read besides its own row, loaded for a whole page at once."""

    client: User
    expert: Expert
    service: Service
    policy: ExpertPolicy

    @staticmethod
    async def for_page(info: Info, rows: Sequence[models.Meeting]) -> dict[UUID, "MeetingRelations"]:
        """One batch per kind through the operation's loaders; each person, profile and
        service is read and converted once, however many of the page's meetings share it."""
        loaders = info.context.loaders
        people_ids = list({*(row.client_id for row in rows), *(row.expert_id for row in rows)})
        expert_ids = list({row.expert_id for row in rows})
        service_ids = list({row.service_id for row in rows})
        people, profiles, services = await asyncio.gather(
            load_at_once(loaders.user, people_ids),
            load_at_once(loaders.expert_profile, expert_ids),
            load_at_once(loaders.service, service_ids),
        )
        as_user = {user_id: User.from_model(user) for user_id, user in people.items() if user}
        as_expert = {
            expert_id: Expert.from_models(user, profile)
            for expert_id, profile in profiles.items()
            if profile and (user := people.get(expert_id))
        }
        as_service = {service_id: Service.from_model(service) for service_id, service in services.items() if service}
        policies = {expert_id: policy_of(profile) for expert_id, profile in profiles.items() if profile}
        found: dict[UUID, MeetingRelations] = {}
        for row in rows:
            if row.client_id in as_user and row.expert_id in as_expert and row.service_id in as_service:
                found[row.id] = MeetingRelations(
                    as_user[row.client_id],
                    as_expert[row.expert_id],
                    as_service[row.service_id],
                    policies[row.expert_id],
                )
        return found


@strawberry.type(description="Whether the viewer can join a meeting now, and the window when they can.")
class JoinAvailability:
    meeting_id: strawberry.ID = strawberry.field(description="The meeting.")
    can_join: bool = strawberry.field(description="Whether the viewer can join now.")
    opens_at: datetime = strawberry.field(description="When joining opens.")
    closes_at: datetime = strawberry.field(description="When joining closes (the meeting's end).")


@strawberry.type(description="What cancelMeeting would do now, for one side; nothing is changed.")
class CancellationQuote:
    meeting_id: strawberry.ID = strawberry.field(description="The meeting the quote is for.")
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
    expert_id: strawberry.ID = strawberry.field(description="The expert.")
    client_id: strawberry.ID = strawberry.field(description="The client.")
    programme: ClientProgramme = strawberry.field(
        description="HUB (the client rebooks by themselves) or PRIVATE (moves go through the expert)."
    )
