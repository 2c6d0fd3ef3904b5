from typing import TYPE_CHECKING
from uuid import UUID

from tortoise import fields
from tortoise.models import Model

from app.domain.payouts import PayoutStatus

if TYPE_CHECKING:
    from app.models.users import User


class Payout(Model):
    # An expert's payable earnings on their way out (domain/payouts.py); its ledger entries
    # (PAYOUT, PAYOUT_RETURNED) name it.
    id = fields.UUIDField(primary_key=True)
    expert: fields.ForeignKeyRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="payouts", on_delete=fields.RESTRICT
    )
    amount = fields.IntField()
    status = fields.CharEnumField(PayoutStatus, max_length=16)
    early = fields.BooleanField()
    # Asked for by the expert, not made by the weekly cycle.
    reference = fields.CharField(max_length=200, null=True)
    failure_reason = fields.CharField(max_length=200, null=True)
    requested_at = fields.DatetimeField()
    concluded_at = fields.DatetimeField(null=True)
    expert_id: UUID

    class Meta:
        table = "payout"
        indexes = (("expert_id", "requested_at"),)
