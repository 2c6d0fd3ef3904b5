from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0001_initial')]

    initial = False

    operations = [
        ops.CreateModel(
            name='BusyBlock',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('expert', fields.ForeignKeyField('models.User', source_field='expert_id', db_constraint=True, to_field='id', related_name='busy_blocks', on_delete=OnDelete.CASCADE)),
                ('starts_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('ends_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'busy_block', 'app': 'models', 'indexes': [Index(fields=['expert_id', 'starts_at'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='DateOverride',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('expert', fields.ForeignKeyField('models.User', source_field='expert_id', db_constraint=True, to_field='id', related_name='date_overrides', on_delete=OnDelete.CASCADE)),
                ('day', fields.DateField()),
                ('windows', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
            ],
            options={'table': 'date_override', 'app': 'models', 'unique_together': (('expert', 'day'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.AlterModelOptions(
            name='ExpertProfile',
            options={'table': 'expert_profile', 'app': 'models', 'pk_attr': 'user_id'},
        ),
        ops.AddField(
            model_name='ExpertProfile',
            name='buffer_after_minutes',
            field=fields.IntField(default=0),
        ),
        ops.AddField(
            model_name='ExpertProfile',
            name='buffer_before_minutes',
            field=fields.IntField(default=0),
        ),
        ops.AddField(
            model_name='ExpertProfile',
            name='horizon_days',
            field=fields.IntField(default=60),
        ),
        ops.AddField(
            model_name='ExpertProfile',
            name='minimum_notice_minutes',
            field=fields.IntField(default=60),
        ),
        ops.AddField(
            model_name='ExpertProfile',
            name='slot_step_minutes',
            field=fields.IntField(default=30),
        ),
        ops.AddField(
            model_name='ExpertProfile',
            name='weekly_rules',
            field=fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads),
        ),
        ops.AddField(
            model_name='User',
            name='calendar_token',
            field=fields.CharField(null=True, unique=True, max_length=64),
        ),
    ]
