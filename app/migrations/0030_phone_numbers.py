"""Text messages: users' phone numbers and notification preferences; each notification's SMS state."""

from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [('models', '0029_webhooks')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Notification',
            name='sms_delivery',
            field=fields.CharField(null=True, max_length=16),
        ),
        ops.AddField(
            model_name='User',
            name='notification_preferences',
            field=fields.JSONField(null=True),
        ),
        ops.AddField(
            model_name='User',
            name='phone_number',
            field=fields.CharField(null=True, max_length=16),
        ),
    ]
