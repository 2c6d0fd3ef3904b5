"""What rescheduling, offers, locations, client programmes and the cancellation quote take and answer."""

from datetime import datetime

import strawberry

from app.schema.enums import (
    ClientProgramme,
    DeclineReason,
    MeetingMode,
    OfferDecision,
    RescheduleReason,
    Side,
)
from app.schema.fields import MESSAGE_TO_THE_OTHER_SIDE
from app.schema.meetings.types import CancellationQuote, ClientProgrammeSetting, Meeting
from app.schema.results import result_of
from app.services import cancelling, offers, programmes, rescheduling


@strawberry.input(description="Expert: give a reason. Client: propose times, or rebook (HUB clients).")
class RescheduleMeetingInput:
    meeting_id: strawberry.ID = strawberry.field(description="The meeting.")
    times: list[datetime] = strawberry.field(
        description="New start times: exactly one for a move at once, 1-5 for an offer."
    )
    reason: RescheduleReason | None = strawberry.field(
        default=None,
        description="Expert only. CLIENT_REQUESTED moves the meeting at once (AGREED); "
        "EXPERT_SCHEDULE offers the times to the client, held until answered. "
        "A REJECTED meeting takes the one new time and waits for the client again. "
        "The client's notification says the reason in words.",
    )
    rebook: bool = strawberry.field(
        default=False,
        description="Client only: move at once into one free slot (HUB clients of the expert; "
        "the old time counts as a cancellation). Otherwise the client's times are a proposal "
        "the expert answers.",
    )
    message: str | None = strawberry.field(
        default=None,
        description=MESSAGE_TO_THE_OTHER_SIDE,
    )
    acknowledge_overlap: bool = strawberry.field(
        default=False,
        description="Expert: go ahead although it overlaps another of your meetings (CONFLICT_NOT_ACKNOWLEDGED otherwise).",
    )
    acknowledge_late_notice: bool = strawberry.field(
        default=False, description="Rebooking inside the cancellation window: accept a possible penalty."
    )
    acting_as: Side | None = strawberry.field(
        default=None, description="Admins only: the side to act for (default EXPERT)."
    )


@strawberry.input(description="The side an offer is addressed to accepts or rejects it.")
class RespondToOfferInput:
    offer_id: strawberry.ID = strawberry.field(description="The offer (Meeting.offers).")
    decision: OfferDecision = strawberry.field(description="Accept or reject.")
    reason: DeclineReason | None = strawberry.field(
        default=None,
        description="REJECT: why, from the list (the other side's notification says it in words); a declined "
        "session request keeps it as its declineReason.",
    )
    starts_at: datetime | None = strawberry.field(
        default=None, description="ACCEPT: the offered time picked (needed when several were offered)."
    )
    message: str | None = strawberry.field(
        default=None,
        description=MESSAGE_TO_THE_OTHER_SIDE,
    )
    acknowledge_overlap: bool = strawberry.field(
        default=False,
        description="Expert: go ahead although it overlaps another of your meetings (CONFLICT_NOT_ACKNOWLEDGED otherwise).",
    )


@strawberry.input(description="The side that made an offer takes it back.")
class WithdrawOfferInput:
    offer_id: strawberry.ID = strawberry.field(description="The offer.")
    message: str | None = strawberry.field(
        default=None,
        description=MESSAGE_TO_THE_OTHER_SIDE,
    )


@strawberry.input(description="The expert offers another mode or place; the client accepts or rejects it.")
class ChangeMeetingLocationInput:
    meeting_id: strawberry.ID = strawberry.field(description="The meeting.")
    mode: MeetingMode = strawberry.field(description="The new mode, one the service offers.")
    location: str | None = strawberry.field(default=None, description="For IN_PERSON; default: the service's address.")
    reason: RescheduleReason | None = strawberry.field(
        default=None,
        description="CLIENT_REQUESTED: the client asked for it, and it applies at once (the meeting keeps its "
        "standing). Otherwise (or EXPERT_SCHEDULE) it is offered to the client, who accepts or rejects it.",
    )
    message: str | None = strawberry.field(
        default=None,
        description=MESSAGE_TO_THE_OTHER_SIDE,
    )


@strawberry.input(description="Put a client in the HUB or PRIVATE programme with an expert.")
class SetClientProgrammeInput:
    client_id: strawberry.ID = strawberry.field(description="The client.")
    programme: ClientProgramme = strawberry.field(
        description="HUB: the client may rebook by themselves; PRIVATE: moves go through offers."
    )
    expert_id: strawberry.ID | None = strawberry.field(
        default=None, description="Admins only: the expert (default: the viewer)."
    )


RescheduleMeetingResult = result_of("RescheduleMeetingResult", Meeting, rescheduling.reschedule_meeting)
RespondToOfferResult = result_of("RespondToOfferResult", Meeting, offers.respond_to_offer)
WithdrawOfferResult = result_of("WithdrawOfferResult", Meeting, offers.withdraw_offer)
ChangeMeetingLocationResult = result_of("ChangeMeetingLocationResult", Meeting, offers.change_meeting_location)
SetClientProgrammeResult = result_of(
    "SetClientProgrammeResult", ClientProgrammeSetting, programmes.set_client_programme
)
CancellationQuoteResult = result_of("CancellationQuoteResult", CancellationQuote, cancelling.cancellation_quote)
