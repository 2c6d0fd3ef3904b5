"""E-mail out: each notification's mail is a SEND_EMAIL job naming it, and its
delivery time is kept.

Adding a column with a foreign key may rebuild `scheduled_job` on SQLite, dropping its
indexes: they are made again (IF NOT EXISTS), as 0010 did.
"""

from importlib import import_module

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

_previous = import_module("app.migrations.0010_instant")


class Migration(migrations.Migration):
    dependencies = [('models', '0010_instant')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Notification',
            name='email_sent_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='ScheduledJob',
            name='notification',
            field=fields.ForeignKeyField('models.Notification', source_field='notification_id', null=True, db_constraint=True, to_field='id', related_name='jobs', on_delete=OnDelete.CASCADE),
        ),
        ops.RunSQL(_previous.JOB_INDEXES, "SELECT 1"),
    ]
