from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from app.domain.ledger import LedgerKind

if TYPE_CHECKING:
    from app.models.instant import InstantRequest
    from app.models.meetings import Meeting
    from app.models.payouts import Payout
    from app.models.users import User


class LedgerEntry(Model):
    # One movement of credits; balances are sums of these (see domain.ledger).

    id = fields.BigIntField(primary_key=True)
    user: fields.ForeignKeyRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="ledger_entries", on_delete=fields.RESTRICT
    )
    kind = fields.CharEnumField(LedgerKind, max_length=16)
    amount = fields.IntField()
    meeting: fields.ForeignKeyNullableRelation["Meeting"] = fields.ForeignKeyField(
        "models.Meeting", related_name="ledger_entries", null=True, on_delete=fields.RESTRICT
    )
    instant_request: fields.ForeignKeyNullableRelation["InstantRequest"] = fields.ForeignKeyField(
        "models.InstantRequest", related_name="ledger_entries", null=True, on_delete=fields.RESTRICT
    )
    # The request an entry holds for or returns (REQUEST_HOLD, REQUEST_RELEASE).
    payout: fields.ForeignKeyNullableRelation["Payout"] = fields.ForeignKeyField(
        "models.Payout", related_name="ledger_entries", null=True, on_delete=fields.RESTRICT
    )
    # The payout an entry pays out or returns (PAYOUT, PAYOUT_RETURNED).
    memo = fields.CharField(max_length=200, default="")
    created_at = fields.DatetimeField()

    class Meta:
        table = "ledger_entry"
        indexes = (("user_id", "kind"),)
