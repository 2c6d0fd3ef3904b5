"""Inputs of the meeting mutations."""

from datetime import datetime

import strawberry

from app.schema.enums import (
    CancelReason,
    DeclineReason,
    MeetingMode,
    MeetingStatus,
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
