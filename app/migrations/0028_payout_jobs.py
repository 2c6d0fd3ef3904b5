"""Payout jobs: a SEND_PAYOUT job names the payout it hands to the payout provider."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0027_billable_time')]

    initial = False

    operations = [
        ops.AddField(
            model_name='ScheduledJob',
            name='payout',
            field=fields.ForeignKeyField('models.Payout', source_field='payout_id', null=True, db_constraint=True, to_field='id', related_name='jobs', on_delete=OnDelete.CASCADE),
        ),
    ]
