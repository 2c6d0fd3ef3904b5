"""Domain enums exposed to GraphQL under the same names.

`strawberry.enum` registers the domain class itself, so the schema and the
domain share one type (and mypy sees a real class).
"""

import strawberry

from app.domain.meetings import (
    CancelReason,
    CreditStatus,
    DeclineReason,
    MeetingKind,
    MeetingMode,
    MeetingStatus,
    SettlementDecision,
    TimelineEventType,
)
from app.domain.availability import Weekday
from app.domain.instant import InstantStatus
from app.domain.offers import OfferDecision, OfferPurpose, OfferStatus
from app.domain.rescheduling import ClientProgramme, RescheduleReason
from app.domain.notifications import Channel, NotificationType
from app.domain.people import Side

for _enum in (
    CancelReason,
    CreditStatus,
    DeclineReason,
    MeetingKind,
    MeetingMode,
    MeetingStatus,
    SettlementDecision,
    TimelineEventType,
    Side,
    Weekday,
    OfferDecision,
    OfferPurpose,
    OfferStatus,
    ClientProgramme,
    RescheduleReason,
    InstantStatus,
    Channel,
    NotificationType,
):
    strawberry.enum(_enum)

__all__ = [
    "Channel",
    "NotificationType",
    "CancelReason",
    "ClientProgramme",
    "InstantStatus",
    "OfferDecision",
    "OfferPurpose",
    "OfferStatus",
    "RescheduleReason",
    "CreditStatus",
    "DeclineReason",
    "MeetingKind",
    "MeetingMode",
    "MeetingStatus",
    "SettlementDecision",
    "Side",
    "TimelineEventType",
    "Weekday",
]
