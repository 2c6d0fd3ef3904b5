"""An expert may require notes of every session (a reminder when missing, `notesDueAt`)."""

from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [('models', '0017_notification_sequence')]

    initial = False

    operations = [
        ops.AddField(
            model_name='ExpertProfile',
            name='notes_required',
            field=fields.BooleanField(db_default=False),
        ),
    ]
