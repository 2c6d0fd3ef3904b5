from typing import TYPE_CHECKING
from uuid import UUID

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from app.models.users import User


class SignInCode(Model):
    # A one-time code sent to an address (domain/sign_in.py). `user` is null for an address
    # without an account: the row still counts toward the address's hourly limit.

    id = fields.UUIDField(primary_key=True)
    email = fields.CharField(max_length=254, db_index=True)
    user: fields.ForeignKeyNullableRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="sign_in_codes", null=True, on_delete=fields.CASCADE
    )
    digest = fields.CharField(max_length=64)
    wrong_tries = fields.IntField(default=0)
    used_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField()
    expires_at = fields.DatetimeField()
    user_id: UUID | None

    class Meta:
        table = "sign_in_code"


class RefreshToken(Model):
    # One link of a sign-in's chain of refresh tokens; `family` names the sign-in.

    id = fields.UUIDField(primary_key=True)
    user: fields.ForeignKeyRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="refresh_tokens", on_delete=fields.CASCADE
    )
    family = fields.UUIDField(db_index=True)
    digest = fields.CharField(max_length=64, unique=True)
    created_at = fields.DatetimeField()
    expires_at = fields.DatetimeField()
    used_at = fields.DatetimeField(null=True)
    revoked_at = fields.DatetimeField(null=True)
    user_id: UUID

    class Meta:
        table = "refresh_token"
