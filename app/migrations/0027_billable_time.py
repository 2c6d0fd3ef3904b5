"""Billable time: per-minute services, and the billable time of their sessions."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0026_coupons')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Meeting',
            name='billed_seconds',
            field=fields.IntField(default=0, db_default=0),
        ),
        ops.AddField(
            model_name='Meeting',
            name='billing_since',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Meeting',
            name='minimum_minutes',
            field=fields.IntField(default=0, db_default=0),
        ),
        ops.AddField(
            model_name='Meeting',
            name='rate_credits',
            field=fields.IntField(null=True),
        ),
        ops.AddField(
            model_name='Service',
            name='per_minute',
            field=fields.JSONField(null=True),
        ),
    ]
