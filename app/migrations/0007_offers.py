"""Offers and client programmes; times held by an expert's pending offer are busy.

The guard of migration 0006 grows one clause: a meeting being written may not
take its expert's time while another meeting's offer holds it. And an offered
time may only be held while it is free: no active meeting of the expert (on
either side) other than the offer's own, and no other held time. An
acknowledged overlap (the expert knowingly offered it) is let through, as for
meetings. At most one offer per meeting is pending (a partial unique index, the
same on every database).

SQLite: triggers. PostgreSQL gets its own guard in the scale-out migration.
"""

from importlib import import_module

from tortoise import migrations
from tortoise.migrations import operations as ops
from app.domain.meetings import MeetingMode, TimelineEventType
from app.domain.offers import OfferPurpose, OfferStatus
from app.domain.people import Side
from app.domain.rescheduling import ClientProgramme
from tortoise.fields.base import OnDelete
from uuid import uuid4
from tortoise import fields
from tortoise.indexes import Index

from app.db import AlterEnumValues, sqlite_only

_previous = import_module("app.migrations.0006_busy_either_side")
ACTIVE = _previous.ACTIVE

_OTHER_MEETING_HOLDS_IT = """
    EXISTS (
        SELECT 1 FROM offer_time AS held
        WHERE held.expert_id = NEW.expert_id
          AND held.held = 1
          AND held.meeting_id != NEW.id
          AND held.starts_at < NEW.ends_at
          AND NEW.starts_at < held.ends_at
    )
"""


def _active_meeting_overlaps(except_meeting: str) -> str:
    """Another active meeting of NEW.expert_id, on either side, overlaps NEW's time."""
    return f"""
        EXISTS (
            SELECT 1 FROM meeting AS other
            WHERE (other.expert_id = NEW.expert_id OR other.client_id = NEW.expert_id)
              AND other.id != {except_meeting}
              AND other.status IN {ACTIVE}
              AND other.starts_at < NEW.ends_at
              AND NEW.starts_at < other.ends_at
        )
    """


_MEETING_TAKES_BUSY_TIME = f"""
    NEW.status IN {ACTIVE} AND NEW.overlap_acknowledged = 0
    AND NEW.starts_at IS NOT NULL
    AND ({_active_meeting_overlaps("NEW.id")} OR {_OTHER_MEETING_HOLDS_IT})
"""
_HOLD_TAKES_BUSY_TIME = f"""
    NEW.held = 1 AND NEW.overlap_acknowledged = 0
    AND (
        {_active_meeting_overlaps("NEW.meeting_id")}
        OR EXISTS (
            SELECT 1 FROM offer_time AS held
            WHERE held.expert_id = NEW.expert_id
              AND held.held = 1
              AND held.id != NEW.id
              AND held.meeting_id != NEW.meeting_id
              AND held.starts_at < NEW.ends_at
              AND NEW.starts_at < held.ends_at
        )
    )
"""
_REFUSE = "BEGIN SELECT RAISE(ABORT, 'meeting_overlap'); END"

FORWARD = [
    "DROP TRIGGER IF EXISTS meeting_no_overlap_insert",
    "DROP TRIGGER IF EXISTS meeting_no_overlap_update",
    f"CREATE TRIGGER meeting_no_overlap_insert BEFORE INSERT ON meeting "
    f"WHEN {_MEETING_TAKES_BUSY_TIME} {_REFUSE}",
    f"CREATE TRIGGER meeting_no_overlap_update BEFORE UPDATE ON meeting "
    f"WHEN {_previous._NEWLY_CLAIMS_TIME} AND {_MEETING_TAKES_BUSY_TIME} {_REFUSE}",
    f"CREATE TRIGGER offer_time_free_insert BEFORE INSERT ON offer_time WHEN {_HOLD_TAKES_BUSY_TIME} {_REFUSE}",
    f"CREATE TRIGGER offer_time_free_update BEFORE UPDATE OF held ON offer_time "
    f"WHEN OLD.held = 0 AND {_HOLD_TAKES_BUSY_TIME} {_REFUSE}",
]
BACKWARD = [
    "DROP TRIGGER IF EXISTS offer_time_free_insert",
    "DROP TRIGGER IF EXISTS offer_time_free_update",
    *_previous.FORWARD,
]
ONE_PENDING_OFFER = "CREATE UNIQUE INDEX offer_one_pending ON offer (meeting_id) WHERE status = 'PENDING'"

class Migration(migrations.Migration):
    dependencies = [('models', '0006_busy_either_side')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ClientRelation',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('expert', fields.ForeignKeyField('models.User', source_field='expert_id', db_constraint=True, to_field='id', related_name='client_relations', on_delete=OnDelete.CASCADE)),
                ('client', fields.ForeignKeyField('models.User', source_field='client_id', db_constraint=True, to_field='id', related_name='expert_relations', on_delete=OnDelete.CASCADE)),
                ('programme', fields.CharEnumField(description='HUB: HUB\nPRIVATE: PRIVATE', enum_type=ClientProgramme, max_length=16)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'client_relation', 'app': 'models', 'unique_together': (('expert_id', 'client_id'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Offer',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('meeting', fields.ForeignKeyField('models.Meeting', source_field='meeting_id', db_constraint=True, to_field='id', related_name='offers', on_delete=OnDelete.CASCADE)),
                ('purpose', fields.CharEnumField(description='EXPERT_RESCHEDULE: EXPERT_RESCHEDULE\nCLIENT_PROPOSAL: CLIENT_PROPOSAL\nLOCATION_CHANGE: LOCATION_CHANGE', enum_type=OfferPurpose, max_length=24)),
                ('made_by_side', fields.CharEnumField(description='CLIENT: CLIENT\nEXPERT: EXPERT', enum_type=Side, max_length=16)),
                ('made_by', fields.ForeignKeyField('models.User', source_field='made_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('status', fields.CharEnumField(description='PENDING: PENDING\nACCEPTED: ACCEPTED\nREJECTED: REJECTED\nWITHDRAWN: WITHDRAWN\nEXPIRED: EXPIRED', enum_type=OfferStatus, max_length=16)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('mode', fields.CharEnumField(null=True, description='CHAT: CHAT\nAUDIO: AUDIO\nVIDEO: VIDEO\nIN_PERSON: IN_PERSON', enum_type=MeetingMode, max_length=16)),
                ('location', fields.CharField(null=True, max_length=300)),
                ('message', fields.TextField(null=True, unique=False)),
                ('picked_starts_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('overlap_acknowledged', fields.BooleanField(default=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('answered_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'offer', 'app': 'models', 'indexes': [Index(fields=['meeting_id', 'status'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='OfferTime',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('offer', fields.ForeignKeyField('models.Offer', source_field='offer_id', db_constraint=True, to_field='id', related_name='times', on_delete=OnDelete.CASCADE)),
                ('meeting_id', fields.UUIDField()),
                ('expert_id', fields.UUIDField()),
                ('starts_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('ends_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('held', fields.BooleanField()),
                ('overlap_acknowledged', fields.BooleanField(default=False)),
            ],
            options={'table': 'offer_time', 'app': 'models', 'indexes': [Index(fields=['expert_id', 'held', 'starts_at'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        AlterEnumValues(
            model_name='TimelineEvent',
            name='type',
            field=fields.CharEnumField(description='BOOKED_BY_CLIENT: BOOKED_BY_CLIENT\nPROPOSED_BY_EXPERT: PROPOSED_BY_EXPERT\nAPPROVED_BY_CLIENT: APPROVED_BY_CLIENT\nAPPROVED_BY_EXPERT: APPROVED_BY_EXPERT\nDECLINED_BY_CLIENT: DECLINED_BY_CLIENT\nREJECTED_BY_EXPERT: REJECTED_BY_EXPERT\nCANCELLED_BY_CLIENT: CANCELLED_BY_CLIENT\nCANCELLED_BY_EXPERT: CANCELLED_BY_EXPERT\nCHARGED_BY_EXPERT: CHARGED_BY_EXPERT\nCHARGE_WAIVED: CHARGE_WAIVED\nJOINED_BY_CLIENT: JOINED_BY_CLIENT\nJOINED_BY_EXPERT: JOINED_BY_EXPERT\nSTARTED: STARTED\nENDED_BY_EXPERT: ENDED_BY_EXPERT\nCOMPLETED: COMPLETED\nNO_SHOW: NO_SHOW\nEXPIRED: EXPIRED\nNOTE_ADDED: NOTE_ADDED\nREVIEWED: REVIEWED\nRESCHEDULED: RESCHEDULED\nREBOOKED_BY_CLIENT: REBOOKED_BY_CLIENT\nTIMES_OFFERED: TIMES_OFFERED\nLOCATION_OFFERED: LOCATION_OFFERED\nOFFER_ACCEPTED: OFFER_ACCEPTED\nOFFER_REJECTED: OFFER_REJECTED\nOFFER_WITHDRAWN: OFFER_WITHDRAWN\nOFFER_EXPIRED: OFFER_EXPIRED', enum_type=TimelineEventType, max_length=32),
        ),
        ops.RunSQL(ONE_PENDING_OFFER, "DROP INDEX IF EXISTS offer_one_pending"),
        ops.RunPython(sqlite_only(FORWARD), sqlite_only(BACKWARD)),
    ]
