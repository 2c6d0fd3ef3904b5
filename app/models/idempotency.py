from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from app.models.users import User


class IdempotencyKey(Model):
    # A mutation's first result under a user's key, written in the mutation's own transaction.

    id = fields.BigIntField(primary_key=True)
    user: fields.ForeignKeyRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="idempotency_keys", on_delete=fields.CASCADE
    )
    key = fields.CharField(max_length=255)
    fingerprint = fields.CharField(max_length=64)
    response = fields.TextField()
    created_at = fields.DatetimeField()
    expires_at = fields.DatetimeField()

    class Meta:
        table = "idempotency_key"
        unique_together = (("user_id", "key"),)
