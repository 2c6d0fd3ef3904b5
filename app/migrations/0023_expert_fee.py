"""Platform fees: an admin's per-expert override of PLATFORM_FEE_PERCENT."""

from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("models", "0022_attachments")]

    initial = False

    operations = [
        ops.AddField(
            model_name="ExpertProfile",
            name="platform_fee_percent",
            field=fields.IntField(null=True),
        ),
    ]
