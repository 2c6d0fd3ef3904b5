"""What the meeting operations take and answer, and the meetings filter."""

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
from app.schema.fields import MESSAGE_TO_THE_OTHER_SIDE
from app.schema.meetings.types import Meeting
from app.schema.results import result_of
from app.services import answering, booking, cancelling, meeting_queries


@strawberry.input(description="A client books a free slot of a service (see availableSlots); it waits for the expert.")
class BookMeetingInput:
    service_id: strawberry.ID = strawberry.field(description="The service to book.")
    starts_at: datetime = strawberry.field(description="A free start from availableSlots.")
    duration_minutes: int = strawberry.field(description="One of the service's offered durations.")
    mode: MeetingMode = strawberry.field(description="One of the service's modes.")
    skill: str | None = strawberry.field(
        default=None, description="What you want help with, when the expert lists several skills."
    )
    coupon_code: str | None = strawberry.field(
        default=None,
        description="An admin's coupon: its percentage or amount comes off the price (the meeting records it; "
        "the use is spent even if the meeting is later cancelled).",
    )


@strawberry.input(description="An expert proposes a meeting to a client; it waits for the client.")
class ProposeMeetingInput:
    client_id: strawberry.ID = strawberry.field(description="The client invited.")
    service_id: strawberry.ID = strawberry.field(description="One of your services.")
    starts_at: datetime = strawberry.field(description="The start.")
    duration_minutes: int = strawberry.field(description="Length in minutes.")
    price_credits: int = strawberry.field(description="The price for this meeting (0: free).")
    mode: MeetingMode = strawberry.field(description="How it takes place.")
    skill: str | None = strawberry.field(default=None, description="The skill it is about.")
    acknowledge_overlap: bool = strawberry.field(
        default=False,
        description="Expert: go ahead although it overlaps another of your meetings (CONFLICT_NOT_ACKNOWLEDGED otherwise).",
    )


@strawberry.input(description="The side that has not approved yet approves; the meeting becomes AGREED.")
class ConfirmMeetingInput:
    meeting_id: strawberry.ID = strawberry.field(description="The meeting.")
    acknowledge_overlap: bool = strawberry.field(
        default=False,
        description="Expert: go ahead although it overlaps another of your meetings (CONFLICT_NOT_ACKNOWLEDGED otherwise).",
    )


@strawberry.input(
    description="The side that has not approved yet declines; the meeting becomes REJECTED, credits returned."
)
class DeclineMeetingInput:
    meeting_id: strawberry.ID = strawberry.field(description="The meeting.")
    reason: DeclineReason = strawberry.field(description="Why; the other side's notification says it in words.")
    message: str | None = strawberry.field(
        default=None,
        description=MESSAGE_TO_THE_OTHER_SIDE,
    )


@strawberry.input(
    description="Either side cancels an awaiting or agreed meeting (cancellationQuote says what would happen)."
)
class CancelMeetingInput:
    meeting_id: strawberry.ID = strawberry.field(description="The meeting.")
    reason: CancelReason | None = strawberry.field(
        default=None,
        description="Required from an expert cancelling an agreed meeting; the other side's notification "
        "says it in words.",
    )
    message: str | None = strawberry.field(
        default=None,
        description=MESSAGE_TO_THE_OTHER_SIDE,
    )
    acknowledge_late_notice: bool = strawberry.field(
        default=False,
        description="Client: accept that a penalty may apply inside the cancellation window. "
        "Expert: accept cancelling at short notice.",
    )
    acting_as: Side | None = strawberry.field(
        default=None, description="Admins only: the side to cancel for (default EXPERT: a full refund)."
    )


@strawberry.input(
    description="The expert settles a late client cancellation or a client no-show before settlementDueAt."
)
class SettleChargeInput:
    meeting_id: strawberry.ID = strawberry.field(description="The meeting.")
    decision: SettlementDecision = strawberry.field(description="Charge the full price or waive it.")


@strawberry.input(description="Which of your meetings to list; all given conditions apply.")
class MeetingFilterInput:
    statuses: list[MeetingStatus] | None = strawberry.field(default=None, description="Only these statuses.")
    side: Side | None = strawberry.field(default=None, description="Only meetings where you are on this side.")
    starts_from: datetime | None = strawberry.field(
        default=None, description="Only meetings starting at or after this instant."
    )
    starts_before: datetime | None = strawberry.field(
        default=None, description="Only meetings starting before this instant."
    )
    updated_since: datetime | None = strawberry.field(
        default=None,
        description="Only meetings changed at or after this instant: after a reconnect, pass the "
        "latest updatedAt you saw, and keep whichever copy has the higher version.",
    )
    notes_missing: bool = strawberry.field(
        default=False,
        description="Only your completed sessions as their expert that have no notes yet and can still get "
        "them (inside your notes window), whether or not you require notes (see notesDueAt).",
    )


@strawberry.input(description="A session at one of up to 5 times; the expert picks one or declines.")
class RequestSessionInput:
    service_id: strawberry.ID = strawberry.field(description="The service.")
    times: list[datetime] = strawberry.field(
        description="1-5 start times; they need not be free slots. Unanswered, the request expires at the earliest."
    )
    duration_minutes: int = strawberry.field(description="One of its offered durations.")
    mode: MeetingMode = strawberry.field(description="One of its modes.")
    skill: str | None = strawberry.field(default=None, description="What you want help with.")
    message: str | None = strawberry.field(
        default=None,
        description=MESSAGE_TO_THE_OTHER_SIDE,
    )


MeetingResult = result_of("MeetingResult", Meeting, meeting_queries.get_meeting)
BookMeetingResult = result_of("BookMeetingResult", Meeting, booking.book_meeting)
ProposeMeetingResult = result_of("ProposeMeetingResult", Meeting, booking.propose_meeting)
RequestSessionResult = result_of("RequestSessionResult", Meeting, booking.request_session)
ConfirmMeetingResult = result_of("ConfirmMeetingResult", Meeting, answering.confirm_meeting)
DeclineMeetingResult = result_of("DeclineMeetingResult", Meeting, answering.decline_meeting)
CancelMeetingResult = result_of("CancelMeetingResult", Meeting, cancelling.cancel_meeting)
SettleChargeResult = result_of("SettleChargeResult", Meeting, cancelling.settle_charge)
