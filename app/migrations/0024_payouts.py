"""Payouts: an expert's payable earnings paid out; the ledger entries that move them name them."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from app.domain.payouts import PayoutStatus
from tortoise.fields.base import OnDelete
from uuid import uuid4
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0023_expert_fee')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Payout',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('expert', fields.ForeignKeyField('models.User', source_field='expert_id', db_constraint=True, to_field='id', related_name='payouts', on_delete=OnDelete.RESTRICT)),
                ('amount', fields.IntField()),
                ('status', fields.CharEnumField(description='REQUESTED: REQUESTED\nPAID: PAID\nFAILED: FAILED', enum_type=PayoutStatus, max_length=16)),
                ('early', fields.BooleanField()),
                ('reference', fields.CharField(null=True, max_length=200)),
                ('failure_reason', fields.CharField(null=True, max_length=200)),
                ('requested_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('concluded_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'payout', 'app': 'models', 'indexes': [Index(fields=['expert_id', 'requested_at'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='LedgerEntry',
            name='payout',
            field=fields.ForeignKeyField('models.Payout', source_field='payout_id', null=True, db_constraint=True, to_field='id', related_name='ledger_entries', on_delete=OnDelete.RESTRICT),
        ),
    ]
