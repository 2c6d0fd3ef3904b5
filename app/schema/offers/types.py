"""Offers: other times, or another mode or place, that one side proposes to the other."""

from datetime import datetime

import strawberry

from app import models
from app.schema.enums import MeetingMode, OfferPurpose, OfferStatus, Side
from app.services.offer_repository import state_of_offer


@strawberry.type(
    description="A proposal from one side of a meeting to the other: 1-5 start times, or "
    "another mode or place. While PENDING the meeting keeps its time and place."
)
class Offer:
    id: strawberry.ID = strawberry.field(
        description="The offer's id (answer it with respondToOffer, take it back with withdrawOffer)."
    )
    purpose: OfferPurpose = strawberry.field(description="What the offer proposes.")
    made_by: Side = strawberry.field(description="The side that made the offer; the other side answers.")
    status: OfferStatus = strawberry.field(description="Where the offer stands.")
    times: list[datetime] = strawberry.field(description="The offered start times (empty for a change of place).")
    mode: MeetingMode | None = strawberry.field(description="The offered mode, for a change of place.")
    location: str | None = strawberry.field(description="The offered address, for IN_PERSON.")
    message: str | None = strawberry.field(description="A note from the side that made it.")
    expires_at: datetime = strawberry.field(description="Unanswered by then, the offer expires.")
    holds_times: bool = strawberry.field(
        description="The offered times are kept from everyone else until the offer is answered."
    )
    picked_starts_at: datetime | None = strawberry.field(description="The time picked when ACCEPTED.")
    created_at: datetime = strawberry.field(description="When it was made.")
    answered_at: datetime | None = strawberry.field(description="When it was accepted, rejected, withdrawn or expired.")

    @classmethod
    def from_model(cls, row: models.Offer, times: list[models.OfferTime]) -> "Offer":
        state = state_of_offer(row, times)
        return cls(
            id=strawberry.ID(str(row.id)),
            purpose=state.purpose,
            made_by=state.made_by_side,
            status=state.status,
            times=list(state.times),
            mode=state.mode,
            location=state.location,
            message=state.message,
            expires_at=state.expires_at,
            holds_times=state.holds_times,
            picked_starts_at=state.picked_starts_at,
            created_at=row.created_at,
            answered_at=row.answered_at,
        )
