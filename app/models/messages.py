from typing import TYPE_CHECKING
from uuid import UUID

from tortoise import fields
from tortoise.models import Model

from app.domain.messages import ConversationKind

if TYPE_CHECKING:
    from app.models.instant import InstantRequest
    from app.models.meetings import Meeting
    from app.models.users import User


class Conversation(Model):
    # A client and an expert talking (domain/messages.py). `key` makes it the one of its kind;
    # `last_sequence` numbers its messages and is bumped by each send (which serializes the
    # sends of one conversation on its row); the read marks are sequence numbers.

    id = fields.UUIDField(primary_key=True)
    kind: ConversationKind = fields.CharEnumField(ConversationKind, max_length=16)  # type: ignore[assignment]
    key = fields.CharField(max_length=120, unique=True)
    meeting: fields.ForeignKeyNullableRelation["Meeting"] = fields.ForeignKeyField(
        "models.Meeting", related_name="conversations", null=True, on_delete=fields.CASCADE
    )
    instant_request: fields.ForeignKeyNullableRelation["InstantRequest"] = fields.ForeignKeyField(
        "models.InstantRequest", related_name="conversations", null=True, on_delete=fields.CASCADE
    )
    client: fields.ForeignKeyRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="client_conversations", on_delete=fields.CASCADE
    )
    expert: fields.ForeignKeyRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="expert_conversations", on_delete=fields.CASCADE
    )
    last_sequence = fields.IntField(default=0)
    client_read_sequence = fields.IntField(default=0)
    expert_read_sequence = fields.IntField(default=0)
    created_at = fields.DatetimeField()
    last_activity_at = fields.DatetimeField()
    meeting_id: UUID | None
    instant_request_id: UUID | None
    client_id: UUID
    expert_id: UUID

    class Meta:
        table = "conversation"
        indexes = (("client_id", "last_activity_at"), ("expert_id", "last_activity_at"))


class Message(Model):
    id = fields.UUIDField(primary_key=True)
    conversation: fields.ForeignKeyRelation[Conversation] = fields.ForeignKeyField(
        "models.Conversation", related_name="messages", on_delete=fields.CASCADE
    )
    sequence = fields.IntField()
    sender: fields.ForeignKeyRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="messages_sent", on_delete=fields.CASCADE
    )
    body = fields.TextField()
    created_at = fields.DatetimeField()
    edited_at = fields.DatetimeField(null=True)
    deleted_at = fields.DatetimeField(null=True)
    conversation_id: UUID
    sender_id: UUID

    class Meta:
        table = "message"
        unique_together = (("conversation_id", "sequence"),)
        indexes = (("sender_id", "created_at"),)
