"""Requested sessions: a timeline event type and an offer purpose (no schema change on SQLite)."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from app.domain.meetings import TimelineEventType
from app.domain.offers import OfferPurpose
from tortoise import fields

from app.db import AlterEnumValues

class Migration(migrations.Migration):
    dependencies = [('models', '0007_offers')]

    initial = False

    operations = [
        AlterEnumValues(
            model_name='Offer',
            name='purpose',
            field=fields.CharEnumField(description='EXPERT_RESCHEDULE: EXPERT_RESCHEDULE\nCLIENT_PROPOSAL: CLIENT_PROPOSAL\nLOCATION_CHANGE: LOCATION_CHANGE\nSESSION_REQUEST: SESSION_REQUEST', enum_type=OfferPurpose, max_length=24),
        ),
        AlterEnumValues(
            model_name='TimelineEvent',
            name='type',
            field=fields.CharEnumField(description='BOOKED_BY_CLIENT: BOOKED_BY_CLIENT\nPROPOSED_BY_EXPERT: PROPOSED_BY_EXPERT\nAPPROVED_BY_CLIENT: APPROVED_BY_CLIENT\nAPPROVED_BY_EXPERT: APPROVED_BY_EXPERT\nDECLINED_BY_CLIENT: DECLINED_BY_CLIENT\nREJECTED_BY_EXPERT: REJECTED_BY_EXPERT\nCANCELLED_BY_CLIENT: CANCELLED_BY_CLIENT\nCANCELLED_BY_EXPERT: CANCELLED_BY_EXPERT\nCHARGED_BY_EXPERT: CHARGED_BY_EXPERT\nCHARGE_WAIVED: CHARGE_WAIVED\nJOINED_BY_CLIENT: JOINED_BY_CLIENT\nJOINED_BY_EXPERT: JOINED_BY_EXPERT\nSTARTED: STARTED\nENDED_BY_EXPERT: ENDED_BY_EXPERT\nCOMPLETED: COMPLETED\nNO_SHOW: NO_SHOW\nEXPIRED: EXPIRED\nNOTE_ADDED: NOTE_ADDED\nREVIEWED: REVIEWED\nREQUESTED_BY_CLIENT: REQUESTED_BY_CLIENT\nRESCHEDULED: RESCHEDULED\nREBOOKED_BY_CLIENT: REBOOKED_BY_CLIENT\nTIMES_OFFERED: TIMES_OFFERED\nLOCATION_OFFERED: LOCATION_OFFERED\nOFFER_ACCEPTED: OFFER_ACCEPTED\nOFFER_REJECTED: OFFER_REJECTED\nOFFER_WITHDRAWN: OFFER_WITHDRAWN\nOFFER_EXPIRED: OFFER_EXPIRED', enum_type=TimelineEventType, max_length=32),
        ),
    ]
