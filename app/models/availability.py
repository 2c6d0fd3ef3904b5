from typing import TYPE_CHECKING
from uuid import UUID

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from app.models.users import User


class DateOverride(Model):
    # One date's windows replacing its weekly rules; no windows is a day off.
    id = fields.BigIntField(primary_key=True)
    expert: fields.ForeignKeyRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="date_overrides", on_delete=fields.CASCADE
    )
    day = fields.DateField()
    windows: list[dict[str, int]] = fields.JSONField()
    expert_id: UUID

    class Meta:
        table = "date_override"
        unique_together = (("expert", "day"),)


class BusyBlock(Model):
    # A time taken in the expert's own calendar (imported .ics). Private: only times are kept.
    id = fields.BigIntField(primary_key=True)
    expert: fields.ForeignKeyRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="busy_blocks", on_delete=fields.CASCADE
    )
    starts_at = fields.DatetimeField()
    ends_at = fields.DatetimeField()
    expert_id: UUID

    class Meta:
        table = "busy_block"
        indexes = (("expert_id", "starts_at"),)
