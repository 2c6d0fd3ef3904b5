"""Messages: conversations between a client and an expert, their messages, and the jobs that mail what stays unread."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from app.domain.messages import ConversationKind
from tortoise.fields.base import OnDelete
from uuid import uuid4
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0020_sign_in')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Conversation',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('kind', fields.CharEnumField(description='MEETING: MEETING\nDIRECT: DIRECT\nINSTANT_REQUEST: INSTANT_REQUEST', enum_type=ConversationKind, max_length=16)),
                ('key', fields.CharField(unique=True, max_length=120)),
                ('meeting', fields.ForeignKeyField('models.Meeting', source_field='meeting_id', null=True, db_constraint=True, to_field='id', related_name='conversations', on_delete=OnDelete.CASCADE)),
                ('instant_request', fields.ForeignKeyField('models.InstantRequest', source_field='instant_request_id', null=True, db_constraint=True, to_field='id', related_name='conversations', on_delete=OnDelete.CASCADE)),
                ('client', fields.ForeignKeyField('models.User', source_field='client_id', db_constraint=True, to_field='id', related_name='client_conversations', on_delete=OnDelete.CASCADE)),
                ('expert', fields.ForeignKeyField('models.User', source_field='expert_id', db_constraint=True, to_field='id', related_name='expert_conversations', on_delete=OnDelete.CASCADE)),
                ('last_sequence', fields.IntField(default=0)),
                ('client_read_sequence', fields.IntField(default=0)),
                ('expert_read_sequence', fields.IntField(default=0)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('last_activity_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'conversation', 'app': 'models', 'indexes': [Index(fields=['client_id', 'last_activity_at']), Index(fields=['expert_id', 'last_activity_at'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Message',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('conversation', fields.ForeignKeyField('models.Conversation', source_field='conversation_id', db_constraint=True, to_field='id', related_name='messages', on_delete=OnDelete.CASCADE)),
                ('sequence', fields.IntField()),
                ('sender', fields.ForeignKeyField('models.User', source_field='sender_id', db_constraint=True, to_field='id', related_name='messages_sent', on_delete=OnDelete.CASCADE)),
                ('body', fields.TextField(unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('edited_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('deleted_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'message', 'app': 'models', 'unique_together': (('conversation_id', 'sequence'),), 'indexes': [Index(fields=['sender_id', 'created_at'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='ScheduledJob',
            name='conversation',
            field=fields.ForeignKeyField('models.Conversation', source_field='conversation_id', null=True, db_constraint=True, to_field='id', related_name='jobs', on_delete=OnDelete.CASCADE),
        ),
        ops.AddField(
            model_name='ScheduledJob',
            name='recipient',
            field=fields.ForeignKeyField('models.User', source_field='recipient_id', null=True, db_constraint=True, to_field='id', related_name='jobs', on_delete=OnDelete.CASCADE),
        ),
    ]
