from typing import TYPE_CHECKING
from uuid import UUID

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from app.models.messages import Message
    from app.models.users import User


class Attachment(Model):
    # A file uploaded for a message (domain/attachments.py); its bytes are in the FileStore
    # under its id. `message` is null until a sendMessage names it.

    id = fields.UUIDField(primary_key=True)
    uploader: fields.ForeignKeyRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="attachments", on_delete=fields.CASCADE
    )
    message: fields.ForeignKeyNullableRelation["Message"] = fields.ForeignKeyField(
        "models.Message", related_name="attachments", null=True, on_delete=fields.CASCADE
    )
    filename = fields.CharField(max_length=130)
    content_type = fields.CharField(max_length=40)
    size = fields.IntField()
    sha256 = fields.CharField(max_length=64)
    created_at = fields.DatetimeField()
    uploader_id: UUID
    message_id: UUID | None

    class Meta:
        table = "attachment"
        indexes = (("uploader_id", "created_at"),)
