from typing import TYPE_CHECKING
from uuid import UUID

from tortoise import fields
from tortoise.models import Model

from app.domain.meetings import MeetingMode
from app.domain.offers import OfferPurpose, OfferStatus
from app.domain.people import Side

if TYPE_CHECKING:
    from app.models.meetings import Meeting
    from app.models.users import User


class Offer(Model):
    # One side's proposal to the other about one meeting; at most one PENDING per
    # meeting (a partial unique index, migration 0007).
    id = fields.UUIDField(primary_key=True)
    meeting: fields.ForeignKeyRelation["Meeting"] = fields.ForeignKeyField(
        "models.Meeting", related_name="offers", on_delete=fields.CASCADE
    )
    purpose = fields.CharEnumField(OfferPurpose, max_length=24)
    made_by_side = fields.CharEnumField(Side, max_length=16)
    made_by: fields.ForeignKeyNullableRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    status = fields.CharEnumField(OfferStatus, max_length=16)
    expires_at = fields.DatetimeField()
    mode: MeetingMode | None = fields.CharEnumField(MeetingMode, max_length=16, null=True)  # type: ignore[assignment]
    location = fields.CharField(max_length=300, null=True)
    message = fields.TextField(null=True)
    picked_starts_at = fields.DatetimeField(null=True)
    overlap_acknowledged = fields.BooleanField(default=False)
    created_at = fields.DatetimeField()
    answered_at = fields.DatetimeField(null=True)

    meeting_id: UUID
    times: fields.ReverseRelation["OfferTime"]

    class Meta:
        table = "offer"
        indexes = (("meeting_id", "status"),)


class OfferTime(Model):
    # One offered start. `held` while an expert's pending offer keeps the time from
    # everyone else: the expert's bookings and availability treat it as busy, and
    # the database refuses a meeting over it (migration 0007).
    id = fields.BigIntField(primary_key=True)
    offer: fields.ForeignKeyRelation[Offer] = fields.ForeignKeyField(
        "models.Offer", related_name="times", on_delete=fields.CASCADE
    )
    meeting_id = fields.UUIDField()
    expert_id = fields.UUIDField()
    starts_at = fields.DatetimeField()
    ends_at = fields.DatetimeField()
    held = fields.BooleanField()
    overlap_acknowledged = fields.BooleanField(default=False)

    offer_id: UUID

    class Meta:
        table = "offer_time"
        indexes = (("expert_id", "held", "starts_at"),)
