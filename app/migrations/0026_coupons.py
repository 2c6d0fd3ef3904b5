"""Coupons an admin issues; a meeting booked with one names it and what it took off."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from uuid import uuid4
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0025_discounts')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Coupon',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('code', fields.CharField(unique=True, max_length=32)),
                ('percent', fields.IntField(null=True)),
                ('credits', fields.IntField(null=True)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('uses_per_client', fields.IntField()),
                ('total_uses', fields.IntField(null=True)),
                ('used', fields.IntField(default=0)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'coupon', 'app': 'models', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Meeting',
            name='coupon',
            field=fields.ForeignKeyField('models.Coupon', source_field='coupon_id', null=True, db_constraint=True, to_field='id', related_name='meetings', on_delete=OnDelete.RESTRICT),
        ),
        ops.AddField(
            model_name='Meeting',
            name='coupon_credits',
            field=fields.IntField(default=0, db_default=0),
        ),
    ]
