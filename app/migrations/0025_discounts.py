"""Discounts: the credits an expert returned to the client after a charge."""

from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("models", "0024_payouts")]

    initial = False

    operations = [
        ops.AddField(
            model_name="Meeting",
            name="discount_credits",
            field=fields.IntField(default=0, db_default=0),
        ),
    ]
