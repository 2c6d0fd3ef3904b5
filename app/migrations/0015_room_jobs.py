"""A ROOM_OPEN or ROOM_CLOSE job names the room it tells the video provider of."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0014_idempotency_keys')]

    initial = False

    operations = [
        ops.AddField(
            model_name='ScheduledJob',
            name='room_url',
            field=fields.CharField(null=True, max_length=300),
        ),
    ]
