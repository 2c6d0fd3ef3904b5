from typing import TYPE_CHECKING
from uuid import UUID

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from app.models.users import User


class Service(Model):
    id = fields.UUIDField(primary_key=True)
    expert: fields.ForeignKeyRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="services", on_delete=fields.CASCADE
    )
    title = fields.CharField(max_length=120)
    description = fields.TextField(default="")
    offerings: list[dict[str, int]] = fields.JSONField()
    """[{"duration_minutes": int, "price_credits": int}], sorted by duration."""
    modes: list[str] = fields.JSONField()
    location = fields.CharField(max_length=300, null=True)
    per_minute: dict[str, int | None] | None = fields.JSONField(null=True)
    """{"rate_credits", "minimum_minutes", "cap_minutes"} for a per-minute service (domain/billing.py)."""
    is_active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField()
    expert_id: UUID

    class Meta:
        table = "service"
