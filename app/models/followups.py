from typing import TYPE_CHECKING
from uuid import UUID

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from app.models.meetings import Meeting
    from app.models.users import User


class Note(Model):
    # A session note by the meeting's expert. Never edited or deleted (the database refuses).
    id = fields.UUIDField(primary_key=True)
    meeting: fields.ForeignKeyRelation["Meeting"] = fields.ForeignKeyField(
        "models.Meeting", related_name="notes", on_delete=fields.RESTRICT
    )
    author: fields.ForeignKeyRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name=False, on_delete=fields.RESTRICT
    )
    text = fields.TextField()
    created_at = fields.DatetimeField()
    meeting_id: UUID
    author_id: UUID

    class Meta:
        table = "note"


class Review(Model):
    # The client's review of a completed session; one per meeting.
    id = fields.UUIDField(primary_key=True)
    meeting: fields.OneToOneRelation["Meeting"] = fields.OneToOneField(
        "models.Meeting", related_name="review", on_delete=fields.RESTRICT
    )
    expert: fields.ForeignKeyRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="reviews_received", on_delete=fields.RESTRICT
    )
    rating = fields.IntField()
    text = fields.TextField(default="")
    created_at = fields.DatetimeField()
    meeting_id: UUID
    expert_id: UUID

    class Meta:
        table = "review"
