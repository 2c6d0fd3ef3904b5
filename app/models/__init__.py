"""Tortoise models, one module per aggregate; enums come from the domain."""

from app.models.attachments import Attachment
from app.models.availability import BusyBlock, DateOverride
from app.models.catalog import Service
from app.models.coupons import Coupon
from app.models.followups import Note, Review
from app.models.idempotency import IdempotencyKey
from app.models.instant import InstantRequest
from app.models.jobs import ScheduledJob
from app.models.ledger import LedgerEntry
from app.models.meetings import Meeting, TimelineEvent
from app.models.messages import Conversation, Message
from app.models.notifications import Notification
from app.models.offers import Offer, OfferTime
from app.models.payouts import Payout
from app.models.programmes import ClientRelation
from app.models.sign_in import RefreshToken, SignInCode
from app.models.users import ExpertProfile, ExpertSkill, User
from app.models.webhooks import Webhook, WebhookDelivery

__all__ = [
    "Attachment",
    "BusyBlock",
    "ClientRelation",
    "Conversation",
    "Coupon",
    "DateOverride",
    "ExpertProfile",
    "ExpertSkill",
    "IdempotencyKey",
    "InstantRequest",
    "LedgerEntry",
    "Meeting",
    "Message",
    "Note",
    "Notification",
    "Offer",
    "OfferTime",
    "Payout",
    "RefreshToken",
    "Review",
    "ScheduledJob",
    "Service",
    "SignInCode",
    "TimelineEvent",
    "User",
    "Webhook",
    "WebhookDelivery",
]
