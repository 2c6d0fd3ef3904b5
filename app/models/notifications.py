from typing import TYPE_CHECKING
from uuid import UUID

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from app.models.meetings import Meeting
    from app.models.users import User


class Notification(Model):
    id = fields.UUIDField(primary_key=True)
    recipient: fields.ForeignKeyRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="notifications", on_delete=fields.CASCADE
    )
    type = fields.CharField(max_length=40)
    meeting: fields.ForeignKeyNullableRelation["Meeting"] = fields.ForeignKeyField(
        "models.Meeting", related_name="notifications", null=True, on_delete=fields.CASCADE
    )
    text = fields.CharField(max_length=500)
    channels: list[str] = fields.JSONField()
    email_delivery = fields.CharField(max_length=16, default="PENDING")
    """An `EmailDelivery`: PENDING until its SEND_EMAIL job runs; SENT, LOGGED or FAILED after."""
    email_sent_at = fields.DatetimeField(null=True)
    sms_delivery = fields.CharField(max_length=16, null=True)
    """An `SmsDelivery`; null until its SEND_EMAIL job decides (by the recipient's preferences)."""
    read_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField()
    sequence = fields.BigIntField(db_default=0)
    # The order notifications were written in, given by the database on insert (migration
    # 0017; the ORM leaves the column out): those of one change share created_at, and their
    # random ids order nothing.
    recipient_id: UUID
    meeting_id: UUID | None

    class Meta:
        table = "notification"
        indexes = (("recipient_id", "created_at"),)  # (recipient_id, sequence): made by migration 0017
