from typing import TYPE_CHECKING
from uuid import UUID

from tortoise import fields
from tortoise.models import Model

from app.domain.instant import InstantStatus
from app.domain.meetings import MeetingMode

if TYPE_CHECKING:
    from app.models.meetings import Meeting
    from app.models.users import User


class InstantRequest(Model):
    # A client's request for a session now, offered to every matching expert online.
    # Taken once: the first conditional UPDATE from OPEN wins (services/instant.py), and
    # `meeting` is unique, so no request can ever have two meetings.
    id = fields.UUIDField(primary_key=True)
    client: fields.ForeignKeyRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="instant_requests", on_delete=fields.CASCADE
    )
    direct_expert: fields.ForeignKeyNullableRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name=False, null=True, on_delete=fields.CASCADE
    )
    topic = fields.CharField(max_length=120)
    skill = fields.CharField(max_length=80)
    description = fields.TextField()
    duration_minutes = fields.IntField()
    max_price_credits = fields.IntField()
    mode = fields.CharEnumField(MeetingMode, max_length=16)
    status = fields.CharEnumField(InstantStatus, max_length=16)
    expires_at = fields.DatetimeField()
    notified_expert_ids: list[str] = fields.JSONField(default=list)
    # Who was told of it: they hear how it ended.
    taken_by: fields.ForeignKeyNullableRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    meeting: fields.OneToOneNullableRelation["Meeting"] = fields.OneToOneField(
        "models.Meeting", related_name="instant_request", null=True, on_delete=fields.SET_NULL
    )
    created_at = fields.DatetimeField()
    ended_at = fields.DatetimeField(null=True)

    client_id: UUID
    direct_expert_id: UUID | None
    taken_by_id: UUID | None
    meeting_id: UUID | None

    class Meta:
        table = "instant_request"
        indexes = (("status", "expires_at"),)
