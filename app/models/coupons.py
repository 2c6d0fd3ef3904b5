from tortoise import fields
from tortoise.models import Model


class Coupon(Model):
    # An admin's coupon (domain/coupons.py); meetings booked with it name it.
    id = fields.UUIDField(primary_key=True)
    code = fields.CharField(max_length=32, unique=True)
    # Upper case (domain/coupons.normalized_code).
    percent = fields.IntField(null=True)
    credits = fields.IntField(null=True)
    expires_at = fields.DatetimeField()
    uses_per_client = fields.IntField()
    total_uses = fields.IntField(null=True)
    used = fields.IntField(default=0)
    created_at = fields.DatetimeField()

    class Meta:
        table = "coupon"
