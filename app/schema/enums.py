"""Domain enums exposed to GraphQL under the same names."""

import strawberry

from app.domain import meetings, people

MeetingStatus = strawberry.enum(meetings.MeetingStatus)
CreditStatus = strawberry.enum(meetings.CreditStatus)
MeetingMode = strawberry.enum(meetings.MeetingMode)
MeetingKind = strawberry.enum(meetings.MeetingKind)
DeclineReason = strawberry.enum(meetings.DeclineReason)
CancelReason = strawberry.enum(meetings.CancelReason)
SettlementDecision = strawberry.enum(meetings.SettlementDecision)
TimelineEventType = strawberry.enum(meetings.TimelineEventType)
Side = strawberry.enum(people.Side)
