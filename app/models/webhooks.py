from typing import TYPE_CHECKING, Any
from uuid import UUID

from tortoise import fields
from tortoise.models import Model

from app.domain.webhooks import DeliveryStatus

if TYPE_CHECKING:
    from app.models.meetings import Meeting
    from app.models.users import User


class Webhook(Model):
    # An endpoint an admin (every meeting) or an expert (their own) registered for
    # timeline events (domain/webhooks.py).
    id = fields.UUIDField(primary_key=True)
    owner: fields.ForeignKeyRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="webhooks", on_delete=fields.CASCADE
    )
    url = fields.CharField(max_length=2000)
    events: list[str] | None = fields.JSONField(null=True)
    # Event types it hears; null: all.
    secret = fields.CharField(max_length=200)
    previous_secret = fields.CharField(max_length=200, null=True)
    previous_secret_until = fields.DatetimeField(null=True)
    # After a rotation, deliveries carry a signature with the old secret too until then.
    active = fields.BooleanField(default=True)
    disabled_at = fields.DatetimeField(null=True)
    disabled_reason = fields.CharField(max_length=200, null=True)
    failing_since = fields.DatetimeField(null=True)
    # The first failed attempt since the last success; null while it answers.
    created_at = fields.DatetimeField()
    owner_id: UUID

    class Meta:
        table = "webhook"
        indexes = (("owner_id", "created_at"),)


class WebhookDelivery(Model):
    # One event to one endpoint, written in the transaction of the change it tells of; its
    # SEND_WEBHOOK job sends it. A replay is a delivery of its own with the same body.
    id = fields.BigIntField(primary_key=True)
    webhook: fields.ForeignKeyRelation[Webhook] = fields.ForeignKeyField(
        "models.Webhook", related_name="deliveries", on_delete=fields.CASCADE
    )
    meeting: fields.ForeignKeyRelation["Meeting"] = fields.ForeignKeyField(
        "models.Meeting", related_name="webhook_deliveries", on_delete=fields.CASCADE
    )
    meeting_version = fields.IntField()
    event = fields.CharField(max_length=40)
    payload: dict[str, Any] = fields.JSONField()
    status = fields.CharEnumField(DeliveryStatus, max_length=12, default=DeliveryStatus.PENDING)
    replay_of: fields.ForeignKeyNullableRelation["WebhookDelivery"] = fields.ForeignKeyField(
        "models.WebhookDelivery", related_name="replays", null=True, on_delete=fields.SET_NULL
    )
    attempts = fields.IntField(default=0)
    response_code = fields.IntField(null=True)
    latency_ms = fields.IntField(null=True)
    last_error = fields.CharField(max_length=300, null=True)
    created_at = fields.DatetimeField()
    first_attempt_at = fields.DatetimeField(null=True)
    last_attempt_at = fields.DatetimeField(null=True)
    delivered_at = fields.DatetimeField(null=True)
    webhook_id: UUID
    meeting_id: UUID
    replay_of_id: int | None

    class Meta:
        table = "webhook_delivery"
        indexes = (("webhook_id", "meeting_id", "meeting_version"), ("webhook_id", "id"))
