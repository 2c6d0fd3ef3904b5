from uuid import UUID

from tortoise import fields
from tortoise.models import Model

from app.domain.rescheduling import ClientProgramme
from app.models.users import User


class ClientRelation(Model):
    # How one client stands with one expert; no row means the default (PRIVATE).
    id = fields.BigIntField(primary_key=True)
    expert: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="client_relations", on_delete=fields.CASCADE
    )
    client: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="expert_relations", on_delete=fields.CASCADE
    )
    programme = fields.CharEnumField(ClientProgramme, max_length=16)
    updated_at = fields.DatetimeField()

    expert_id: UUID
    client_id: UUID

    class Meta:
        table = "client_relation"
        unique_together = (("expert_id", "client_id"),)
