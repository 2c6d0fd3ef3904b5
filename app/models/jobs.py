from enum import StrEnum
from typing import TYPE_CHECKING
from uuid import UUID

from tortoise import fields
from tortoise.models import Model

from app.domain.schedule import ReminderKind

if TYPE_CHECKING:
    from app.models.instant import InstantRequest
    from app.models.meetings import Meeting
    from app.models.messages import Conversation
    from app.models.notifications import Notification
    from app.models.payouts import Payout
    from app.models.users import User
    from app.models.webhooks import WebhookDelivery


class JobStatus(StrEnum):
    PENDING = "PENDING"
    RUNNING = "RUNNING"
    DONE = "DONE"
    CANCELLED = "CANCELLED"
    FAILED = "FAILED"


class ScheduledJob(Model):
    # Timed work, written in the same transaction as the change that schedules it.
    # PENDING -> RUNNING (claimed by one worker) -> DONE; or back to PENDING to retry;
    # CANCELLED when the meeting changes; FAILED after too many attempts.
    id = fields.BigIntField(primary_key=True)
    kind = fields.CharField(max_length=24)
    # A `JobKind` value; read as text so that a kind this process does not know
    # (written by a newer release) can be loaded and marked FAILED.
    reminder: ReminderKind | None = fields.CharEnumField(ReminderKind, max_length=24, null=True)  # type: ignore[assignment]
    meeting: fields.ForeignKeyNullableRelation["Meeting"] = fields.ForeignKeyField(
        "models.Meeting", related_name="jobs", null=True, on_delete=fields.CASCADE
    )
    # The subject: a meeting, or (INSTANT_EXPIRY) an instant request.
    instant_request: fields.ForeignKeyNullableRelation["InstantRequest"] = fields.ForeignKeyField(
        "models.InstantRequest", related_name="jobs", null=True, on_delete=fields.CASCADE
    )
    notification: fields.ForeignKeyNullableRelation["Notification"] = fields.ForeignKeyField(
        "models.Notification", related_name="jobs", null=True, on_delete=fields.CASCADE
    )
    # SEND_EMAIL: the notification whose e-mail it sends.
    conversation: fields.ForeignKeyNullableRelation["Conversation"] = fields.ForeignKeyField(
        "models.Conversation", related_name="jobs", null=True, on_delete=fields.CASCADE
    )
    recipient: fields.ForeignKeyNullableRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="jobs", null=True, on_delete=fields.CASCADE
    )
    # MESSAGES_EMAIL: the conversation whose unread messages it mails, and to whom.
    payout: fields.ForeignKeyNullableRelation["Payout"] = fields.ForeignKeyField(
        "models.Payout", related_name="jobs", null=True, on_delete=fields.CASCADE
    )
    # SEND_PAYOUT: the payout it hands to the payout provider.
    webhook_delivery: fields.ForeignKeyNullableRelation["WebhookDelivery"] = fields.ForeignKeyField(
        "models.WebhookDelivery", related_name="jobs", null=True, on_delete=fields.CASCADE
    )
    # SEND_WEBHOOK: the delivery it sends.
    meeting_version = fields.IntField()
    room_url = fields.CharField(max_length=300, null=True)
    # The room a ROOM_OPEN or ROOM_CLOSE job tells the provider of.
    due_at = fields.DatetimeField()
    status = fields.CharEnumField(JobStatus, max_length=12, default=JobStatus.PENDING)
    attempts = fields.IntField(default=0)
    claimed_by = fields.CharField(max_length=64, null=True)
    claimed_at = fields.DatetimeField(null=True)
    finished_at = fields.DatetimeField(null=True)
    last_error = fields.CharField(max_length=500, null=True)
    created_at = fields.DatetimeField()
    meeting_id: UUID | None
    instant_request_id: UUID | None
    notification_id: UUID | None
    conversation_id: UUID | None
    payout_id: UUID | None
    recipient_id: UUID | None
    webhook_delivery_id: int | None

    class Meta:
        table = "scheduled_job"
        indexes = (("status", "due_at"), ("meeting_id", "status"))
