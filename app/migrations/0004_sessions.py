from tortoise import migrations
from tortoise.migrations import operations as ops
from app.domain.meetings import TimelineEventType
from app.domain.schedule import JobKind, ReminderKind
from app.models.jobs import JobStatus
from tortoise.fields.base import OnDelete
from uuid import uuid4
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0003_no_double_booking')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Note',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('meeting', fields.ForeignKeyField('models.Meeting', source_field='meeting_id', db_constraint=True, to_field='id', related_name='notes', on_delete=OnDelete.RESTRICT)),
                ('author', fields.ForeignKeyField('models.User', source_field='author_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('text', fields.TextField(unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'note', 'app': 'models', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Review',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('meeting', fields.OneToOneField('models.Meeting', source_field='meeting_id', db_constraint=True, to_field='id', related_name='review', on_delete=OnDelete.RESTRICT)),
                ('expert', fields.ForeignKeyField('models.User', source_field='expert_id', db_constraint=True, to_field='id', related_name='reviews_received', on_delete=OnDelete.RESTRICT)),
                ('rating', fields.IntField()),
                ('text', fields.TextField(default='', unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'review', 'app': 'models', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ScheduledJob',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('kind', fields.CharEnumField(description='REMINDER: REMINDER\nJOIN_WINDOW_OPENS: JOIN_WINDOW_OPENS\nNO_SHOW_CHECK: NO_SHOW_CHECK\nCOMPLETE: COMPLETE\nEXPIRE_UNAPPROVED: EXPIRE_UNAPPROVED\nSETTLEMENT_WAIVER: SETTLEMENT_WAIVER', enum_type=JobKind, max_length=24)),
                ('reminder', fields.CharEnumField(null=True, description='REMINDER_24H: REMINDER_24H\nROOM_LINK: ROOM_LINK\nREMINDER_30M: REMINDER_30M\nREMINDER_10M: REMINDER_10M', enum_type=ReminderKind, max_length=24)),
                ('meeting', fields.ForeignKeyField('models.Meeting', source_field='meeting_id', db_constraint=True, to_field='id', related_name='jobs', on_delete=OnDelete.CASCADE)),
                ('meeting_version', fields.IntField()),
                ('due_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('status', fields.CharEnumField(default=JobStatus.PENDING, description='PENDING: PENDING\nRUNNING: RUNNING\nDONE: DONE\nCANCELLED: CANCELLED\nFAILED: FAILED', enum_type=JobStatus, max_length=12)),
                ('attempts', fields.IntField(default=0)),
                ('claimed_by', fields.CharField(null=True, max_length=64)),
                ('claimed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('finished_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('last_error', fields.CharField(null=True, max_length=500)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'scheduled_job', 'app': 'models', 'indexes': [Index(fields=['status', 'due_at']), Index(fields=['meeting_id', 'status'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Meeting',
            name='client_joined_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Meeting',
            name='completed_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Meeting',
            name='expert_joined_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Meeting',
            name='room_url',
            field=fields.CharField(null=True, max_length=300),
        ),
        ops.AlterField(
            model_name='TimelineEvent',
            name='type',
            field=fields.CharEnumField(description='BOOKED_BY_CLIENT: BOOKED_BY_CLIENT\nPROPOSED_BY_EXPERT: PROPOSED_BY_EXPERT\nAPPROVED_BY_CLIENT: APPROVED_BY_CLIENT\nAPPROVED_BY_EXPERT: APPROVED_BY_EXPERT\nDECLINED_BY_CLIENT: DECLINED_BY_CLIENT\nREJECTED_BY_EXPERT: REJECTED_BY_EXPERT\nCANCELLED_BY_CLIENT: CANCELLED_BY_CLIENT\nCANCELLED_BY_EXPERT: CANCELLED_BY_EXPERT\nCHARGED_BY_EXPERT: CHARGED_BY_EXPERT\nCHARGE_WAIVED: CHARGE_WAIVED\nJOINED_BY_CLIENT: JOINED_BY_CLIENT\nJOINED_BY_EXPERT: JOINED_BY_EXPERT\nSTARTED: STARTED\nENDED_BY_EXPERT: ENDED_BY_EXPERT\nCOMPLETED: COMPLETED\nNO_SHOW: NO_SHOW\nEXPIRED: EXPIRED\nNOTE_ADDED: NOTE_ADDED\nREVIEWED: REVIEWED', enum_type=TimelineEventType, max_length=32),
        ),
    ]
