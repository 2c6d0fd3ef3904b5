from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from app.domain.ledger import LedgerKind
from app.domain.meetings import CancelReason, CreditStatus, DeclineReason, MeetingKind, MeetingMode, MeetingStatus, TimelineEventType
from app.domain.people import Side
from json import dumps, loads
from tortoise.fields.base import OnDelete
from uuid import uuid4
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name='User',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('email', fields.CharField(unique=True, max_length=254)),
                ('name', fields.CharField(max_length=120)),
                ('time_zone', fields.CharField(max_length=64)),
                ('is_admin', fields.BooleanField(default=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'user', 'app': 'models', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ExpertProfile',
            fields=[
                ('user', fields.OneToOneField('models.User', source_field='user_id', primary_key=True, db_index=True, db_constraint=True, to_field='id', related_name='expert_profile', on_delete=OnDelete.CASCADE)),
                ('headline', fields.CharField(default='', max_length=200)),
                ('skills', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('client_cancellation_window_minutes', fields.IntField(default=1440)),
                ('short_notice_window_minutes', fields.IntField(default=2880)),
                ('join_window_minutes', fields.IntField(default=10)),
                ('no_show_grace_minutes', fields.IntField(default=10)),
                ('notes_window_minutes', fields.IntField(default=2880)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'expert_profile', 'app': 'models', 'pk_attr': 'user_id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Service',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('expert', fields.ForeignKeyField('models.User', source_field='expert_id', db_constraint=True, to_field='id', related_name='services', on_delete=OnDelete.CASCADE)),
                ('title', fields.CharField(max_length=120)),
                ('description', fields.TextField(default='', unique=False)),
                ('offerings', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('modes', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('location', fields.CharField(null=True, max_length=300)),
                ('is_active', fields.BooleanField(default=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'service', 'app': 'models', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Meeting',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('client', fields.ForeignKeyField('models.User', source_field='client_id', db_constraint=True, to_field='id', related_name='meetings_as_client', on_delete=OnDelete.RESTRICT)),
                ('expert', fields.ForeignKeyField('models.User', source_field='expert_id', db_constraint=True, to_field='id', related_name='meetings_as_expert', on_delete=OnDelete.RESTRICT)),
                ('service', fields.ForeignKeyField('models.Service', source_field='service_id', db_constraint=True, to_field='id', related_name='meetings', on_delete=OnDelete.RESTRICT)),
                ('skill', fields.CharField(null=True, max_length=80)),
                ('mode', fields.CharEnumField(description='CHAT: CHAT\nAUDIO: AUDIO\nVIDEO: VIDEO\nIN_PERSON: IN_PERSON', enum_type=MeetingMode, max_length=16)),
                ('location', fields.CharField(null=True, max_length=300)),
                ('starts_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('ends_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('duration_minutes', fields.IntField()),
                ('price_credits', fields.IntField()),
                ('kind', fields.CharEnumField(default=MeetingKind.SCHEDULED, description='SCHEDULED: SCHEDULED\nINSTANT: INSTANT', enum_type=MeetingKind, max_length=16)),
                ('status', fields.CharEnumField(description='AWAITING_APPROVAL: AWAITING_APPROVAL\nAGREED: AGREED\nREJECTED: REJECTED\nEXPIRED: EXPIRED\nCANCELLED: CANCELLED\nIN_PROGRESS: IN_PROGRESS\nNO_SHOW: NO_SHOW\nCOMPLETED: COMPLETED', enum_type=MeetingStatus, max_length=24)),
                ('client_approved', fields.BooleanField()),
                ('expert_approved', fields.BooleanField()),
                ('overlap_acknowledged', fields.BooleanField(default=False)),
                ('credit_status', fields.CharEnumField(description='NONE: NONE\nBLOCKED: BLOCKED\nRETURNED: RETURNED\nCHARGED: CHARGED', enum_type=CreditStatus, max_length=16)),
                ('settlement_due_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_by_side', fields.CharEnumField(description='CLIENT: CLIENT\nEXPERT: EXPERT', enum_type=Side, max_length=16)),
                ('decline_reason', fields.CharEnumField(null=True, description='NOT_AVAILABLE: NOT_AVAILABLE\nOUTSIDE_EXPERTISE: OUTSIDE_EXPERTISE\nSCHEDULE_CONFLICT: SCHEDULE_CONFLICT\nNEEDS_MORE_INFORMATION: NEEDS_MORE_INFORMATION\nOTHER: OTHER', enum_type=DeclineReason, max_length=32)),
                ('cancel_reason', fields.CharEnumField(null=True, description='CLIENT_REQUESTED: CLIENT_REQUESTED\nSCHEDULE_CONFLICT: SCHEDULE_CONFLICT\nILLNESS: ILLNESS\nEMERGENCY: EMERGENCY\nOTHER: OTHER', enum_type=CancelReason, max_length=32)),
                ('cancelled_by_side', fields.CharEnumField(null=True, description='CLIENT: CLIENT\nEXPERT: EXPERT', enum_type=Side, max_length=16)),
                ('version', fields.IntField(default=1)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'meeting', 'app': 'models', 'indexes': [Index(fields=['expert_id', 'starts_at']), Index(fields=['client_id', 'starts_at'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='LedgerEntry',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('models.User', source_field='user_id', db_constraint=True, to_field='id', related_name='ledger_entries', on_delete=OnDelete.RESTRICT)),
                ('kind', fields.CharEnumField(description='GRANT: GRANT\nBLOCK: BLOCK\nRELEASE: RELEASE\nCHARGE: CHARGE\nEARNING: EARNING\nPAYOUT: PAYOUT', enum_type=LedgerKind, max_length=16)),
                ('amount', fields.IntField()),
                ('meeting', fields.ForeignKeyField('models.Meeting', source_field='meeting_id', null=True, db_constraint=True, to_field='id', related_name='ledger_entries', on_delete=OnDelete.RESTRICT)),
                ('memo', fields.CharField(default='', max_length=200)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'ledger_entry', 'app': 'models', 'indexes': [Index(fields=['user_id', 'kind'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Notification',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('recipient', fields.ForeignKeyField('models.User', source_field='recipient_id', db_constraint=True, to_field='id', related_name='notifications', on_delete=OnDelete.CASCADE)),
                ('type', fields.CharField(max_length=40)),
                ('meeting', fields.ForeignKeyField('models.Meeting', source_field='meeting_id', null=True, db_constraint=True, to_field='id', related_name='notifications', on_delete=OnDelete.CASCADE)),
                ('text', fields.CharField(max_length=500)),
                ('channels', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('email_delivery', fields.CharField(default='PENDING', max_length=16)),
                ('read_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'notification', 'app': 'models', 'indexes': [Index(fields=['recipient_id', 'created_at'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='TimelineEvent',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('meeting', fields.ForeignKeyField('models.Meeting', source_field='meeting_id', db_constraint=True, to_field='id', related_name='timeline', on_delete=OnDelete.CASCADE)),
                ('type', fields.CharEnumField(description='BOOKED_BY_CLIENT: BOOKED_BY_CLIENT\nPROPOSED_BY_EXPERT: PROPOSED_BY_EXPERT\nAPPROVED_BY_CLIENT: APPROVED_BY_CLIENT\nAPPROVED_BY_EXPERT: APPROVED_BY_EXPERT\nDECLINED_BY_CLIENT: DECLINED_BY_CLIENT\nREJECTED_BY_EXPERT: REJECTED_BY_EXPERT\nCANCELLED_BY_CLIENT: CANCELLED_BY_CLIENT\nCANCELLED_BY_EXPERT: CANCELLED_BY_EXPERT\nCHARGED_BY_EXPERT: CHARGED_BY_EXPERT\nCHARGE_WAIVED: CHARGE_WAIVED', enum_type=TimelineEventType, max_length=32)),
                ('actor', fields.ForeignKeyField('models.User', source_field='actor_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('actor_side', fields.CharEnumField(null=True, description='CLIENT: CLIENT\nEXPERT: EXPERT', enum_type=Side, max_length=16)),
                ('by_admin', fields.BooleanField(default=False)),
                ('at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('meeting_version', fields.IntField()),
                ('details', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
            ],
            options={'table': 'timeline_event', 'app': 'models', 'pk_attr': 'id'},
            bases=['Model'],
        ),
    ]
