"""Instant requests, and timed jobs whose subject is an instant request.

Making `scheduled_job.meeting_id` nullable rebuilds that table on SQLite, which
drops its indexes (0006's rebuild had already lost them): they are made again here.
"""

from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from app.domain.instant import InstantStatus
from app.domain.meetings import MeetingMode, TimelineEventType
from json import dumps, loads
from tortoise.fields.base import OnDelete
from uuid import uuid4
from tortoise import fields

from app.db import AlterEnumValues
from tortoise.indexes import Index

JOB_INDEXES = """
CREATE INDEX IF NOT EXISTS scheduled_job_due ON scheduled_job (status, due_at);
CREATE INDEX IF NOT EXISTS scheduled_job_meeting ON scheduled_job (meeting_id, status);
CREATE INDEX IF NOT EXISTS scheduled_job_instant ON scheduled_job (instant_request_id)
"""


class Migration(migrations.Migration):
    dependencies = [('models', '0009_directory')]

    initial = False

    operations = [
        ops.CreateModel(
            name='InstantRequest',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('client', fields.ForeignKeyField('models.User', source_field='client_id', db_constraint=True, to_field='id', related_name='instant_requests', on_delete=OnDelete.CASCADE)),
                ('direct_expert', fields.ForeignKeyField('models.User', source_field='direct_expert_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('topic', fields.CharField(max_length=120)),
                ('skill', fields.CharField(max_length=80)),
                ('description', fields.TextField(unique=False)),
                ('duration_minutes', fields.IntField()),
                ('max_price_credits', fields.IntField()),
                ('mode', fields.CharEnumField(description='CHAT: CHAT\nAUDIO: AUDIO\nVIDEO: VIDEO\nIN_PERSON: IN_PERSON', enum_type=MeetingMode, max_length=16)),
                ('status', fields.CharEnumField(description='OPEN: OPEN\nTAKEN: TAKEN\nEXPIRED: EXPIRED\nWITHDRAWN: WITHDRAWN', enum_type=InstantStatus, max_length=16)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('notified_expert_ids', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('taken_by', fields.ForeignKeyField('models.User', source_field='taken_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('meeting', fields.OneToOneField('models.Meeting', source_field='meeting_id', null=True, db_constraint=True, to_field='id', related_name='instant_request', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('ended_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'instant_request', 'app': 'models', 'indexes': [Index(fields=['status', 'expires_at'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.AlterField(
            model_name='ScheduledJob',
            name='meeting',
            field=fields.ForeignKeyField('models.Meeting', source_field='meeting_id', null=True, db_constraint=True, to_field='id', related_name='jobs', on_delete=OnDelete.CASCADE),
        ),
        ops.AddField(
            model_name='ScheduledJob',
            name='instant_request',
            field=fields.ForeignKeyField('models.InstantRequest', source_field='instant_request_id', null=True, db_constraint=True, to_field='id', related_name='jobs', on_delete=OnDelete.CASCADE),
        ),
        AlterEnumValues(
            model_name='TimelineEvent',
            name='type',
            field=fields.CharEnumField(description='BOOKED_BY_CLIENT: BOOKED_BY_CLIENT\nPROPOSED_BY_EXPERT: PROPOSED_BY_EXPERT\nAPPROVED_BY_CLIENT: APPROVED_BY_CLIENT\nAPPROVED_BY_EXPERT: APPROVED_BY_EXPERT\nDECLINED_BY_CLIENT: DECLINED_BY_CLIENT\nREJECTED_BY_EXPERT: REJECTED_BY_EXPERT\nCANCELLED_BY_CLIENT: CANCELLED_BY_CLIENT\nCANCELLED_BY_EXPERT: CANCELLED_BY_EXPERT\nCHARGED_BY_EXPERT: CHARGED_BY_EXPERT\nCHARGE_WAIVED: CHARGE_WAIVED\nJOINED_BY_CLIENT: JOINED_BY_CLIENT\nJOINED_BY_EXPERT: JOINED_BY_EXPERT\nSTARTED: STARTED\nENDED_BY_EXPERT: ENDED_BY_EXPERT\nCOMPLETED: COMPLETED\nNO_SHOW: NO_SHOW\nEXPIRED: EXPIRED\nNOTE_ADDED: NOTE_ADDED\nREVIEWED: REVIEWED\nREQUESTED_BY_CLIENT: REQUESTED_BY_CLIENT\nTAKEN_INSTANTLY: TAKEN_INSTANTLY\nRESCHEDULED: RESCHEDULED\nREBOOKED_BY_CLIENT: REBOOKED_BY_CLIENT\nTIMES_OFFERED: TIMES_OFFERED\nLOCATION_OFFERED: LOCATION_OFFERED\nOFFER_ACCEPTED: OFFER_ACCEPTED\nOFFER_REJECTED: OFFER_REJECTED\nOFFER_WITHDRAWN: OFFER_WITHDRAWN\nOFFER_EXPIRED: OFFER_EXPIRED', enum_type=TimelineEventType, max_length=32),
        ),
        ops.RunSQL(JOB_INDEXES, "DROP INDEX IF EXISTS scheduled_job_due; DROP INDEX IF EXISTS scheduled_job_meeting; DROP INDEX IF EXISTS scheduled_job_instant"),
    ]
