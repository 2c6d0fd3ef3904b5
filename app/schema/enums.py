"""Domain enums exposed to GraphQL under the same names, each value described.

`strawberry.enum` registers the domain class itself, so the schema and the
domain share one type (and mypy sees a real class). The words live here, not
in the domain, because they are the API's documentation.
"""

from enum import Enum

import strawberry
from strawberry.types.enum import has_enum_definition

from app.domain.availability import Weekday
from app.domain.errors import ProblemCode
from app.domain.instant import InstantStatus
from app.domain.ledger import LedgerKind
from app.domain.mail import EmailDelivery
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
from app.domain.messages import ConversationKind
from app.domain.notifications import Channel, NotificationType, SmsDelivery
from app.domain.offers import OfferDecision, OfferPurpose, OfferStatus
from app.domain.payouts import PayoutStatus
from app.domain.people import Side
from app.domain.rescheduling import ClientProgramme, RescheduleReason
from app.domain.webhooks import DeliveryStatus

TIMELINE_EVENTS = {
    "BOOKED_BY_CLIENT": "The client booked a slot; the meeting waits for the expert.",
    "PROPOSED_BY_EXPERT": "The expert proposed a meeting to a client; it waits for the client.",
    "APPROVED_BY_CLIENT": "The client confirmed; with both sides approved the meeting is AGREED.",
    "APPROVED_BY_EXPERT": "The expert confirmed; with both sides approved the meeting is AGREED.",
    "DECLINED_BY_CLIENT": "The client declined the expert's proposal (REJECTED).",
    "REJECTED_BY_EXPERT": "The expert declined the booking (REJECTED); blocked credits were returned.",
    "CANCELLED_BY_CLIENT": "The client cancelled; inside the cancellation window the expert may charge.",
    "CANCELLED_BY_EXPERT": "The expert cancelled; the client's credits were returned.",
    "CHARGED_BY_EXPERT": "The expert charged a late cancellation or a client no-show (the full price).",
    "CHARGE_WAIVED": "The charge was waived (by the expert, or when the settlement window ran out).",
    "DISCOUNTED_BY_EXPERT": "The expert returned part or all of the charged price to the client.",
    "BILLABLE_TIME_STARTED": "The expert started billable time (per-minute sessions).",
    "BILLABLE_TIME_PAUSED": "The expert paused billable time.",
    "BILLABLE_TIME_RESUMED": "The expert resumed billable time.",
    "JOINED_BY_CLIENT": "The client joined the session.",
    "JOINED_BY_EXPERT": "The expert joined the session.",
    "STARTED": "Both sides joined: the meeting is IN_PROGRESS.",
    "ENDED_BY_EXPERT": "The expert ended the session before its planned end.",
    "COMPLETED": "The session ran to its end (start + duration): COMPLETED, credits CHARGED.",
    "NO_SHOW": "Someone had not joined 10 minutes after the start (NO_SHOW).",
    "EXPIRED": "The start arrived while the meeting still waited for approval; credits returned.",
    "NOTE_ADDED": "The expert added a note.",
    "REVIEWED": "The client reviewed the completed session.",
    "REQUESTED_BY_CLIENT": "The client asked for a session at one of several times; the expert picks one.",
    "TAKEN_INSTANTLY": "An expert took the client's instant request: an INSTANT meeting, AGREED now.",
    "RESCHEDULED": "The meeting moved to another time.",
    "REBOOKED_BY_CLIENT": "A HUB client moved the meeting: the old time cancelled, a new meeting booked.",
    "TIMES_OFFERED": "One side offered other times (an Offer).",
    "LOCATION_OFFERED": "The expert offered another mode or place (an Offer).",
    "LOCATION_CHANGED": "The expert changed the mode or place at once, at the client's request.",
    "OFFER_ACCEPTED": "The offer was accepted; the meeting took the picked time or place.",
    "OFFER_REJECTED": "The offer was rejected.",
    "OFFER_WITHDRAWN": "The side that made the offer took it back.",
    "OFFER_EXPIRED": "The offer was not answered in time.",
}

REMINDERS = {
    "REMINDER_24H": "Reminder to the client, a day before the start.",
    "ROOM_LINK": "The room link, to the expert, an hour before an online session.",
    "REMINDER_30M": "Reminder to both sides, 30 minutes before the start.",
    "REMINDER_10M": "Reminder to both sides, 10 minutes before the start: the room opens.",
    "NOTES_DUE": "To the expert, once, while a session's required notes are missing.",
}

DESCRIPTIONS: dict[type[Enum], tuple[str, dict[str, str]]] = {
    PayoutStatus: (
        "Where a payout of an expert's earnings is.",
        {
            "REQUESTED": "Made (by the weekly cycle or the expert); its earnings left the payable balance; "
            "waiting to be paid.",
            "PAID": "Paid, with the payment's reference.",
            "FAILED": "The payment failed; its earnings are payable again.",
        },
    ),
    LedgerKind: (
        "What one ledger entry moved (README: Money).",
        {
            "GRANT": "Credits an admin gave a user.",
            "BLOCK": "A meeting's price held from the client's available credits.",
            "RELEASE": "A held price returned to the client.",
            "CHARGE": "A held price charged to the client.",
            "EARNING": "The expert's share of a charge, pending until settled.",
            "PLATFORM_FEE": "The platform's share of a charge.",
            "SETTLED": "Pending earnings that became payable after the settlement delay.",
            "PAYOUT": "Payable earnings into a payout.",
            "PAYOUT_RETURNED": "A failed payout's earnings, payable again.",
            "REQUEST_HOLD": "The most an open instant request may cost, held from the client.",
            "REQUEST_RELEASE": "An instant request's hold returned when it left OPEN.",
            "REFUND": "Charged credits returned to the client (a discount).",
            "EARNING_REVERSED": "The expert's pending earnings given back for a discount.",
            "FEE_REVERSED": "The platform's fee given back for a discount.",
        },
    ),
    MeetingStatus: (
        "Where a meeting is in its life (DOMAIN.md's state machine).",
        {
            "AWAITING_APPROVAL": "Waiting for the side that has not approved yet (see clientApproved / expertApproved).",
            "AGREED": "Both sides approved; it happens at its time.",
            "REJECTED": "The side asked declined it; the expert may still offer other times.",
            "EXPIRED": "Its start arrived before it was approved.",
            "CANCELLED": "One side cancelled it (see cancelledBy and cancelReason).",
            "IN_PROGRESS": "Both sides joined; it runs until its end or the expert ends it.",
            "NO_SHOW": "Someone had not joined 10 minutes after the start.",
            "COMPLETED": "It ran; the price is charged.",
        },
    ),
    CreditStatus: (
        "What happened to the meeting's price in credits.",
        {
            "NONE": "Nothing blocked: a free meeting, or the client has not approved yet.",
            "BLOCKED": "The price is held from the client's balance until the meeting ends.",
            "RETURNED": "It ended without a charge; the credits are back with the client.",
            "CHARGED": "The price was charged: the expert earns it less the platform's fee (completed, or a late "
            "cancellation or no-show charged).",
        },
    ),
    MeetingMode: (
        "How the meeting takes place.",
        {
            "CHAT": "Text chat in the meeting room.",
            "AUDIO": "An audio call in the meeting room.",
            "VIDEO": "A video call in the meeting room.",
            "IN_PERSON": "At a place (see location); no room.",
        },
    ),
    MeetingKind: (
        "How the meeting came about.",
        {
            "SCHEDULED": "Booked, proposed or requested ahead of time.",
            "INSTANT": "An instant request an online expert took: it starts now.",
        },
    ),
    CancelReason: (
        "Why a meeting was cancelled.",
        {
            "CLIENT_REQUESTED": "The client asked for it.",
            "SCHEDULE_CONFLICT": "The time no longer suits.",
            "ILLNESS": "Illness.",
            "EMERGENCY": "An emergency.",
            "OTHER": "Another reason (see the timeline's message).",
        },
    ),
    DeclineReason: (
        "Why a meeting was declined.",
        {
            "NOT_AVAILABLE": "Not available at that time.",
            "OUTSIDE_EXPERTISE": "The request is outside the expert's expertise.",
            "SCHEDULE_CONFLICT": "It clashes with another commitment.",
            "NEEDS_MORE_INFORMATION": "More information is needed first.",
            "OTHER": "Another reason (see the timeline's message).",
        },
    ),
    SettlementDecision: (
        "The expert's decision on a late client cancellation or a client no-show.",
        {"CHARGE": "Keep the full price.", "WAIVE": "Return the credits to the client."},
    ),
    Side: (
        "A side of a meeting.",
        {"CLIENT": "The person who books and pays.", "EXPERT": "The person who offers the service."},
    ),
    Weekday: (
        "A day of the week, in the expert's own time zone.",
        {day.name: day.name.capitalize() + "." for day in Weekday},
    ),
    OfferDecision: (
        "An answer to an offer.",
        {
            "ACCEPT": "Take the offer (with startsAt, one of its times, when it offers times).",
            "REJECT": "Turn it down.",
        },
    ),
    OfferPurpose: (
        "What an offer proposes.",
        {
            "EXPERT_RESCHEDULE": "The expert offers 1–5 other times for an existing meeting; they are held for the client.",
            "CLIENT_PROPOSAL": "The client proposes other times to the expert.",
            "LOCATION_CHANGE": "The expert offers another mode or place; the old one stands until accepted.",
            "SESSION_REQUEST": "A client's request for a new session at one of several times.",
        },
    ),
    OfferStatus: (
        "Where an offer stands.",
        {
            "PENDING": "Waiting for an answer until expiresAt.",
            "ACCEPTED": "Accepted; pickedStartsAt says which time.",
            "REJECTED": "Turned down.",
            "WITHDRAWN": "Taken back by the side that made it.",
            "EXPIRED": "Not answered in time, or made moot by another change to the meeting.",
        },
    ),
    ClientProgramme: (
        "How a client may move their meetings with an expert.",
        {
            "HUB": "The client may rebook an agreed meeting to a free slot by themselves.",
            "PRIVATE": "Moves go through the expert (offers only).",
        },
    ),
    RescheduleReason: (
        "Why the expert reschedules.",
        {
            "CLIENT_REQUESTED": "The client asked for the new time: it moves at once.",
            "EXPERT_SCHEDULE": "The expert's own schedule: the client is offered 1–5 times to pick from.",
        },
    ),
    InstantStatus: (
        "Where an instant request stands.",
        {
            "OPEN": "Offered to matching online experts; the first to take it gets it.",
            "TAKEN": "An expert took it (see meeting).",
            "EXPIRED": "Nobody took it in time (15 minutes by default).",
            "WITHDRAWN": "The client took it back.",
        },
    ),
    Channel: (
        "Where a notification is delivered.",
        {
            "DASHBOARD": "In the app: the notifications list and notificationAdded.",
            "EMAIL": "By e-mail to the recipient's address.",
            "SMS": "By text message to the recipient's phoneNumber (setNotificationPreferences).",
        },
    ),
    ConversationKind: (
        "What a conversation is about.",
        {
            "MEETING": "One meeting: its client and expert.",
            "DIRECT": "A client and an expert, before or beside any booking (the client starts it).",
            "INSTANT_REQUEST": "An expert's question about an instant request before taking it.",
        },
    ),
    SmsDelivery: (
        "Where a notification's text message stands, once it was decided.",
        {
            "NONE": "No text message: the recipient has no phone number, or does not want this type by SMS.",
            "SENT": "Handed to the SMS provider.",
            "LOGGED": "No SMS provider is configured (SMS_ACCOUNT…): written to the server log instead.",
            "FAILED": "The provider refused it for about a day of retries; given up.",
        },
    ),
    EmailDelivery: (
        "Where a notification's e-mail stands.",
        {
            "PENDING": "Not sent yet (it is retried with back-off while the mail server refuses).",
            "SENT": "Handed to the mail server.",
            "LOGGED": "No mail server is configured (SMTP_URL): written to the server log instead.",
            "FAILED": "The mail server refused it for about a day of retries; given up.",
            "NONE": "No e-mail of its own: the recipient turned e-mail off for this type, or (a message) its "
            "e-mail comes later, with what stays unread.",
        },
    ),
    TimelineEventType: ("What happened to a meeting.", TIMELINE_EVENTS),
    NotificationType: (
        "What a notification is about: a meeting event, a reminder, or a notice about no meeting.",
        {
            **TIMELINE_EVENTS,
            **REMINDERS,
            "INSTANT_REQUEST": "An instant request you could take was posted while you were offline.",
            "MESSAGE": "A message came while you were not connected; unread 10 minutes later, it is e-mailed.",
            "WEBHOOK_DISABLED": "Your webhook failed for a day and was turned off (its deliveries can be replayed).",
        },
    ),
    DeliveryStatus: (
        "Where a webhook delivery stands.",
        {
            "PENDING": "Not sent yet, or being retried (with back-off, for about a day).",
            "DELIVERED": "The endpoint answered 2xx.",
            "FAILED": "Every attempt over about a day failed; given up (it can be replayed).",
            "SKIPPED": "Its webhook was disabled before it went.",
        },
    ),
    ProblemCode: (
        "Why an action was refused (the same codes appear as top-level `extensions.code` on lists).",
        {
            "NOT_FOUND": "No such thing, or not yours to see (the two are indistinguishable).",
            "NOT_ALLOWED": "You take part, but your side may not do this.",
            "INVALID_STATE": "The status does not allow it (already confirmed, cancelled, …).",
            "TOO_LATE": "Its moment has passed (start passed, window closed, offer expired).",
            "SLOT_TAKEN": "The time is no longer free.",
            "OUTSIDE_AVAILABILITY": "Not inside the expert's availability.",
            "TOO_SOON": "Inside the expert's minimum notice.",
            "TOO_FAR_AHEAD": "Beyond the expert's booking horizon.",
            "NOT_OFFERED": "That duration or mode is not offered by the service.",
            "INSUFFICIENT_CREDITS": "The balance is short.",
            "CONFLICT_NOT_ACKNOWLEDGED": "It would overlap another of the expert's meetings: acknowledge to go ahead.",
            "LATE_NOTICE_NOT_ACKNOWLEDGED": "Inside the cancellation or short-notice window: acknowledge to go ahead.",
            "ALREADY_TAKEN": "Someone else took the instant request first.",
            "INVALID_INPUT": "A value out of range (past time, bad zone, text too long, …).",
            "LIMIT_EXCEEDED": "Too many of something (offered times, subscriptions, calendar events, …).",
        },
    ),
}


def _register(enum: type[Enum], description: str, values: dict[str, str]) -> None:
    strawberry.enum(enum, description=description)
    assert has_enum_definition(enum)
    for value in enum.__strawberry_definition__.values:
        value.description = values[value.name]


for _enum, (_description, _values) in DESCRIPTIONS.items():
    _register(_enum, _description, _values)

__all__ = [
    "CancelReason",
    "Channel",
    "ClientProgramme",
    "ConversationKind",
    "CreditStatus",
    "DeclineReason",
    "DeliveryStatus",
    "EmailDelivery",
    "InstantStatus",
    "LedgerKind",
    "MeetingKind",
    "MeetingMode",
    "MeetingStatus",
    "NotificationType",
    "OfferDecision",
    "OfferPurpose",
    "OfferStatus",
    "PayoutStatus",
    "ProblemCode",
    "RescheduleReason",
    "SettlementDecision",
    "Side",
    "SmsDelivery",
    "TimelineEventType",
    "Weekday",
]
