"""Inputs of the meeting mutations."""

from datetime import datetime

import strawberry

from app.schema.enums import (
    CancelReason,
    ClientProgramme,
    DeclineReason,
    MeetingMode,
    MeetingStatus,
    OfferDecision,
    RescheduleReason,
    SettlementDecision,
    Side,
)


@strawberry.input
class BookMeetingInput:
    service_id: strawberry.ID
    starts_at: datetime
    duration_minutes: int
    mode: MeetingMode
    skill: str | None = None


@strawberry.input
class ProposeMeetingInput:
    client_id: strawberry.ID
    service_id: strawberry.ID
    starts_at: datetime
    duration_minutes: int
    price_credits: int
    mode: MeetingMode
    skill: str | None = None
    acknowledge_overlap: bool = False


@strawberry.input
class ConfirmMeetingInput:
    meeting_id: strawberry.ID
    acknowledge_overlap: bool = False


@strawberry.input
class DeclineMeetingInput:
    meeting_id: strawberry.ID
    reason: DeclineReason
    message: str | None = None


@strawberry.input
class CancelMeetingInput:
    meeting_id: strawberry.ID
    reason: CancelReason | None = strawberry.field(
        default=None, description="Required from an expert cancelling an agreed meeting."
    )
    message: str | None = None
    acknowledge_late_notice: bool = strawberry.field(
        default=False,
        description="Client: accept that a penalty may apply inside the cancellation window. "
        "Expert: accept cancelling at short notice.",
    )
    acting_as: Side | None = strawberry.field(
        default=None, description="Admins only: the side to cancel for (default EXPERT: a full refund)."
    )


@strawberry.input
class SettleChargeInput:
    meeting_id: strawberry.ID
    decision: SettlementDecision


@strawberry.input
class MeetingFilterInput:
    statuses: list[MeetingStatus] | None = None
    side: Side | None = None
    starts_from: datetime | None = None
    starts_before: datetime | None = None
    updated_since: datetime | None = strawberry.field(
        default=None,
        description="Only meetings changed at or after this instant: after a reconnect, pass the "
        "latest updatedAt you saw, and keep whichever copy has the higher version.",
    )


@strawberry.input
class JoinMeetingInput:
    meeting_id: strawberry.ID


@strawberry.input
class EndMeetingInput:
    meeting_id: strawberry.ID


@strawberry.input
class AddNoteInput:
    meeting_id: strawberry.ID
    text: str


@strawberry.input
class ReviewMeetingInput:
    meeting_id: strawberry.ID
    rating: int = strawberry.field(description="1 to 5 stars.")
    text: str = ""


@strawberry.input(description="Expert: give a reason. Client: propose times, or rebook (HUB clients).")
class RescheduleMeetingInput:
    meeting_id: strawberry.ID
    times: list[datetime] = strawberry.field(
        description="New start times: exactly one for a move at once, 1-5 for an offer."
    )
    reason: RescheduleReason | None = strawberry.field(
        default=None,
        description="Expert only. CLIENT_REQUESTED moves the meeting at once (AGREED); "
        "EXPERT_SCHEDULE offers the times to the client, held until answered. "
        "A REJECTED meeting takes the one new time and waits for the client again.",
    )
    rebook: bool = strawberry.field(
        default=False,
        description="Client only: move at once into one free slot (HUB clients of the expert; "
        "the old time counts as a cancellation). Otherwise the client's times are a proposal "
        "the expert answers.",
    )
    message: str | None = None
    acknowledge_overlap: bool = False
    acknowledge_late_notice: bool = strawberry.field(
        default=False, description="Rebooking inside the cancellation window: accept a possible penalty."
    )
    acting_as: Side | None = strawberry.field(
        default=None, description="Admins only: the side to act for (default EXPERT)."
    )


@strawberry.input
class RespondToOfferInput:
    offer_id: strawberry.ID
    decision: OfferDecision
    starts_at: datetime | None = strawberry.field(
        default=None, description="ACCEPT: the offered time picked (needed when several were offered)."
    )
    message: str | None = None
    acknowledge_overlap: bool = False


@strawberry.input
class WithdrawOfferInput:
    offer_id: strawberry.ID
    message: str | None = None


@strawberry.input
class ChangeMeetingLocationInput:
    meeting_id: strawberry.ID
    mode: MeetingMode
    location: str | None = strawberry.field(
        default=None, description="For IN_PERSON; default: the service's address."
    )
    message: str | None = None


@strawberry.input
class SetClientProgrammeInput:
    client_id: strawberry.ID
    programme: ClientProgramme
    expert_id: strawberry.ID | None = strawberry.field(
        default=None, description="Admins only: the expert (default: the viewer)."
    )


@strawberry.input(description="A session at one of up to 5 times; the expert picks one or declines.")
class RequestSessionInput:
    service_id: strawberry.ID
    times: list[datetime] = strawberry.field(
        description="1-5 start times; they need not be free slots. Unanswered, the request "
        "expires at the earliest."
    )
    duration_minutes: int
    mode: MeetingMode
    skill: str | None = None
    message: str | None = None
