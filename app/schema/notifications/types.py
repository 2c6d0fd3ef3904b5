from datetime import datetime

import strawberry

from app import models
from app.domain.preferences import NotificationPreferences as DomainPreferences
from app.schema.enums import Channel, EmailDelivery, NotificationType, SmsDelivery


@strawberry.type(
    description="Something that happened to one of your meetings, or a reminder, worded in your time zone."
)
class Notification:
    id: strawberry.ID = strawberry.field(description="The notification's id (markNotificationsRead).")
    type: NotificationType = strawberry.field(description="What it is about.")
    text: str = strawberry.field(description="The message, as shown on the dashboard and sent by e-mail.")
    meeting_id: strawberry.ID | None = strawberry.field(description="The meeting it is about.")
    channels: list[Channel] = strawberry.field(description="Where it is delivered.")
    read: bool = strawberry.field(description="You marked it read.")
    email_delivery: EmailDelivery = strawberry.field(description="Where its e-mail to you stands.")
    email_sent_at: datetime | None = strawberry.field(description="When its e-mail was sent (or logged).")
    sms_delivery: SmsDelivery | None = strawberry.field(
        description="Where its text message to you stands; null until it is sent or decided against."
    )
    created_at: datetime = strawberry.field(description="When it was made.")

    @classmethod
    def from_model(cls, row: models.Notification) -> "Notification":
        return cls(
            id=strawberry.ID(str(row.id)),
            type=NotificationType(row.type),
            text=row.text,
            meeting_id=strawberry.ID(str(row.meeting_id)) if row.meeting_id else None,
            channels=[Channel(channel) for channel in row.channels],
            read=row.read_at is not None,
            email_delivery=EmailDelivery(row.email_delivery),
            email_sent_at=row.email_sent_at,
            sms_delivery=SmsDelivery(row.sms_delivery) if row.sms_delivery else None,
            created_at=row.created_at,
        )


@strawberry.type(description="Where one notification type goes, besides the dashboard.")
class NotificationChannels:
    type: NotificationType = strawberry.field(description="The notification type.")
    email: bool = strawberry.field(description="By e-mail.")
    sms: bool = strawberry.field(description="By text message.")


@strawberry.type(description="Where your notifications go, besides the dashboard (which has them all).")
class NotificationPreferences:
    email: bool = strawberry.field(description="By e-mail, unless byType says otherwise (default true).")
    sms: bool = strawberry.field(description="By text message, unless byType says otherwise (default false).")
    by_type: list[NotificationChannels] = strawberry.field(description="Types with channels of their own.")

    @classmethod
    def from_domain(cls, preferences: DomainPreferences) -> "NotificationPreferences":
        return cls(
            email=preferences.email,
            sms=preferences.sms,
            by_type=[
                NotificationChannels(type=NotificationType(t), email=c.email, sms=c.sms)
                for t, c in sorted(preferences.by_type.items())
            ],
        )
