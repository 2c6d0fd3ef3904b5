"""An open instant request holds its most on the ledger: entries name the request."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0015_room_jobs')]

    initial = False

    operations = [
        ops.AddField(
            model_name='LedgerEntry',
            name='instant_request',
            field=fields.ForeignKeyField('models.InstantRequest', source_field='instant_request_id', null=True, db_constraint=True, to_field='id', related_name='ledger_entries', on_delete=OnDelete.RESTRICT),
        ),
    ]
