from typing import TYPE_CHECKING, Any
from uuid import UUID

from tortoise import fields
from tortoise.models import Model

from app.domain.meetings import (
    CancelReason,
    CreditStatus,
    DeclineReason,
    MeetingKind,
    MeetingMode,
    MeetingStatus,
    TimelineEventType,
)
from app.domain.people import Side

if TYPE_CHECKING:
    from app.models.catalog import Service
    from app.models.coupons import Coupon
    from app.models.users import User


class Meeting(Model):
    id = fields.UUIDField(primary_key=True)
    client: fields.ForeignKeyRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="meetings_as_client", on_delete=fields.RESTRICT
    )
    expert: fields.ForeignKeyRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="meetings_as_expert", on_delete=fields.RESTRICT
    )
    service: fields.ForeignKeyRelation["Service"] = fields.ForeignKeyField(
        "models.Service", related_name="meetings", on_delete=fields.RESTRICT
    )
    skill = fields.CharField(max_length=80, null=True)
    mode = fields.CharEnumField(MeetingMode, max_length=16)
    location = fields.CharField(max_length=300, null=True)
    starts_at = fields.DatetimeField(null=True)
    ends_at = fields.DatetimeField(null=True)
    duration_minutes = fields.IntField()
    price_credits = fields.IntField()
    kind = fields.CharEnumField(MeetingKind, max_length=16, default=MeetingKind.SCHEDULED)
    status = fields.CharEnumField(MeetingStatus, max_length=24)
    client_approved = fields.BooleanField()
    expert_approved = fields.BooleanField()
    overlap_acknowledged = fields.BooleanField(default=False)
    credit_status = fields.CharEnumField(CreditStatus, max_length=16)
    settlement_due_at = fields.DatetimeField(null=True)
    client_joined_at = fields.DatetimeField(null=True)
    expert_joined_at = fields.DatetimeField(null=True)
    completed_at = fields.DatetimeField(null=True)
    room_url = fields.CharField(max_length=300, null=True)
    discount_credits = fields.IntField(default=0, db_default=0)
    coupon: fields.ForeignKeyNullableRelation["Coupon"] = fields.ForeignKeyField(
        "models.Coupon", related_name="meetings", null=True, on_delete=fields.RESTRICT
    )
    coupon_credits = fields.IntField(default=0, db_default=0)
    rate_credits = fields.IntField(null=True)
    minimum_minutes = fields.IntField(default=0, db_default=0)
    billed_seconds = fields.IntField(default=0, db_default=0)
    billing_since = fields.DatetimeField(null=True)
    # Per-minute sessions' billable time (domain/billing.py).
    # What the coupon took off the service's price at booking (price_credits is after it).
    created_by_side = fields.CharEnumField(Side, max_length=16)
    decline_reason: DeclineReason | None = fields.CharEnumField(DeclineReason, max_length=32, null=True)  # type: ignore[assignment]
    cancel_reason: CancelReason | None = fields.CharEnumField(CancelReason, max_length=32, null=True)  # type: ignore[assignment]
    expert_answered_at = fields.DatetimeField(null=True)
    # When the expert first answered a client's booking or request (response time).
    cancelled_by_side: Side | None = fields.CharEnumField(Side, max_length=16, null=True)  # type: ignore[assignment]
    version = fields.IntField(default=1)
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()

    client_id: UUID
    expert_id: UUID
    service_id: UUID
    timeline: fields.ReverseRelation["TimelineEvent"]

    class Meta:
        table = "meeting"
        indexes = (("expert_id", "starts_at"), ("client_id", "starts_at"))


class TimelineEvent(Model):
    # Append-only history of a meeting; ordered by id.

    id = fields.BigIntField(primary_key=True)
    meeting: fields.ForeignKeyRelation["Meeting"] = fields.ForeignKeyField(
        "models.Meeting", related_name="timeline", on_delete=fields.CASCADE
    )
    type = fields.CharEnumField(TimelineEventType, max_length=32)
    actor: fields.ForeignKeyNullableRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    actor_side = fields.CharEnumField(Side, max_length=16, null=True)
    by_admin = fields.BooleanField(default=False)
    at = fields.DatetimeField()
    meeting_version = fields.IntField()
    details: dict[str, Any] = fields.JSONField(default=dict)
    meeting_id: UUID

    class Meta:
        table = "timeline_event"
